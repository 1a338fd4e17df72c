{- A token that keeps forking (repeat) does not starve older tokens: the
   value computed beside it is published and ends the trim. -}
{| val o = (def f() = 3 # f()) # (o | repeat({ 1 }) >> stop) |}
{-
OUTPUT:
3
-}
