{- Member computations belong to the `new` that started them: killing its
   context (here a trim, 50ms in) halts the members still running, and a
   member that halted reads as a halted variable. -}
val o = {| new {
  val fast = 1
  val slow = Rwait(100) >> 2
  def slowOr(d) = this.slow ; d
} >o> Rwait(50) >> o |}

o.fast >x> Println(x) >> stop
| o.slow >x> Println(x) >> stop
| o.slowOr(3) >x> Println(x) >> stop
{-
OUTPUT:PERMUTABLE
1
3
-}
