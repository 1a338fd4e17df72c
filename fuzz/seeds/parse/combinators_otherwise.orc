{- f ; g runs g only if f halts without publishing. -}
(stop ; 1) | (2 ; 3) | ((Rwait(5) >> stop) ; 4)
{-
OUTPUT:PERMUTABLE
1
2
4
-}
