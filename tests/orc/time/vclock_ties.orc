{- Awaits of the same time fire together: exactly one publishes true. -}
Vclock(IntegerTimeOrder) >> Vawait(0) >>
(Vawait(5) | Vawait(5) | Vawait(5))
{-
OUTPUT:PERMUTABLE
true
false
false
-}
