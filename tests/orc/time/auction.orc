{- An auction: every bidder answers after its own latency (some slower than
   the 8 s limit); each bid is awaited at most 8 s, so the auction ends by
   8 s and publishes the best bid that arrived in time. -}
def bid(i) = Rwait((i * 3001) % 12000) >> (i * 37) % 100
def amount(Some(b)) = b
def amount(None()) = 0
-- Publishes at the latest at 8 s (the enclosing pruning of max(...)
-- kills a late bidder once its argument is bound).
def bidOrNothing(i) = timeout(bid(i), 8000) >r> amount(r)
def best([]) = 0
def best(i:is) = max(bidOrNothing(i), best(is))
best([1, 2, 3, 4, 5, 6]) >b> (b, Rtime() <= 8000)
{-
OUTPUT:
(85, true)
-}
