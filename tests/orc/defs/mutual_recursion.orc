{- Consecutive definitions are mutually recursive. -}
def even(0) = true
def even(n) = odd(n - 1)
def odd(0) = false
def odd(n) = even(n - 1)
even(10) | odd(7) | even(3)
{-
OUTPUT:PERMUTABLE
true
true
false
-}
