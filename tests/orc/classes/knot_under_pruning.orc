{- "Tying the knot" (a member passed along while pending, to an object
   made from it) also works where the object is made under a pruning:
   a member's future is the object's own, so a new object may hold it
   pending. -}
class Cell { val head  val tail }
val Cons = new {
  def apply(h, t) = new Cell { val head = h  val tail = t }
}
def take(l, 0) = []
def take(l, n) = l.head : take(l.tail, n - 1)
def ring() = new { val x = Cons(1, Cons(2, x)) }

val r = {| ring() |}
Println(take(r.x, 5)) >>
(val s = ring().x
 Println(take(s, 3))) >>
stop
{-
OUTPUT:
[1, 2, 1, 2, 1]
[1, 2, 1]
-}
