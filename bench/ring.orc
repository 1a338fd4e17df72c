{- A ring of 503 channels: a token is passed around 100,000 times. -}
val n = 503
val hops = 100000
val ring = Table(n, lambda(_) = Channel()) #
-- Each node forwards what it receives to the next; the node that
-- receives 0 publishes, and the trim ends every node.
def node(i) =
  ring(i).get() >k>
  (if k = 0 then "done"
   else ring((i + 1) % n).put(k - 1) >> node(i))
{| upto(n) >i> node(i) | ring(0).put(hops) >> stop |}
{-
OUTPUT:
"done"
-}
