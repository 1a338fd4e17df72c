{- signals, for, forBy and upto publish all their values at once (so the
   order is free), then halt. -}
(signals(3) >s> Println("signals ", s) >> stop ; Println("signals(3) halted")) >>
(signals(0) ; signals(-2) ; Println("signals(0) publishes nothing")) >>
(for(2, 5) >i> Println("for ", i) >> stop ; for(5, 5) ; for(6, 5) ; Println("for halted")) >>
(forBy(1, 8, 3) >i> Println("forBy ", i) >> stop ; forBy(1, 1, 3) ; Println("forBy halted")) >>
(forBy(1, 8, 0) ; Println("a zero step failed")) >>
(upto(3) >i> Println("upto ", i) >> stop ; upto(0) ; Println("upto halted")) >>
-- All values come out at the same moment.
(for(0, 100) >> Rwait(10) >> stop ; Println("for(0, 100) done at ", Rtime())) >>
stop
{-
OUTPUT:PERMUTABLE
signals signal
signals signal
signals signal
signals(3) halted
signals(0) publishes nothing
for 2
for 3
for 4
for halted
forBy 1
forBy 4
forBy 7
forBy halted
Error: forBy expects a positive step, but got 0
a zero step failed
upto 0
upto 1
upto 2
upto halted
for(0, 100) done at 10
-}
