{- The left side of `>x>` computed in place when it never waits (a
   conditional over ready values): the same publications, errors and
   halting as with a frame, and the same when it must wait instead. -}
def tag(x, name) = (x >> name + " bound") ; name + " halted"
val later = Rwait(10) >> 3
val flag = true
val five = 5
tag((if flag then 1 else 2) >x> x + 10, "ready")
| tag((if later = 3 then "yes" else "no") >x> x + "!", "waits")
| tag((if five then 1 else 2) >x> x, "not a boolean")
| tag((if flag then stop else 2) >x> x, "stop branch")
| tag((if flag then Ift(false) else 2) >x> x, "halting call")
| tag(1 + 2 >x> x * 2 >y> y - 1, "chain")
| tag(1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1 >x> x = 50, "deep")
{-
OUTPUT:
"ready bound"
Error: if expects a boolean condition, but got Integer 5
"not a boolean halted"
"stop branch halted"
"halting call halted"
"chain bound"
"deep bound"
"waits bound"
-}
