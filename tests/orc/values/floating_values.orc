{- The numeric sites take the floating values that non-terminating `/`
   gives (and decimals, as a fractional power is), and NaN and infinity
   follow Java's double rules, as in the reference. -}
val root2 = 2 ** 0.5
val third = 10.0 / 3
val inf = 1.0 / 0
val nan = inf - inf
Println(Floor(root2)) >>
Println(Ceil(root2)) >>
Println(Abs(0 - root2)) >>
Println(Floor(third)) >>
Println(Ceil(third)) >>
Println(Abs(0 - third)) >>
-- A fractional power keeps decimal scales: 0.0 / 5.0 is 0.
Println(0.0 / (25.00 ** 0.5)) >>
Println(Log(1.0 / 3)) >>
Println(Exp(1000)) >>
Println(Log(0 - 1)) >>
Println(nan) >>
-- NaN is ordered above everything (Double.compareTo): no error.
Println(nan <: 100) >>
Println(nan :> inf) >>
Println(inf :> 1e300) >>
(Floor(inf) ; Println("Floor of infinity has no integer value")) >>
stop

{-
OUTPUT:
1
2
1.4142135623730951
3
4
3.3333333333333335
0
-1.0986122886681098
Infinity
NaN
NaN
false
true
true
Error: Floor(Infinity) has no integer value
Floor of infinity has no integer value
-}
