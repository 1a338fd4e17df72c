{- Semaphore: acquire takes a unit or blocks; release wakes the oldest
   blocked acquire or adds a unit; acquireD halts at zero. -}
val s = Semaphore(1)
  s.acquire() >> Println("acquired the only unit") >>
  (s.acquireD() ; Println("acquireD at zero halted")) >>
  Rwait(10) >> Println("releasing") >> s.release() >>
  Rwait(10) >> Println("releasing again") >> s.release() >> stop
| Rwait(1) >> s.acquire() >> Println("first waiter acquired") >> stop
| Rwait(2) >> s.acquire() >> Println("second waiter acquired") >> stop
{-
OUTPUT:
acquired the only unit
acquireD at zero halted
releasing
first waiter acquired
releasing again
second waiter acquired
-}
