{- BoundedChannel close and getAll: getAll takes the items and the items of
   waiting puts (which then return); close waits for the channel to drain;
   after close, puts halt and gets on an empty channel halt. -}
val c = BoundedChannel(1)
  c.put(1) >> Println("put 1") >> stop
| Rwait(1) >> c.put(2) >> Println("put 2 returned") >> stop
| Rwait(5) >> c.getAll() >l> Println("getAll " + l) >>
  c.put(3) >>
  ( c.close() >> Println("close returned") >> stop
  | Rwait(5) >> (c.put(4) ; Println("put on closed halted")) >>
    c.isClosed() >b> Println("isClosed " + b) >>
    c.get() >x> Println("got " + x) >>
    Rwait(5) >> (c.get() ; Println("get on closed empty halted")) >> stop )
{-
OUTPUT:
put 1
getAll [1, 2]
put 2 returned
put on closed halted
isClosed true
got 3
close returned
get on closed empty halted
-}
{-
OUTPUT:
put 1
put 2 returned
getAll [1, 2]
put on closed halted
isClosed true
got 3
close returned
get on closed empty halted
-}
