{- An acquire given up by a timeout does not swallow the next release:
   the unit goes to a live acquirer or stays in the semaphore. -}
def timed(f, t) = {| Some(f()) | Rwait(t) >> None() |}
val s = Semaphore(0)
timed(s.acquire, 10) >r> Println("timed acquire: " + r) >>
(s.snoopD() ; Println("no live acquirer left")) >>
s.release() >>
(s.acquireD() >> Println("the released unit is still there")) >>
( timed(s.acquire, 100) >r> Println("second timed acquire: " + r) >> stop
| Rwait(5) >> s.release() >> stop ) ;
Semaphore(-1) ; Semaphore("x") ; Semaphore()
{-
OUTPUT:
timed acquire: None()
no live acquirer left
the released unit is still there
second timed acquire: Some(signal)
Error: Semaphore requires a non-negative argument
Error: Semaphore expects a non-negative integer, but got String "x"
Error: Semaphore expects 1 argument, but was called with 0
-}
