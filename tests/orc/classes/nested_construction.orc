{- Objects built from objects: the arguments of a constructor call are
   computed before the call's object is delivered, so no member is lost
   with the pruning that delivers it. -}
val Nil = new { val empty = true }
val Cons = new {
  def apply(h, t) = new { val empty = false  val head = h  val tail = t }
}
def sum(l) = if l.empty then 0 else l.head + sum(l.tail)
val list = Cons(1, Cons(2, Cons(3, Nil)))
Println(list.tail.tail.head) >>
Println(sum(list)) >>
stop
{-
OUTPUT:
3
6
-}
