{- Blocked tokens are quiescent: the clock advances while a branch waits on
   a variable that the next virtual instant binds. -}
Vclock(IntegerTimeOrder) >> Vawait(0) >>
( val x = Vawait(2) >> "bound at 2" #
  (x >> Vtime() >t> (x, t)) | (Vawait(1) >> Vtime())
)
{-
OUTPUT:
1
("bound at 2", 2)
-}
