{- rate_limiter.orc: at most n calls start in any window of `period` ms.

   The limiter is a Semaphore with n permits. A call takes a permit
   before it starts and gives it back `period` ms later, on a token of its
   own, so the call itself is not delayed. Callers beyond the n-th in a
   window wait in the semaphore's queue.

   Eight requests arrive at once at a limiter of 3 per 100 ms: three
   start at once, three 100 ms later, two 200 ms later. Which request goes
   in which batch depends on the semaphore's queue, so the example prints
   only how many started when.

   Times are printed in whole milliseconds as the clock reads them: a run
   in real time prints the times a run in simulated time does, give or
   take the machine's lateness.

   Run it:  cargo run --release -- run examples/rate_limiter.orc
   (add --sim-time to skip the waiting) -}

val clock = Rclock()
def now() = clock.time()

-- A function that calls f() within the limit, publishing what f() does.
def rateLimiter(n, period) =
  val permits = Semaphore(n)
  def limited(f) =
    permits.acquire() >>
    ( Rwait(period) >> permits.release() >> stop
    | f() )
  limited

val limited = rateLimiter(3, 100)

-- The start time of every request, once all have started and every
-- permit is back.
val starts = collect(lambda() = upto(8) >> limited(now))

-- group turns runs of (key, value) pairs into (key, values) pairs.
def report((t, batch)) = Println(t + " ms: " + length(batch) + " requests started")
seqMap(report, group(map(lambda(t) = (t, t), starts))) >> stop

{-
OUTPUT:
0 ms: 3 requests started
100 ms: 3 requests started
200 ms: 2 requests started
-}
