{- Clauses are tried in order; the first whose patterns match runs. -}
def fact(0) = 1
def fact(n) = n * fact(n - 1)
def describe([]) = "empty"
def describe([x]) = "one"
def describe(_:_:_) = "many"
fact(5) | describe([]) | describe([1]) | describe([1, 2, 3])
{-
OUTPUT:PERMUTABLE
120
"empty"
"one"
"many"
-}
