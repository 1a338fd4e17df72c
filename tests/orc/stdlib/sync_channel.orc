{- SyncChannel: a put waits for a get and a get for a put; a put given up
   leaves nothing behind. -}
def timed(f, t) = {| Some(f()) | Rwait(t) >> None() |}
val s = SyncChannel()
  s.put(1) >> Println("put returned") >> stop
| Rwait(10) >> Println("getting") >> s.get() >x> Println("got " + x) >> stop
| Rwait(20) >> timed(lambda() = s.put(2), 10) >r> Println("unmatched put: " + r) >>
  timed(s.get, 10) >r> Println("get after the put gave up: " + r) >> stop
{-
OUTPUT:
getting
put returned
got 1
unmatched put: None()
get after the put gave up: None()
-}
{-
OUTPUT:
getting
got 1
put returned
unmatched put: None()
get after the put gave up: None()
-}
