{- Timers fire in deadline order. -}
Rwait(100) >> 1 | Rwait(50) >> 2 | 3
{-
OUTPUT:
3
2
1
-}
