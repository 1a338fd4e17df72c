{- Channel: FIFO order, getD on an empty channel halts, getAll empties the
   channel in order, isClosed. -}
val c = Channel()
c.put(1) >> c.put(2) >> c.put(3) >>
c.get() >a> c.get() >b>
Println((a, b)) >>
(c.getD() >x> Println("getD " + x)) >>
(c.getD() ; Println("getD halted on empty")) >>
c.put(4) >> c.put(5) >>
c.getAll() >l> Println(l) >>
c.getAll() >m> Println(m) >>
c.isClosed() >o> Println(o) >>
stop
{-
OUTPUT:
(1, 2)
getD 3
getD halted on empty
[4, 5]
[]
false
-}
