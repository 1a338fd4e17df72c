{- Calling a definition or site with the wrong number of arguments is an
   error naming the callee. -}
def f(x) = x
f(1, 2) | Println(1) >> (1 + 2 + 3)
{-
OUTPUT:PERMUTABLE
Error: f expects 1 argument, but was called with 2
1
6
-}
