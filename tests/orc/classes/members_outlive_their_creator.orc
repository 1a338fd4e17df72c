{- An object's members belong to the object, not to the expression that
   created it: killing that expression (here a trim, 50ms in, long before
   `slow` is computed) does not stop them, and the object keeps every
   member it will ever have. -}
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
2
2
-}
