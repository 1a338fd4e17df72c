{- idioms: curry, curry3, uncurry, uncurry3, flip, constant, defer, defer2,
   ignore, ignore2, compose. -}
def sub(x, y) = x - y
def sub3(x, y, z) = x - y - z
Println(curry(sub)(10)(3)) >>
Println(curry3(sub3)(10)(3)(2)) >>
Println(uncurry(lambda(x) = lambda(y) = x - y)(10, 3)) >>
Println(uncurry3(lambda(x) = lambda(y) = lambda(z) = x - y - z)(10, 3, 2)) >>
Println(flip(sub)(10, 3)) >>
Println(constant("k")()) >>
Println(defer(lambda(x) = x * 2, 21)()) >>
Println(defer2(sub, 1, 2)()) >>
Println(ignore(lambda() = "ignored")(99)) >>
Println(ignore2(lambda() = "both ignored")(1, 2)) >>
Println(compose(lambda(x) = x + 1, lambda(x) = x * 10)(4)) >>
-- compose passes on only the first value of the inner function.
compose(lambda(x) = x + 1, lambda(x) = x | Rwait(10) >> x + 5)(1)
{-
OUTPUT:
7
5
7
5
-7
k
42
-1
ignored
both ignored
41
2
-}
