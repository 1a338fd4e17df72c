{- f >x> g runs a copy of g for each publication of f, with x bound. -}
(1 | 2 | 3) >x> x * 10
{-
OUTPUT:PERMUTABLE
10
20
30
-}
