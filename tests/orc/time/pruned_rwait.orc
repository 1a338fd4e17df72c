{- A pruning whose right side is one Rwait: its left side goes on at once,
   and the pending wait is a live part of the program until it ends or
   its group is killed. -}
-- The left side halts at once; the `;` waits for the pruned wait, which
-- is then all that is left running.
((stop <x< Rwait(100)) ; Rtime())
-- The left side reads x when the wait ends.
| (x >> Rtime() <x< Rwait(50))
-- A trim ends the pruned wait: the `;` goes on at once, not at 70.
| (({| "t" | stop <x< Rwait(70) |} >> stop) ; ("trimmed", Rtime()))
-- A trim inside a trim: the inner one has no token left but the pruned
-- wait keeps it, so that killing the outer one still ends the wait.
| (({| ({| stop <x< Rwait(50) |} ; "inner") | Rwait(10) >> "t" |} >> stop)
   ; ("nested", Rtime()))
-- Inside a `;` of its own, ended by the end of its left side's wait.
| ((Rwait(20) >> stop <y< Rwait(30)) ; ("both", Rtime()))
{-
OUTPUT:
("trimmed", 0)
("nested", 10)
("both", 30)
50
100
-}
