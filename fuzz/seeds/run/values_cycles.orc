{- Cycles of every kind, some kept, some garbage: the cycle collector frees the garbage. -}
class Node { val me = this  def self() = me }
val keep = Ref()
def garbage(0) = signal
def garbage(n) =
  ( Ref() >r> r := r
  , Array(2) >a> a(0) := a
  , Channel() >c> c.put(c)
  , SyncChannel() >s> {| s.put(s) | Rwait(1) |}
  , new Node
  , Ref() >r> (def f() = r  r := f)
  ) >> garbage(n - 1)
keep := keep >> garbage(1500) >> (keep? = keep, (new Node).self().me)
