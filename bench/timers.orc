{- 100,000 tokens, each waiting Rwait(i % 500), counted down on a Counter. -}
val c = Counter(100000) #
(upto(100000) >i> Rwait(i % 500) >> c.dec() >> stop) | c.onZero() >> "done"
{-
OUTPUT:
"done"
-}
