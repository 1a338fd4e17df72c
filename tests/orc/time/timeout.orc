{- The library timeout: Some(x) in time, None() otherwise. -}
timeout(Rwait(10) >> "fast", 100) | timeout(Rwait(1000) >> "slow", 100)
{-
OUTPUT:
Some("fast")
None()
-}
