{- cfold combines whichever two values are ready first, so uneven call
   times overlap. Uses the Channel site. -}
def slowAdd(a, b) = Rwait(a * 10) >> a + b
cfold((+), [1, 2, 3, 4, 5]) >s> Println(s) >>
cfold((+), [7]) >s> Println(s) >>
cfold((+), [7, 8]) >s> Println(s) >>
cfold(lambda(a, b) = a + b, ["a", "a", "a"]) >s> Println(s) >>
(cfold((+), []) ; Println("cfold of [] halts")) >>
Rtime() >t0> cfold(slowAdd, [1, 1, 1, 1]) >s> Println(s, " after ", Rtime() - t0) >>
stop
{-
OUTPUT:
15
7
15
aaa
cfold of [] halts
4 after 30
-}
