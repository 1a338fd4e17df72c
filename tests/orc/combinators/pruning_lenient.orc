{- The left side runs before x is bound; only readers of x wait. -}
(Println("left started") >> stop | x) <x< Rwait(10) >> "bound"
{-
OUTPUT:
left started
"bound"
-}
