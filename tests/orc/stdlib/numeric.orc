{- Floor, Ceil, Abs, Exp and Log. -}
  Println(Floor(2.5)) >> Println(Floor(-2.5)) >> Println(Floor(7)) >>
  Println(Ceil(2.1)) >> Println(Ceil(-2.9)) >> Println(Ceil(3)) >>
  Println(Abs(-3)) >> Println(Abs(-2.50)) >> Println(Abs(4)) >>
  Println(Abs(-9223372036854775808)) >>
  Println(Floor(12345678901234567890.5)) >>
  Println(Exp(0)) >> Println(Log(1)) >> Println(Exp(1)) >>
  Println(Log(Exp(2)) = 2.0) >> stop
; Floor("a") ; Exp(1, 2) ; Log(0)
{-
OUTPUT:
2
-3
7
3
-2
3
3
2.50
4
9223372036854775808
12345678901234567890
1.0
0.0
2.718281828459045
true
Error: Floor expects a number, but got String "a"
Error: Exp expects 1 argument, but was called with 2
-Infinity
-}
