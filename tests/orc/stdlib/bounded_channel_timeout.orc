{- Timeouts on a bounded channel: a timed-out get loses no item, and a
   timed-out put withdraws its item. A bound of 0 is a rendezvous. -}
def timed(f, t) = {| Some(f()) | Rwait(t) >> None() |}
val c = BoundedChannel(1)
val z = BoundedChannel(0)
timed(c.get, 10) >r> Println("get: " + r) >>
c.put("a") >>
timed(lambda() = c.put("b"), 10) >r> Println("put on full: " + r) >>
c.getAll() >l> Println("contents: " + l) >>
( z.put("x") >> Println("rendezvous put returned") >> stop
| Rwait(10) >> z.get() >v> Println("rendezvous got " + v) >> stop ) ;
(z.putD("y") ; Println("putD on bound 0 with no getter halted")) >>
stop
{-
OUTPUT:
get: None()
put on full: None()
contents: ["a"]
rendezvous got x
rendezvous put returned
putD on bound 0 with no getter halted
-}
{-
OUTPUT:
get: None()
put on full: None()
contents: ["a"]
rendezvous put returned
rendezvous got x
putD on bound 0 with no getter halted
-}
