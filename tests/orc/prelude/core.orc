{- core: abs, signum, min, max, sqrt, assert. -}
Println(abs(-3), " ", abs(4), " ", abs(0), " ", abs(-2.5)) >>
Println(signum(-7), " ", signum(0), " ", signum(12), " ", signum(-0.5)) >>
Println(min(3, 5), " ", min(5, 3), " ", max(3, 5), " ", max(5, 3)) >>
-- On a tie, min keeps the first argument and max the second.
Println(min(1, 1.0), " ", max(1, 1.0)) >>
Println(min("b", "a"), " ", max("b", "a")) >>
Println(sqrt(16) = 4, " ", sqrt(2.25) = 1.5) >>
(sqrt(-1) ; Println("sqrt(-1) halted")) >>
assert(1 + 1 = 2) >> Println("assert(true) signals") >>
assert(false) >> Println("not reached")
{-
OUTPUT:
3 4 0 2.5
-1 0 1 -1
3 3 5 5
1 1.0
a b
true true
sqrt(-1) halted
assert(true) signals
Error: assertion failure
-}
