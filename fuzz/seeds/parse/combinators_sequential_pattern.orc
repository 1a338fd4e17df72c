{- A pattern in >P> filters: publications that do not match are dropped. -}
((1, 2) | (3, 4) | 5) >(a, b)> a + b
{-
OUTPUT:PERMUTABLE
3
7
-}
