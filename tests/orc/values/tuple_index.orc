{- A tuple is called with an index, counting from 0, as the manual's
   tuple section says. -}
val t = (3, "four", [5])
t(0) + 1 >a> Println(a) >>
Println(t(1)) >>
t(2) >[x]> Println(x) >>
(1, 2)(1) >b> Println(b) >>
(t(3) ; Println("out of bounds halts with an error")) >>
(t("x") ; Println("a non-integer index too")) >> stop

{-
OUTPUT:
4
four
5
2
Error: Tuple index out of bounds: 3 (the tuple has length 3)
out of bounds halts with an error
Error: Tuple expects an integer index, but got String "x"
a non-integer index too
-}
