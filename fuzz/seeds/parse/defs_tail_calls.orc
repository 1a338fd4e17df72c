{- Tail calls run in constant memory: ten million iterations. -}
def loop(n) = if n = 0 then "done" else loop(n - 1)
loop(10000000)
{-
OUTPUT:
"done"
-}
