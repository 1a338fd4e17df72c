{- Values known when the program is compiled are substituted for the
   variables bound to them; calls that fail, and calls of sites that make
   something new each time, are still made as the program runs. -}
val n = 3 + 4
val none = None()
def plus(x) = x + n
def fresh() = Ref(n)
val bad = 1 / 0 ; "recovered" #
( plus(1)
| (if true then "then" else "else")
| (if n = 7 then "seven" else "other")
| (none = None())
| (fresh() = fresh())
| fresh()?
| bad )
{-
OUTPUT:PERMUTABLE
Error: division by zero
8
"then"
"seven"
true
false
7
"recovered"
-}
