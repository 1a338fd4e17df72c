{- snoop waits until some acquire is blocked; snoopD halts if none is;
   release beyond the initial value raises it. -}
val s = Semaphore(0)
  s.snoop() >> Println("snoop saw a blocked acquire") >>
  s.snoopD() >> Println("snoopD saw it too") >> s.release() >> stop
| (s.snoopD() ; Println("snoopD with nobody blocked halted")) >>
  Rwait(10) >> s.acquire() >> Println("acquired") >>
  s.release() >> s.release() >> s.acquireD() >> s.acquireD() >>
  Println("two units after two releases") >> stop
{-
OUTPUT:
snoopD with nobody blocked halted
snoop saw a blocked acquire
snoopD saw it too
acquired
two units after two releases
-}
