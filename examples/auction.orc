{- auction.orc: an auction that closes within 8 seconds, whatever the
   bidders do.

   Every bidder is asked at once; each answers after its own latency, and
   some are slower than the 8 s limit. The best bid that arrived in time
   wins.

   The point is where the deadline goes. In `timeout(bid(i), 8000)` the
   argument bid(i) is evaluated by a pruning *outside* timeout (a call
   waits for its arguments: `timeout(x, 8000) <x< bid(i)`), so when
   timeout publishes None() the bidder is not killed: it goes on until it
   answers, and whoever waits for the bidding to be over (here `collect`)
   waits for it too. Putting the call inside the trim,
   `{| bid(i) >b> Some(b) | Rwait(8000) >> None() |}`, kills a late bidder
   at 8 s. Both versions are run below: the first closes in time, the
   second only when the slowest bidder has answered.

   The latencies and amounts are pseudo-random but fixed (a linear
   congruential generator with a fixed seed), so the output is the same
   on every run.

   Run it:  cargo run --release -- run examples/auction.orc
   (add --sim-time to skip the waiting) -}

-- The linear congruential generator of the C standard's example rand().
def lcg(seed) = (seed * 1103515245 + 12345) % 2147483648
def draws(0, _) = []
def draws(n, seed) = lcg(seed) >s> s : draws(n - 1, s)

-- Bidder i answers after latency(i) ms (up to 12 s) with amount(i).
val randoms = draws(6, 42)
def draw(i) = index(randoms, i - 1)
def latency(i) = draw(i) % 12000
def amount(i) = draw(i) / 12000 % 100
val bidders = range(1, 7)

def bid(i) =
  Rwait(latency(i)) >>
  Println("  bidder " + i + " bids " + amount(i) + " after " + latency(i) + " ms") >>
  (i, amount(i))

-- A late bidder is killed at 8 s: the call is inside the trim.
def boundedBid(i) = {| bid(i) >b> Some(b) | Rwait(8000) >> None() |}

-- A late bidder is only abandoned: it keeps running until it answers.
def leakyBid(i) = timeout(bid(i), 8000)

-- The bid with the highest amount (the first one on a tie).
def better((i, a), (j, b)) = if b :> a then (j, b) else (i, a)
def best(bids) = foldl1(better, bids)

-- Asks every bidder at once; collect publishes the list of bids once
-- every ask(i) has halted. Publishes the winner and the time taken.
def auction(ask) =
  Rclock() >clock>
  collect(lambda() = each(bidders) >i> ask(i) >Some(b)> b) >bids>
  (best(bids), clock.time())

def report(((winner, price), t)) =
  Println("winner: bidder " + winner + " with " + price) >>
  Println("closed after " + t + " ms, within 8000 ms: " + (t <= 8000))

Println("Auction with the call inside the trim:") >>
auction(boundedBid) >result> report(result) >>
Println("Auction with timeout(bid(i), 8000):") >>
auction(leakyBid) >result> report(result) >>
stop

{-
OUTPUT:
Auction with the call inside the trim:
  bidder 1 bids 8 after 27 ms
  bidder 2 bids 25 after 2264 ms
  bidder 6 bids 72 after 2532 ms
  bidder 4 bids 56 after 2806 ms
  bidder 5 bids 74 after 7735 ms
winner: bidder 5 with 74
closed after 8000 ms, within 8000 ms: true
Auction with timeout(bid(i), 8000):
  bidder 1 bids 8 after 27 ms
  bidder 2 bids 25 after 2264 ms
  bidder 6 bids 72 after 2532 ms
  bidder 4 bids 56 after 2806 ms
  bidder 5 bids 74 after 7735 ms
  bidder 3 bids 89 after 8753 ms
winner: bidder 5 with 74
closed after 8753 ms, within 8000 ms: false
-}
