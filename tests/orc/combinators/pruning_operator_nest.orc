{- Operator expressions nest prunings (`i % 2 = 0` is `=(y, 0) <y< %(i, 2)`);
   a nest whose operands are all ready is computed in place, one whose
   operand is still pending waits for it. Either way: a halted or failing
   part halts the whole (each error reported once), and a binding the nest
   makes but never reads does not stop it. -}
def tag(x, name) = (x >> name + " bound") ; name + " halted"
val later = Rwait(10) >> 7
tag(10 % 2 = 0, "even")
| tag(later % 2 = 1, "later odd")
| tag(1 / 0 + 1 = 1, "div")
| tag(Ift(false) + 1 = 2, "ift")
| tag((1 + 2 <x< Ift(false)) = 3, "unused")
| tag((1 / 0) + (2 % 0), "two errors")
| tag(2 * 3 + 4 * 5 - 6 / 2 = 23, "arith")
| tag("a" + 1 = "a1", "strings")
| tag(abs(-2) + 1, "closure")
| tag(later * 2 + later = 21 && later <: 8, "later arith")
{-
OUTPUT:
"even bound"
Error: division by zero
"div halted"
"ift halted"
"unused bound"
Error: division by zero
Error: division by zero
"two errors halted"
"arith bound"
"strings bound"
"closure bound"
"later odd bound"
"later arith bound"
-}
