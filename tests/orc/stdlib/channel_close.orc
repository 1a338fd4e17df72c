{- close: blocked getters halt at once, later puts halt, items already in
   the channel can still be got, and close publishes once it is empty. -}
val c = Channel()
val d = Channel()
Rwait(5) >> c.closeD() >> Println("closeD returned") >> stop
| (c.get() ; Println("blocked get halted by closeD")) >> stop
| Rwait(10) >> d.put(1) >> d.put(2) >>
  ( d.close() >> Println("close returned after the channel drained") >> stop
  | Rwait(10) >> (d.put(3) ; Println("put on closed halted")) >>
    d.isClosed() >b> Println("isClosed " + b) >>
    d.get() >x> Println("got " + x) >>
    Rwait(10) >> d.get() >y> Println("got " + y) >>
    Rwait(10) >> (d.get() ; Println("get on closed empty halted")) >> stop
  )
{-
OUTPUT:
closeD returned
blocked get halted by closeD
put on closed halted
isClosed true
got 1
got 2
close returned after the channel drained
get on closed empty halted
-}
{-
OUTPUT:
blocked get halted by closeD
closeD returned
put on closed halted
isClosed true
got 1
got 2
close returned after the channel drained
get on closed empty halted
-}
