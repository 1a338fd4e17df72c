{- Member calls on an array element, written as a(i)?, a(i) := v,
   a(i).readD(), a(i).readnb(): the same answers whether the element
   reference is used at once or kept as a value. -}
val a = Array(4)
def fill(i) = if i <: 4 then a(i) := i * i >> fill(i + 1) else signal
def total(i, acc) = if i <: 4 then total(i + 1, acc + a(i)?) else acc
fill(0) >>
Println("total " + total(0, 0)) >>
val r = a(3)
r := 100 >>
Println("kept ref reads " + r? + ", direct read " + a(3)?) >>
Println("readD " + a(1).readD() + ", readnb " + a(2).readnb()) >>
val b = Array(2, "int")
b(1) := b(1)? + 5 >>
Println("int array " + (b(0)?, b(1)?)) >>
(a(4)? ; Println("after out-of-bounds read")) >>
(a(-1) := 1 ; Println("after out-of-bounds write")) >>
(a("x")? ; Println("after bad index")) >>
(a(0).write() ; Println("after bad arity")) >>
(a(0).read(1) ; Println("after bad read arity")) >>
stop
{-
OUTPUT:
total 14
kept ref reads 100, direct read 100
readD 1, readnb 4
int array (0, 5)
Error: Array index out of bounds: 4 (the array has length 4)
after out-of-bounds read
Error: Array index out of bounds: -1 (the array has length 4)
after out-of-bounds write
Error: Array expects an integer index, but got String "x"
after bad index
Error: Array element write expects 1 argument, but was called with 0
after bad arity
Error: Array element read expects 0 arguments, but was called with 1
after bad read arity
-}
