{- Decimal division is exact when the quotient terminates; otherwise, and
   when dividing a decimal by zero, it is computed in floating point (as the
   reference does). Integer division by zero is an error. -}
(1.1 / 1.1, 0 / 1.1, 1 / 8.0, 1 / 3.0, 1.1 / 0, 0.0 / 0, -1.0 / 0.0)
| 1 / 0
{-
OUTPUT:PERMUTABLE
(1, 0E+1, 0.125, 0.3333333333333333, Infinity, NaN, -Infinity)
Error: division by zero
-}
