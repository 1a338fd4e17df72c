{- A conditional over an integer test whose branches are constants or one
   integer operator, computed in place (`(if i % 2 = 0 then 100 else 300)
   >d>`, or as an argument): the branch the test picks, and the general
   way's value or error where the shortcut stops (an overflowing test or
   branch, a test that is not a boolean, a branch that halts). -}
-- Read from a reference, so that nothing is folded when compiling.
val r = Ref(7)
val seven = r?
val big = Ref(9223372036854775807)?
def show(label, x) = label + " " + x
  show("argument", if seven = 7 then "seven" else "other")
| (if seven % 2 = 0 then 100 else 300) >d> show("odd", d)
| (if (seven + 1) % 2 = 0 then 100 else 300) >d> show("even", d)
| (if seven :> 0 then seven - 1 else 0) >d> show("minus", d)
| (if seven <: 0 then seven - 1 else seven * 3) >d> show("times", d)
| (if big + 1 :> 0 then "wide" else "narrow") >d> show("test", d)
| (if seven :> 0 then big + seven else 0) >d> show("branch", d)
| (if seven % 2 then 1 else 2) >d> show("integer test", d)
| ((if seven = 7 then stop else 1) >d> show("stop", d) ; show("stop", "halted"))
{-
OUTPUT:PERMUTABLE
"odd 300"
"even 100"
"minus 6"
"times 21"
"argument seven"
"test wide"
"branch 9223372036854775814"
Error: if expects a boolean condition, but got Integer 1
"stop halted"
-}
