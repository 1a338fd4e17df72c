{- Halting of ; in nested and parallel cases: the left side halts only when
   every branch has halted, including branches that publish late. -}
((stop | Rwait(10) >> stop) ; "a")
| ((stop | Rwait(10) >> "b") ; "not me")
| (((stop ; stop) ; stop) ; "c")
| ((stop >> 1) ; "d")
{-
OUTPUT:PERMUTABLE
"a"
"b"
"c"
"d"
-}
