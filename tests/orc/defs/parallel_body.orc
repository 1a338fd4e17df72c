{- A definition may publish many times. -}
def both(x) = x | x * 2
both(1) >y> y + 100
{-
OUTPUT:PERMUTABLE
101
102
-}
