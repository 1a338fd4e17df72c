{- Once the left side published, the right side never runs, even when the
   left side later halts. -}
(1 | Rwait(10) >> stop) ; 2
{-
OUTPUT:
1
-}
