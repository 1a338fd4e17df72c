{- The parallel combinator publishes every publication of both sides. -}
1 | 2 | (3 | 4)
{-
OUTPUT:PERMUTABLE
1
2
3
4
-}
