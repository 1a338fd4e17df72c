{- A pattern in <P< ignores publications that do not match. -}
a + b <(a, b)< (1 | (2, 3) | (4, 5))
{-
OUTPUT:
5
-}
