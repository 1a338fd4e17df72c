{- val is pruning: the declaration's first publication is bound. -}
val x = 1 | Rwait(10) >> 2
val (a, b) = (x, x + 1)
a + b
{-
OUTPUT:
3
-}
