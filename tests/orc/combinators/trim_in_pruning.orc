{- A token leaving {| |} inside the right side of a pruning is still
   killed when the pruning binds its variable: nothing is left behind. -}
(b <b< {| false |})
| (c <c< {| stop | "second branch" |})
| (d <d< {| Ift(false) >> 1 | 2 |})
{-
OUTPUT:PERMUTABLE
false
"second branch"
2
-}
