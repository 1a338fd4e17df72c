{- Many objects made under prunings, each with members still being
   computed when the pruning publishes it, in three shapes that once
   lost members: every member must come back. For i below 1000, the sum
   of i is 499500, and each shape publishes it. -}
def id(x) = x
def wrap(a) = new { val w = a }
def mk(i) = new { val late = Rwait(i % 3) >> i }
def first(i) = val r = wrap(id(i) + 0).w # r
def second(i) = val o = mk(i) >c> c # o.late
def third(i) = val p = (mk(i), mk(i)) # p >(a, b)> (a.late + b.late) / 2
def sum(xs) = foldl(lambda(a, b) = a + b, 0, xs)
def check(f) =
  val results = collect({ upto(1000) >i> f(i) })
  Println((length(results), sum(results)))
check(first) >> check(second) >> check(third) >> stop
{-
OUTPUT:
(1000, 499500)
(1000, 499500)
(1000, 499500)
-}
