{- 20,000 concurrent timeouts of 200 ms; half the waits (100 ms) finish in
   time, half (300 ms) time out. Publishes how many timed out. -}
val timedOut = Counter(0)
val all = Counter(20000) #
( upto(20000) >i> (if i % 2 = 0 then 100 else 300) >d>
  timeout(Rwait(d), 200) >r>
  (if r = None() then timedOut.inc() else signal) >> all.dec() >> stop )
| all.onZero() >> timedOut.value()
{-
OUTPUT:
10000
-}
