{- stop halts at once without publishing. -}
stop | 1 | stop >> 2
{-
OUTPUT:
1
-}
