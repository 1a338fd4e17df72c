{- timeout.orc: three ways to put a deadline on a computation.

   1. The library function timeout(x, t) publishes Some(x) if x arrives
      within t milliseconds and None() otherwise.
   2. A race between (value, true) and (Rwait(t), false) under pruning tells
      whether the value or the deadline came first.
   3. Clauses with Some/None patterns turn the result into a message, or
      into the value itself with a default for when it came too late.

   The computations all run at once: the program ends after 500 ms, when
   the last deadline passes (the slow service is killed then, because
   `val` binds its value by pruning).

   Run it:  cargo run --release -- run examples/timeout.orc
   (add --sim-time to skip the waiting) -}

def service(delay, answer) = Rwait(delay) >> answer

val fast = timeout(service(100, "quick answer"), 500)
val slow = timeout(service(2000, "slow answer"), 500)

def report(Some(x)) = "got " + x
def report(None()) = "timed out"

val raced = {| (service(300, "value"), true) | (Rwait(200), false) |}

def orElse(Some(x), _) = x
def orElse(None(), default) = default
val orDefault = orElse(timeout(service(400, "late answer"), 300), "default answer")

Println("fast: " + report(fast)) >>
Println("slow: " + report(slow)) >>
Println("with a default: " + orDefault) >>
raced >(_, inTime)>
(if inTime then "value won the race" else "deadline won the race")

{-
OUTPUT:
fast: got quick answer
slow: timed out
with a default: default answer
"deadline won the race"
-}
