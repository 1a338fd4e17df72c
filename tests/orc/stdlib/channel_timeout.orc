{- A get killed while it waits (here by a timeout in a trim) gives up its
   place: later puts go to live getters or stay in the channel, never to
   the dead ones. -}
def timed(f, t) = {| Some(f()) | Rwait(t) >> None() |}
val c = Channel()
timed(c.get, 100) >r> Println("first: " + r) >>
timed(c.get, 100) >r> Println("second: " + r) >>
c.put(1) >> c.put(2) >>
c.getAll() >l> Println("left in channel: " + l) >>
(timed(c.get, 100) >r> Println("third: " + r) >> stop
 | Rwait(50) >> c.put(3) >> stop) ;
c.getAll() >l> Println("left at the end: " + l) >>
stop
{-
OUTPUT:
first: None()
second: None()
left in channel: [1, 2]
third: Some(3)
left at the end: []
-}
