{- if-then-else on the first publication of the condition. -}
(if true then "yes" else "no") | (if 1 :> 2 then "yes" else "no")
{-
OUTPUT:PERMUTABLE
"yes"
"no"
-}
