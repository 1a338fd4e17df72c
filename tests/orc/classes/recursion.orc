{- Classes declared together (and with defs) are mutually recursive;
   methods call each other through `this`, so an override is used even by
   the base class's own code. -}
class Node {
  val next = new Leaf
  def depth() = 1 + next.depth()
}
class Leaf {
  def depth() = 0
  def grow() = new Node
}
class Even {
  def even(0) = true
  def even(n) = odd(n - 1)
  def odd(0) = false
  def odd(n) = even(n - 1)
}
class Counting extends Even {
  val calls = Ref(0)
  def odd(n) = calls := calls? + 1 >> super.odd(n)
}
def makeNode() = new Node

val c = new Counting
Println(makeNode().depth()) >>
Println((new Leaf).grow().next.grow().depth()) >>
Println(c.even(10)) >>
Println(c.calls?) >>
stop
{-
OUTPUT:
1
1
true
5
-}
