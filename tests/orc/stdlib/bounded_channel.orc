{- BoundedChannel: puts block while the channel is full and resume, in
   order, as gets open slots; putD halts when full; getOpen and getBound. -}
val c = BoundedChannel(2)
  c.put(1) >> c.put(2) >> Println("two puts fit") >>
  c.getOpen() >o> c.getBound() >b> Println((o, b)) >>
  (c.putD(9) ; Println("putD on a full channel halted")) >>
  c.put(3) >> Println("third put resumed") >> stop
| Rwait(10) >> c.get() >x> Println("got " + x) >>
  Rwait(10) >> c.get() >y> Println("got " + y) >>
  c.get() >z> Println("got " + z) >>
  c.getOpen() >o> Println("open " + o) >>
  (c.getD() ; Println("getD on an empty channel halted")) >> stop
{-
OUTPUT:
two puts fit
(0, 2)
putD on a full channel halted
got 1
third put resumed
got 2
got 3
open 2
getD on an empty channel halted
-}
