{- close (not closeD) also halts blocked getters at once, and publishes at
   once when the channel is already empty; closing twice is fine. -}
val c = Channel()
Rwait(5) >> c.close() >> Println("close of an empty channel returned") >>
  c.close() >> Println("second close returned") >>
  c.getAll() >l> Println("getAll after close " + l) >> stop
| (c.get() ; Println("blocked get halted by close")) >> stop
{-
OUTPUT:
close of an empty channel returned
second close returned
getAll after close []
blocked get halted by close
-}
{-
OUTPUT:
blocked get halted by close
close of an empty channel returned
second close returned
getAll after close []
-}
{-
OUTPUT:
close of an empty channel returned
blocked get halted by close
second close returned
getAll after close []
-}
{-
OUTPUT:
close of an empty channel returned
second close returned
blocked get halted by close
getAll after close []
-}
