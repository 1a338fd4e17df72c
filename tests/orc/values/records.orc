{- Records: construction, field access, extension, patterns. -}
val r = {. name = "orc", version = 2 .}
r.name | (r + {. version = 3 .}).version | (r >{. version = v .}> v)
{-
OUTPUT:PERMUTABLE
"orc"
3
2
-}
