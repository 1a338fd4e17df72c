{- A runtime error halts only the token that raised it. -}
(1 / 0) | Error("custom failure") | "still running"
{-
OUTPUT:PERMUTABLE
Error: division by zero
Error: custom failure
"still running"
-}
