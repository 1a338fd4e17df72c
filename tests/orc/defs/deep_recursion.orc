{- Non-tail recursion 100,000 deep builds a list without overflowing. -}
def build(0) = []
def build(n) = n : build(n - 1)
def count([], acc) = acc
def count(_:t, acc) = count(t, acc + 1)
count(build(100000), 0)
{-
OUTPUT:
100000
-}
