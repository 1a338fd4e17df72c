{- Values that reach themselves: thousands of garbage cycles of every
   kind (refs, arrays, channels, objects, closures in refs) are freed while
   the program runs, by the cycle collector (src/value/cycles.rs), and the
   live cycles around them are left whole: the top level's, and those a
   waiting token holds. (The harness checks that every object was freed
   once the run is dropped.) -}
class Node { val me = this  val n = 1  def self() = me }
def garbage(0) = signal
def garbage(n) =
  ( Ref() >r> r := r
  , Array(2) >a> a(0) := a
  , Channel() >c> c.put((1, c))
  , new Node
  , Ref() >r> (def f() = r  r := f)
  ) >> garbage(n - 1)
def waiting() =
  Ref() >r> r := [r, 2] >> Rwait(10) >> r? >[x, y]> (x = r, y)
val r = Ref()
val a = Array(2)
val c = Channel()
val o = new Node
r := r >> a(0) := a >> a(1) := c >> c.put(a) >>
( waiting()
| garbage(5000) >> (r, a, o.self().me.n, o.self() = o)
)
{-
OUTPUT:
(Ref(Ref(...)), <Array [<Array ...>, <Channel [<Array ...>]>]>, 1, true)
(true, 2)
-}
