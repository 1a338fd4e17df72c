{- Killing waiting tokens removes their timers: the program ends at 10 ms,
   not after the 100,000 cancelled timers' deadlines. -}
{| upto(100000) >i> Rwait(100000 + i) | Rwait(10) >> "first" |} >x> (x, Rtime())
{-
OUTPUT:
("first", 10)
-}
