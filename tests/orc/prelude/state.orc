{- fst, snd and Table (swap is in swap.orc). -}
def square(i) = Println("computing ", i) >> i * i
Println(fst((1, "a")), " ", snd((1, "a"))) >>
(fst(1) ; Println("fst of a non-pair halts")) >>
-- Table computes each entry once, in parallel, before publishing.
Table(5, lambda(i) = Rwait(10) >> square(i)) >t> Println("table ready at ", Rtime()) >>
Println(t(0), " ", t(3), " ", t(4), " ", t(3)) >>
(t(5) ; Println("t(5) failed")) >>  -- the Array's bounds error
-- A single entry, and entries that are themselves pairs.
Table(1, lambda(i) = (i, i)) >u> Println(u(0)) >>
Table(7, lambda(i) = (i, "x")) >v> Println(v(6), " ", v(2)) >>
-- If f halts silently on some index, so does Table.
(Table(3, lambda(i) = Ift(i /= 1) >> i) ; Println("Table halted")) >>
stop
{-
OUTPUT:PERMUTABLE
1 a
fst of a non-pair halts
computing 0
computing 1
computing 2
computing 3
computing 4
table ready at 10
0 9 16 9
Error: Array index out of bounds: 5 (the array has length 5)
t(5) failed
(0, 0)
(6, "x") (2, "x")
Table halted
-}
