{- 1,000,000 tokens pending in Rwait at once (1 to 2 s each): memory. -}
upto(1000000) >i> Rwait(1000 + i % 1000) >> stop
{-
OUTPUT:
-}
