{- Rclock: a clock started at its creation, with .time() and .wait(). -}
Rwait(30) >> Rclock() >c> c.wait(50) >> (c.time(), Rtime())
{-
OUTPUT:
(50, 80)
-}
