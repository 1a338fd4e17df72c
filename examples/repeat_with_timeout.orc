{- repeat_with_timeout.orc: drain a stream until it stays quiet.

   A producer puts readings into a channel, with gaps between them. The
   consumer takes readings until none arrives for 300 ms, using the
   prelude's repeatWithTimeout(f, t): it calls f again and again, one call
   at a time, publishing each call's value, and stops at the first call
   that publishes nothing within t ms. Its definition (stdlib/time.orc):

     def repeatWithTimeout(f, t) =
       {| (f() >x> Some(x) ; None()) | Rwait(t) >> None() |} >r>
       (r >Some(x)> (x | repeatWithTimeout(f, t)))

   The pending f() (here readings.get()) is inside the trim, so the
   deadline kills it: the channel skips the cancelled get, and a reading
   that arrives later stays in the channel for someone else instead of
   being swallowed by a forgotten call.

   Times are printed in whole milliseconds as the clock reads them: a run
   in real time prints the times a run in simulated time does, give or
   take the machine's lateness.

   Run it:  cargo run --release -- run examples/repeat_with_timeout.orc
   (add --sim-time to skip the waiting) -}

val readings = Channel()

-- Time since the start.
val clock = Rclock()
def now() = clock.time()

-- Each reading is put after its delay (ms) from the previous one.
def produce([]) = signal
def produce((delay, x) : rest) = Rwait(delay) >> readings.put(x) >> produce(rest)

-- Takes readings until there is none for 300 ms.
def consume() =
  repeatWithTimeout(readings.get, 300) >x>
  Println("got " + x + " at " + now() + " ms") >> stop
  ; Println("quiet for 300 ms: stopped at " + now() + " ms")

consume() >> stop
| produce([(0, "a"), (100, "b"), (100, "c"), (400, "d")]) >>
  Println("producer done at " + now() + " ms; unread: " + readings.getAll()) >>
  stop

{-
OUTPUT:
got a at 0 ms
got b at 100 ms
got c at 200 ms
quiet for 300 ms: stopped at 500 ms
producer done at 600 ms; unread: ["d"]
-}
