{- An included file is spliced once per program (DIVERGENCES.md, 6): the
   second include (another spelling of the same path) adds nothing, so the
   file's Println runs once and `lib` keeps the value declared after the
   first. (The reference splices the file again: it prints the line twice,
   and the second splice rebinds `lib` to "lib".) -}
include "include_once.inc"
val lib = "program"
include "./include_once.inc"
lib
{-
OUTPUT:
include_once.inc spliced
"program"
-}
