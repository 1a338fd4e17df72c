{- timeout.orc: three ways to put a deadline on a computation.

   1. The library function timeout(x, t) publishes Some(x) if x arrives
      within t milliseconds and None() otherwise.
   2. A race between (value, true) and (Rwait(t), false) under pruning tells
      whether the value or the deadline came first.
   3. Patterns on Some/None turn the result into a message.

   Run it:  cargo run --release -- run examples/timeout.orc -}

def service(delay, answer) = Rwait(delay) >> answer

val fast = timeout(service(100, "quick answer"), 500)
val slow = timeout(service(2000, "slow answer"), 500)

def report(Some(x)) = "got " + x
def report(None()) = "timed out"

val raced = {| (service(300, "value"), true) | (Rwait(200), false) |}

Println("fast: " + report(fast)) >>
Println("slow: " + report(slow)) >>
raced >(_, inTime)>
(if inTime then "value won the race" else "deadline won the race")

{-
OUTPUT:
fast: got quick answer
slow: timed out
"deadline won the race"
-}
