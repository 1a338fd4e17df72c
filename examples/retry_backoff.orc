{- retry_backoff.orc: retry a failing call with exponential backoff,
   within an overall deadline.

   In Orc a call fails by halting without a value. `retry` tries the
   call, cutting each try off after `limit` ms (a service that hangs is
   a failure too), and after a failure waits `delay` ms before the next
   try, doubling the delay every time. The try is inside the trim, so a
   try that is cut off is killed, not left running beside the next one.

   The overall deadline is one more trim around the whole retry loop:
   when it passes, the loop is killed wherever it is, waiting or trying.

   Run it:  cargo run --release -- run examples/retry_backoff.orc
   (add --sim-time to skip the waiting) -}

type Result = Done(_) | GaveUp()

-- op()'s first value, retrying with exponential backoff until it has one.
def retry(op, limit, delay) =
  {| (op() >x> Some(x) ; None()) | Rwait(limit) >> None() |} >r>
  ( r >Some(x)> x
  | r >None()> Rwait(delay) >> retry(op, limit, delay * 2) )

-- Done(value) if retry succeeds within `deadline` ms, otherwise GaveUp().
def retryUntil(op, deadline) =
  {| retry(op, 300, 100) >x> Done(x) | Rwait(deadline) >> GaveUp() |}

-- A service that behaves as `script` says on its n-th call: "fail" halts
-- after 100 ms, "hang" never answers, anything else is the answer after
-- 100 ms. Past the end of the script it fails.
def service(name, script) =
  val calls = Counter(0)
  val clock = Rclock()
  def act("fail") = Rwait(100) >> stop
  def act("hang") = Rwait(1000000) >> stop
  def act(answer) = Rwait(100) >> answer
  def call() =
    calls.inc() >> calls.value() >n>
    Println("  " + clock.time() + " ms: " + name + " try " + n) >>
    (index(script, n - 1) ; "fail") >behaviour> act(behaviour)
  call

def attempt(name, script, deadline) =
  Println(name + " service, deadline " + deadline + " ms:") >>
  Rclock() >clock>
  retryUntil(service(name, script), deadline) >result>
  Println("  " + clock.time() + " ms: " + result)

attempt("flaky", ["fail", "fail", "hang", "ok"], 2000) >>
attempt("broken", [], 1500) >>
stop

{-
OUTPUT:
flaky service, deadline 2000 ms:
  0 ms: flaky try 1
  200 ms: flaky try 2
  500 ms: flaky try 3
  1200 ms: flaky try 4
  1300 ms: Done("ok")
broken service, deadline 1500 ms:
  0 ms: broken try 1
  200 ms: broken try 2
  500 ms: broken try 3
  1000 ms: broken try 4
  1500 ms: GaveUp()
-}
