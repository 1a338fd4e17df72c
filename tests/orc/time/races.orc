{- The shapes a trim of a pure call against a timer can take. Each is run
   by one token waiting on both sides where it can (see src/runtime/race.rs),
   the general way where it cannot; both must publish what the trim does. -}
def at(t, v) = Rwait(t) >> v
-- Counts the late ones among n timeouts run one after another.
def lates(0, acc) = acc
def lates(n, acc) =
  timeout(at(n % 3 * 10, n), 15) >r> lates(n - 1, acc + (if r = None() then 1 else 0))
-- Ready at once: no timer is set.
at(1, 5) >a> timeout(a, 100) >r> ("ready", r, Rtime())
-- The value arrives before the timer, or after it.
| (timeout(at(10, "fast"), 100) >r> ("fast", r, Rtime()))
| (timeout(at(1000, "slow"), 100) >r> ("slow", r, Rtime()))
-- The value halts, at once or later: the timer alone decides.
| (timeout(stop, 50) >r> ("stop", r, Rtime()))
| (timeout(at(10, stop), 60) >r> ("stops later", r, Rtime()))
-- Two values, both in time or one late.
| ({| (at(10, 1), at(30, 2)) | Rwait(70) >> "late" |} >r> ("pair", r, Rtime()))
| ({| (at(10, 1), at(90, 2)) | Rwait(80) >> "late" |} >r> ("half", r, Rtime()))
-- The delay itself is a future: the trim runs the general way.
| (timeout(at(200, 1), at(20, 50)) >r> ("delay later", r, Rtime()))
-- A zero delay against a value not yet there.
| (timeout(at(5, 1), 0) >r> ("zero", r, Rtime()))
-- The left side's error halts it; the timer still publishes.
| (at(3, 0) >z> {| 1 / z | Rwait(40) >> "no quotient" |} >r> ("error", r, Rtime()))
-- A race killed by an outer trim (see also race_killed.orc).
| ({| timeout(at(300, 1), 400) | at(120, "cut") |} >r> ("cut", r, Rtime()))
-- Races one after another in one token.
| (lates(9, 0) >late> ("loop", late, Rtime()))
{-
OUTPUT:PERMUTABLE
("ready", Some(5), 1)
("fast", Some("fast"), 10)
("slow", None(), 100)
("stop", None(), 50)
("stops later", None(), 60)
("pair", (1, 2), 30)
("half", "late", 80)
("delay later", None(), 70)
("zero", None(), 0)
Error: division by zero
("error", "no quotient", 43)
("cut", "cut", 120)
("loop", 3, 75)
-}
