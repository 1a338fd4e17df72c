{- Reads of array elements in functional definitions, which read the
   element in one step (no element reference is made), also when such a
   definition is called in an argument (`"get " + get(0)`): the same
   values and errors as reading through the reference. -}
val a = Array(3)
val b = Array(2)
def get(i) = a(i)?
def sumTo(i) = if i <: 0 then 0 else a(i)? + sumTo(i - 1)
def nested(i) = a(a(i)?)?
def safe(i) = a(i)? ; "none"
def deref(r) = r?
a(0) := 2 >> a(1) := 0 >> a(2) := 1 >>
(  "get " + get(0)
 | "sum " + sumTo(2)
 | "nested " + nested(0)
 | "unset " + (lambda(i) = b(i)?)(1)
 | "out of range " + safe(3)
 | get(-1)
 | get("x")
 | "in an argument " + get(4)
 | (a(1) := 7 >> "after a write " + get(1))
 | "through a reference " + deref(a(2))
)
{-
OUTPUT:PERMUTABLE
"get 2"
"sum 3"
"nested 1"
"unset null"
Error: Array index out of bounds: 3 (the array has length 3)
"out of range none"
Error: Array index out of bounds: -1 (the array has length 3)
Error: Array expects an integer index, but got String "x"
Error: Array index out of bounds: 4 (the array has length 3)
"after a write 7"
"through a reference 1"
-}
