{- takePubs(n, f) publishes the first n values of f() as they come, then
   kills f and halts; it halts sooner if f does. Uses the Channel site. -}
def ticks() = metronome(10) >> Rtime()
takePubs(3, ticks) >t> Println("tick at ", t) >> stop
; Println("took 3, now ", Rtime()) >>
(takePubs(5, lambda() = 1 | Rwait(5) >> 2) >x> Println("short: ", x) >> stop
 ; Println("f halted first, now ", Rtime())) >>
(takePubs(0, ticks) ; Println("takePubs(0, _) publishes nothing")) >>
stop
{-
OUTPUT:
tick at 0
tick at 10
tick at 20
took 3, now 20
short: 1
short: 2
f halted first, now 25
takePubs(0, _) publishes nothing
-}
