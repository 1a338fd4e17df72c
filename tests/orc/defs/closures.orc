{- Closures capture their environment; functions are values. -}
def adder(n) = lambda(x) = x + n
val add5 = adder(5)
def twice(f, x) = f(f(x))
twice(add5, 1) | twice(lambda(s) = s + "!", "hi") | { _ * 2 }(21)
{-
OUTPUT:PERMUTABLE
11
"hi!!"
42
-}
