{- A method taken from an object made in a `val` keeps working: the
   object's members (here an array sized by a computation) belong to the
   object, not to the `val` that took the method (issue 32, item 7: an
   n-dimensional array whose element method was taken this way printed
   nothing). -}
class Grid {
  val shape
  def cells([]) = 1
  def cells(n : rest) = n * cells(rest)
  def offset(acc, [], []) = acc
  def offset(acc, n : ns, i : is) = offset(acc * n + i, ns, is)
  val store = Array(cells(shape))
  def at(is) = store(offset(0, shape, is))
}
def grid(s) = new Grid { val shape = s }

val cube = grid([2, 3, 4]).at
val point = grid([]).at

cube([1, 2, 3]) := "corner" >> cube([1, 2, 3])? >a> Println(a) >>
point([]) := "only" >> point([])? >b> Println(b) >>
(cube([0, 0, 0])? >c> Println(c)) >>
stop

{-
OUTPUT:
corner
only
null
-}
