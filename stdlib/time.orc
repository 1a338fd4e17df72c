{- time.orc: timeouts and periodic signals over the real-time clock.
   Part of the prelude: loaded before every program. -}

-- Some(x) if x publishes within t milliseconds, otherwise None().
def timeout(x, t) = {| Some(x) | Rwait(t) >> None() |}

-- A signal now and every t milliseconds after.
def metronome(t) = signal | Rwait(t) >> metronome(t)
