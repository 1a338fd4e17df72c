{- services.orc: patterns for calling services that can be slow or fail,
   over thunks (functions of no arguments), so they work for HTTP
   requests, commands and any other call alike. A call fails by halting
   without a value (an HTTP error, a non-zero wait); each pattern is
   plain pruning, otherwise and timers. Part of the prelude. -}

-- Some of the first value of any of the thunks fs, called all at once,
-- or None() if none has one within t milliseconds; the rest are killed.
def firstOf(fs, t) = {| fork(fs) >x> Some(x) | Rwait(t) >> None() |}

-- A hedged call: f() now and, if it has not answered within `delay`
-- milliseconds, f() again beside it; the first value wins.
def hedge(f, delay) = {| f() | Rwait(delay) >> f() |}

-- f()'s first value, trying up to n times; after the k-th failure waits
-- delay * 2^(k-1) milliseconds plus a random jitter of up to as much.
def retryBackoff(f, n, delay) =
  {| f() |} ; (if n <= 1 then stop
               else Rwait(delay + Random(delay + 1)) >> retryBackoff(f, n - 1, delay * 2))

-- A circuit breaker around f: a function of no arguments calling f(),
-- that fails at once, without calling f, for `cooldown` milliseconds
-- after `threshold` failures in a row; a success closes it again.
def circuitBreaker(f, threshold, cooldown) =
  val failures = Ref(0)
  val openUntil = Ref(-1)
  val clock = Rclock()
  def fail() =
    failures := failures? + 1 >>
    (if failures? >= threshold then openUntil := clock.time() + cooldown else signal) >>
    stop
  def call() =
    if clock.time() <: openUntil? then stop
    else ({| f() |} >x> failures := 0 >> x ; fail())
  call

-- Scatter-gather with a quorum: Some(the first k values) of the thunks
-- fs, called all at once, in the order they came, or None() if fewer
-- than k arrive within t milliseconds; the rest are killed.
def quorum(fs, k, t) =
  val answers = Channel()
  def gather(0, got) = reverse(got)
  def gather(n, got) = answers.get() >x> gather(n - 1, x:got)
  {| (fork(fs) >x> answers.put(x) >> stop) | gather(k, []) >xs> Some(xs) | Rwait(t) >> None() |}

-- Each line a command prints, as it prints it (no shell; the command's
-- arguments are a list). The command is killed when no token can read
-- its output any more.
def execLines(command, arguments) = Spawn(command, arguments) >p> repeat(p.readLine)
