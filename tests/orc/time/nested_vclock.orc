{- A child clock keeps its parent from advancing until the child's whole
   scope has halted. -}
Vclock(IntegerTimeOrder) >> Vawait(0) >>
( Vawait(1) >> "outer 1"
| (Vclock(IntegerTimeOrder) >> Vawait(0) >> Vawait(100) >> "inner 100")
)
{-
OUTPUT:
"inner 100"
"outer 1"
-}
