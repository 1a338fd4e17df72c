{- If g halts silently, readers of x halt: the otherwise branch runs. -}
(x <x< stop) ; "right side ran"
{-
OUTPUT:
"right side ran"
-}
