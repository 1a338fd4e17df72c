{- time.orc: timeouts and periodic signals over the clock (real or, with
   --sim-time, simulated). Part of the prelude, which every program sees
   unless run with --no-prelude. Rwait and Rtime are sites. -}

-- Some(x) if x is bound within t milliseconds, otherwise None().
def timeout(x, t) = {| Some(x) | Rwait(t) >> None() |}

-- A signal now and every t milliseconds after, forever.
def metronome(t) = signal | Rwait(t) >> metronome(t)

-- Calls f again and again, one call at a time, publishing each call's
-- first value; stops at the first call that publishes nothing within t
-- milliseconds (or halts silently).
def repeatWithTimeout(f, t) =
  {| (f() >x> Some(x) ; None()) | Rwait(t) >> None() |} >r>
  (r >Some(x)> (x | repeatWithTimeout(f, t)))
