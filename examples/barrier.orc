{- barrier.orc: workers that go through phases in lockstep.

   Three workers each do three phases of work, taking different times. No
   worker may start phase p + 1 before every worker has finished phase p:
   between phases each calls the barrier's await(), which returns once all
   n parties are waiting.

   The barrier is reusable (like Java's CyclicBarrier): a lock protects
   the count of parties waiting, and each round has its own gate, a
   Semaphore(0) the waiting parties acquire. The last party to arrive runs
   the round's action, installs a fresh gate for the next round, and
   releases the n - 1 others through the old one; a fast worker that
   races ahead into the next round waits at the new gate, so it cannot
   take a permit meant for this round.

   Run it:  cargo run --release -- run examples/barrier.orc
   (add --sim-time to skip the waiting) -}

val clock = Rclock()
def log(message) = Println(clock.time() + " ms: " + message)

-- A barrier for n parties; the last to arrive in round r calls action(r).
def Barrier(n, action) =
  val lock = Semaphore(1)
  val waiting = Ref(0)
  val round = Ref(1)
  val gate = Ref(Semaphore(0))
  def releaseAll(g, 0) = signal
  def releaseAll(g, k) = g.release() >> releaseAll(g, k - 1)
  def await() =
    lock.acquire() >> waiting? + 1 >k> gate? >g>
    ( if k = n then
        action(round?) >>
        waiting := 0 >> round := round? + 1 >> gate := Semaphore(0) >>
        lock.release() >> releaseAll(g, n - 1)
      else
        waiting := k >> lock.release() >> g.acquire() )
  {. await = await .}

val barrier = Barrier(3, lambda(r) = log("all done with phase " + r))

-- A worker: its name and how long each of its phases takes (ms).
def worker(name, durations) =
  def phase(_, []) = signal
  def phase(p, d : rest) =
    Rwait(d) >> log(name + " done with phase " + p) >>
    barrier.await() >> phase(p + 1, rest)
  phase(1, durations)

  worker("w1", [100, 300, 100]) >> stop
| worker("w2", [200, 100, 200]) >> stop
| worker("w3", [300, 200, 300]) >> stop

{-
OUTPUT:
100 ms: w1 done with phase 1
200 ms: w2 done with phase 1
300 ms: w3 done with phase 1
300 ms: all done with phase 1
400 ms: w2 done with phase 2
500 ms: w3 done with phase 2
600 ms: w1 done with phase 2
600 ms: all done with phase 2
700 ms: w1 done with phase 3
800 ms: w2 done with phase 3
900 ms: w3 done with phase 3
900 ms: all done with phase 3
-}
