{- onZero given up by a timeout; errors for bad arguments. -}
def timed(f, t) = {| Some(f()) | Rwait(t) >> None() |}
val c = Counter(1)
timed(c.onZero, 10) >r> Println("timed onZero: " + r) >>
( timed(c.onZero, 100) >r> Println("second timed onZero: " + r) >> stop
| Rwait(5) >> c.dec() >> stop ) ;
Counter("x") ; Counter(1, 2) ; c.inc(3)
{-
OUTPUT:
timed onZero: None()
second timed onZero: Some(signal)
Error: Counter expects an integer, but got String "x"
Error: Counter expects 0 or 1 arguments, but was called with 2
Error: Counter.inc expects 0 arguments, but was called with 1
-}
