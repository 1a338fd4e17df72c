{- Filling an array in parallel and reading it back in order. -}
val a = Array(5)
def fill(i) = if i >= 5 then signal else (a(i) := i * i, fill(i + 1)) >> signal
def collect(i) = if i <: 0 then [] else collect(i - 1) >l> append(l, [a(i)?])
fill(0) >> collect(4)
{-
OUTPUT:
[0, 1, 4, 9, 16]
-}
