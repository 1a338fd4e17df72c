{- f <x< g: g's first publication is bound to x and g is killed. -}
x + 1 <x< (Rwait(20) >> 10 | 1 | Rwait(10) >> 5)
{-
OUTPUT:
2
-}
