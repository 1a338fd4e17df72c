{- = is structural; values of different types are unequal. -}
([1, (2, "a")] = [1, (2, "a")], 10 = true, "a" /= "b", Some(1) = Some(1), {. x = 1 .} = {. x = 1 .})
{-
OUTPUT:
(true, false, true, true, true)
-}
