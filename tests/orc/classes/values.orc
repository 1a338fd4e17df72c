{- Objects print as `{ name = value # ... }` (members with a value) and
   are equal only to themselves. Lenient members let objects refer to
   themselves ("tying the knot"). -}
val a = new { val x = 1  val y = "two" }
val b = new { val x = 1  val y = "two" }
val Cons = new {
  def apply(h, t) = new { val head = h  val tail = t }
}
val knot = new { val ring = Cons(1, Cons(2, ring)) }
Println(a) >>
Println(a = a) >>
Println(a = b) >>
Println(knot.ring.tail.tail.tail.head) >>
Println(knot.ring.tail.tail = knot.ring) >>
stop
{-
OUTPUT:
{ x = 1 # y = "two" }
true
false
2
true
-}
