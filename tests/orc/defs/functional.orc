{- Functional definitions (evaluated directly, without tokens, where the
   runtime can): the same publications and errors as token by token. -}
def sum(n) = if n = 0 then 0 else n + sum(n - 1)
def count(n, acc) = if n = 0 then acc else count(n - 1, acc + 1)
def first(x, y) = x
def inc(x) = x + 1
def apply(f, x) = f(x)
def len([]) = 0
def len(_ : t) = 1 + len(t)
def safeDiv(a, b) = (a / b) ; 0
def bad(x) = if x then 1 else 2
def twice(x) = Println("twice " + x) >> x * 2
def later(x) = x * 10
val slow = Rwait(10) >> 4

  "deep " + sum(100000)
| "loop " + count(1000000, 0)
| "lenient " + first(1, stop)
| (inc(stop) ; "halted argument")
| "higher order " + apply(lambda(y) = y * y, 7)
| "patterns " + len([1, 2, 3, 4])
| "otherwise " + safeDiv(1, 0)
| bad(3)
| twice(21)
| "waits " + later(slow)
| "pruned " + (y <y< inc(1) | inc(2))
{-
OUTPUT:PERMUTABLE
"deep 5000050000"
"loop 1000000"
"lenient 1"
"halted argument"
"higher order 49"
"patterns 4"
Error: division by zero
"otherwise 0"
Error: if expects a boolean condition, but got Integer 3
twice 21
42
"waits 40"
"pruned 2"
-}
