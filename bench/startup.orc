{- A trivial program: measures start-up with the prelude. -}
1
{-
OUTPUT:
1
-}
