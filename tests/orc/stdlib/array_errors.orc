{- Array bounds and argument errors. -}
val a = Array(2)
  a(2)
| a(-1)
| a("0")
| Array(-1)
| Array(2, "quux")
| Array()
| a(0).write()
{-
OUTPUT:PERMUTABLE
Error: Array index out of bounds: 2 (the array has length 2)
Error: Array index out of bounds: -1 (the array has length 2)
Error: Array expects an integer index, but got String "0"
Error: Array expects a non-negative size, but got -1
Error: Array: unknown element type "quux" (expected one of double, float, long, int, short, byte, char, boolean)
Error: Array expects 1 or 2 arguments (a size and optionally an element type), but was called with 0
Error: Array element write expects 1 argument, but was called with 0
-}
