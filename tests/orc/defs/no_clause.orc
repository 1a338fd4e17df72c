{- When no clause matches, the call halts silently. -}
def f(0) = "zero"
f(1) ; "no clause matched"
{-
OUTPUT:
"no clause matched"
-}
