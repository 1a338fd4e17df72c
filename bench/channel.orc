{- 200,000 messages from a producer to a consumer through a Channel. -}
val c = Channel()
val total = 200000
def produce(i) = if i = total then c.close() else c.put(i) >> produce(i + 1)
def consume(sum) = c.get() >x> consume(sum + x) ; sum
produce(0) >> stop | consume(0)
{-
OUTPUT:
19999900000
-}
