{- + concatenates strings with the printed form of other values. -}
"n = " + 3 | "list: " + [1, 2] | 1 + "x"
{-
OUTPUT:PERMUTABLE
"n = 3"
"list: [1, 2]"
"1x"
-}
