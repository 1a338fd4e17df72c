{- fork_join.orc: start several computations at once and continue when
   all of them have finished.

   In Orc the arguments of a call are computed in parallel and the call
   waits for all of them, so a tuple (f(), g()) or a list is already a
   fork-join. The prelude's map(f, xs) forks f on every element and joins
   them into a list; joinMap(f, xs) does the same for calls made for their
   effect and publishes one signal when all are done. Divide and conquer
   forks recursively: each half is computed in parallel with the other.

   Every fetch below waits, so the time taken shows the parallelism: the
   slowest branch, not the sum of all.

   Times are printed in whole milliseconds as the clock reads them: a run
   in real time prints the times a run in simulated time does, give or
   take the machine's lateness.

   Run it:  cargo run --release -- run examples/fork_join.orc
   (add --sim-time to skip the waiting) -}

def timed(name, f) =
  Rclock() >clock> f() >result>
  Println(name + ": " + result + " after " + clock.time() + " ms")

-- A page: name, how long fetching it takes (ms), its size.
val pages = [("index", 300, 12), ("about", 100, 3), ("news", 200, 40)]
def fetch((_, latency, size)) = Rwait(latency) >> size

-- The sum of f(i) for i in [lo, hi), each half computed in parallel.
def parallelSum(f, lo, hi) =
  if hi - lo = 1 then f(lo)
  else (lo + hi) / 2 >mid> (parallelSum(f, lo, mid), parallelSum(f, mid, hi)) >(a, b)> a + b
-- A slow square: 100 ms each.
def slowSquare(i) = Rwait(100) >> i * i

val notified = Counter(0)
def notify(_) = Rwait(200) >> notified.inc()

timed("two fetches as a pair", lambda() = (fetch(index(pages, 0)), fetch(index(pages, 1)))) >>
timed("all fetches by map", lambda() = map(fetch, pages)) >>
timed("sum of 16 slow squares", lambda() = parallelSum(slowSquare, 0, 16)) >>
timed("notified by joinMap", lambda() = joinMap(notify, range(0, 5)) >> notified.value()) >>
stop

{-
OUTPUT:
two fetches as a pair: (12, 3) after 300 ms
all fetches by map: [12, 3, 40] after 300 ms
sum of 16 slow squares: 1240 after 100 ms
notified by joinMap: 5 after 200 ms
-}
