{- range and rangeBy: low, low + step, ... below high. -}
Println(range(0, 5), " ", range(3, 4), " ", range(2, 2), " ", range(5, 2)) >>
Println(rangeBy(1, 8, 2), " ", rangeBy(0, 6, 2), " ", rangeBy(1, 8, 1.5)) >>
Println(length(range(0, 100000)), " ", last(rangeBy(3, 20001, 2))) >>
(rangeBy(0, 5, 0) ; Println("a zero step failed")) >>
stop
{-
OUTPUT:
[0, 1, 2, 3, 4] [3] [] []
[1, 3, 5, 7] [0, 2, 4] [1, 2.5, 4.0, 5.5, 7.0]
100000 19999
Error: rangeBy expects a positive step, but got 0
a zero step failed
-}
