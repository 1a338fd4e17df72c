{- A virtual clock advances, when its scope is quiescent, to the least
   awaited time: the awaits fire in time order, not in program order. -}
Vclock(IntegerTimeOrder) >> Vawait(0) >>
( Vawait(30) >> "thirty" >x> Vtime() >t> (x, t)
| Vawait(10) >> "ten" >x> Vtime() >t> (x, t)
| Vawait(20) >> "twenty" >x> Vtime() >t> (x, t)
)
{-
OUTPUT:
("ten", 10)
("twenty", 20)
("thirty", 30)
-}
