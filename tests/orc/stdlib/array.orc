{- Array(n): elements start as null; a(i) is a reference to element i;
   a.length? is the size. Array(n, type) starts elements at that type's
   zero. -}
val a = Array(3)
a(0)? >z> Println("initial " + z) >>
a(0) := "x" >> a(2) := 7 >> a(1).write(true) >>
(a(0)?, a(1).read(), a(2)?) >t> Println(t) >>
a.length? >n> Println("length " + n) >>
a.length() >m> Println("length() " + m) >>
Array(2, "int") >b> (b(0)?, b(1)?) >u> Println(u) >>
Array(1, "boolean") >c> c(0)? >v> Println(v) >>
Array(1, "double") >d> d(0)? >w> Println(w) >>
Array(0) >e> e.length? >k> Println("empty length " + k) >>
stop
{-
OUTPUT:
initial null
("x", true, 7)
length 3
length() 3
(0, 0)
false
0.0
empty length 0
-}
