{- {| f |} publishes only f's first publication and kills f. -}
{| Rwait(20) >> 1 | Rwait(10) >> 2 | Rwait(30) >> Println("killed") >> 3 |}
{-
OUTPUT:
2
-}
