{- swap exchanges the contents of two references. Uses the Ref site. -}
val r = Ref(1)
val s = Ref("two")
swap(r, s) >x> Println(x, " ", r?, " ", s?) >> stop
{-
OUTPUT:
signal two 1
-}
