{- alarms.orc: one-shot and recurring alarms, and two ways to cancel them.

   An alarm is just a token waiting on Rwait; to cancel one, kill that
   token. Orc kills tokens by pruning: a trim {| ... |} kills what is left
   of its body when the body first publishes. So
     - {| alarm() >> stop | Rwait(t) |} cancels the alarm at time t;
     - cancellable(alarm) runs the alarm in a trim that also waits on a
       Cell, and publishes a function that fills the cell: calling it
       ends the trim, killing the alarm wherever it is.

   Times are printed in whole milliseconds as the clock reads them: a run
   in real time prints the times a run in simulated time does, give or
   take the machine's lateness.

   Run it:  cargo run --release -- run examples/alarms.orc
   (add --sim-time to skip the waiting) -}

val clock = Rclock()
def now() = clock.time()
def log(message) = Println(now() + " ms: " + message)

-- One-shot: f() once, after t ms.
def later(t, f) = Rwait(t) >> f()

-- Recurring: f() every `period` ms, the first one after a period. Each
-- f() runs beside the next wait, so a slow f does not shift the beat.
def every(period, f) = Rwait(period) >> (f() >> stop | every(period, f))

-- Starts alarm() and publishes at once a function that cancels it.
def cancellable(alarm) =
  val cancelled = Cell()
  def cancel() = cancelled.write(signal) ; signal
  cancel | {| alarm() >> stop | cancelled.read() |} >> stop

  later(300, lambda() = log("one-shot alarm set for 300 ms")) >> stop
| {| every(200, lambda() = log("tick (every 200 ms)")) >> stop
   | Rwait(700) >> log("stop ticking: the trim kills the recurring alarm") |} >> stop
| cancellable(lambda() = later(500, lambda() = log("never printed: cancelled")))
  >cancel> Rwait(100) >> cancel() >> log("cancel the alarm set for 500 ms") >> stop

{-
OUTPUT:
100 ms: cancel the alarm set for 500 ms
200 ms: tick (every 200 ms)
300 ms: one-shot alarm set for 300 ms
400 ms: tick (every 200 ms)
600 ms: tick (every 200 ms)
700 ms: stop ticking: the trim kills the recurring alarm
-}
