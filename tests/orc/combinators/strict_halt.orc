{- A site call halts as soon as one argument halts, even if another
   argument is still unbound. -}
val never = Rwait(100000) >> 1
val y = stop #
(never + y) ; "halted"
{-
OUTPUT:
"halted"
-}
