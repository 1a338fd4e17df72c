{- A clause's variable pattern on a parameter names the argument itself:
   it is bound as the argument is (a future stays one, and is not waited
   for), and when a name is bound twice in one clause the later wins. -}
def both(x, x) = x
def headThenName(x:_, x) = x
def nameThenHead(x, x:_) = x
def pick(x, 0) = "zero"
def pick(x, n) = x + n
def delayed(f, []) = f()
def delayed(f, y:ys) = (lambda() = f() + y) >g> delayed(g, ys)
def keep(acc, []) = acc
def keep(acc, x:xs) = keep(x:acc, xs)
both(1, 2)
| Rwait(10) >> headThenName([3, 4], 5)
| Rwait(20) >> nameThenHead(6, [7, 8])
| Rwait(30) >> pick(stop, 0)
| Rwait(40) >> pick(Rwait(10) >> 9, 1)
| Rwait(60) >> delayed(lambda() = 100, [1, 2, 3])
| Rwait(70) >> keep([], [1, 2, 3])
{-
OUTPUT:
2
5
7
"zero"
10
106
[3, 2, 1]
-}
