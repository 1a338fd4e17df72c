{- withLock and synchronized serialise critical sections on a semaphore
   and release it whether the section publishes or halts. Uses the
   Semaphore site. The section should publish at most once: withLock
   keeps its first value and kills the rest. -}
val s = Semaphore(1)
def section(name) = Println(name, " in at ", Rtime()) >> Rwait(10) >> Println(name, " out at ", Rtime()) >> name
withLock(s, lambda() = section("a")) >x> Println("published ", x) >> stop
| Rwait(1) >> withLock(s, lambda() = section("b") >> stop) >> Println("not reached") >> stop
| Rwait(2) >> synchronized(s, lambda() = section("c") | section("c2"))() >x> Println("published ", x) >> stop
| Rwait(50) >> withLock(s, lambda() = "lock was released") >x> Println(x) >> stop
{-
OUTPUT:
a in at 0
a out at 10
published a
b in at 10
b out at 20
c in at 20
c2 in at 20
c out at 30
published c
lock was released
-}
{-
OUTPUT:
a in at 0
a out at 10
published a
b in at 10
b out at 20
c2 in at 20
c in at 20
c2 out at 30
published c2
lock was released
-}
