{- Counter: inc, dec (halts at zero), value, and onZero which waits for
   the count to reach zero. -}
val c = Counter(2)
  c.onZero() >> Println("onZero woke") >> stop
| c.value() >v> Println("start " + v) >>
  c.inc() >> c.value() >w> Println("after inc " + w) >>
  c.dec() >> c.dec() >> Rwait(10) >> Println("one left") >>
  c.dec() >> Rwait(10) >> c.value() >z> Println("at zero " + z) >>
  (c.dec() ; Println("dec at zero halted")) >>
  c.onZero() >> Println("onZero at zero returns at once") >>
  Counter() >d> d.value() >u> Println("Counter() starts at " + u) >> stop
{-
OUTPUT:
start 2
after inc 3
one left
onZero woke
at zero 0
dec at zero halted
onZero at zero returns at once
Counter() starts at 0
-}
