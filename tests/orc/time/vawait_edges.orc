{- Vawait of the current time publishes false at once; of a past time it
   halts; outside any clock Vawait and Vtime halt. -}
(Vclock(IntegerTimeOrder) >> Vawait(3) >> (Vawait(3) >b> ("now", b) | (Vawait(1) ; "past halted")))
| (Vawait(1) ; "no clock")
| (Vtime() ; "no time")
{-
OUTPUT:PERMUTABLE
("now", false)
"past halted"
"no clock"
"no time"
-}
