{- Calls of definitions do not wait for their arguments; the body waits
   only where it uses them. -}
def f(x) = Println("in f") >> x + 1
val slow = Rwait(50) >> 1
f(slow)
{-
OUTPUT:
in f
2
-}
