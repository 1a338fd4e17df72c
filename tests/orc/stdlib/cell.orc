{- Cell: read blocks until the one write; a second write halts; readD
   halts while the cell is empty. -}
val c = Cell()
  c.read() >x> Println("reader woke with " + x) >> stop
| (c.readD() ; Println("readD on an empty cell halted")) >>
  Rwait(10) >> c.write(5) >> Println("first write") >>
  (c.write(6) ; Println("second write halted")) >>
  c.read() >y> c.readD() >z> Println((y, z)) >> stop
{-
OUTPUT:
readD on an empty cell halted
first write
reader woke with 5
second write halted
(5, 5)
-}
{-
OUTPUT:
readD on an empty cell halted
reader woke with 5
first write
second write halted
(5, 5)
-}
{-
OUTPUT:
readD on an empty cell halted
first write
second write halted
reader woke with 5
(5, 5)
-}
{-
OUTPUT:
readD on an empty cell halted
first write
second write halted
(5, 5)
reader woke with 5
-}
