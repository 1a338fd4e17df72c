{- Reading a member no class of the object defines is a runtime error. -}
val o = new { val x = 1 }
o.x >x> Println(x) >> o.z
{-
OUTPUT:
1
Error: the object { x = 1 } has no member `z`
-}
