{- The branches of a conditional bind their own variables, whatever the
   test was, and a pruned test variable that a branch reads again keeps
   its value there. -}
def f(n) = if n = 0 then [] else (n * 2 >m> m : f(n - 1))
def g(x) = if x <: 10 then (x + 1 >y> (y, x)) else (x - 1 >z> [z, x])
val t = Counter(0)
f(3)
| Rwait(10) >> g(5)
| Rwait(20) >> g(50)
| Rwait(30) >> ((if b then (t.value() + 1 >y> (y, b)) else "no") <b< (t.value() = 0))
| Rwait(40) >> ((if b then "yes" else (t.value() + 2 >y> Rwait(1) >> (b, y))) <b< (t.value() = 1))
| Rwait(50) >> (if t.value() = 0 then (t.inc() >> t.value() >v> (v, v + 1)) else "never")
{-
OUTPUT:
[6, 4, 2]
(6, 5)
[49, 50]
(1, true)
(false, 2)
(1, 2)
-}
