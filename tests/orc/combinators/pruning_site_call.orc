{- A pruning whose right side is one site call runs it without a group of
   its own: the answer binds the variable, a call that halts halts it, and
   killing the scope kills the call (its timer must not outlive the run). -}
def tag(x, name) = (x >> name + " bound") ; name + " halted"
-- A call in a function's argument (how `timeout(Rwait(d), t)` runs).
timeout(Rwait(10), 100) | timeout(Rwait(100), 10)
-- Answered: Rwait publishes a signal.
| (tag(answer, "answer") <answer< Rwait(20))
-- Halted: the argument halts, so the call halts without answering.
| ((tag(nothing, "nothing") <nothing< Rwait(never)) <never< stop)
-- Killed with the trim around it: "late" never comes.
| {| ((late <late< Rwait(5000)) >> "late") | Rwait(30) >> "trimmed" |}
{-
OUTPUT:PERMUTABLE
"nothing halted"
"answer bound"
"trimmed"
Some(signal)
None()
-}
