{- Pruning kills the rest of g: the slow branch never prints. -}
x <x< (Rwait(1000) >> Println("never") >> 1 | Rwait(10) >> 2)
{-
OUTPUT:
2
-}
