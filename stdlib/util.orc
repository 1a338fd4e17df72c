{- util.orc: counting loops, limiting publications, locks and arrays.
   Part of the prelude, which every program sees unless run with
   --no-prelude. -}

-- n signals, all at once.
def signals(n) = if n <: 1 then stop else (signal | signals(n - 1))

-- low, low + step, ... while below high, all at once.
def forBy(low, high, step) =
  def from(i) = if i >= high then stop else (i | from(i + step))
  if step <= 0 then Error("forBy expects a positive step, but got " + step)
  else from(low)
def for(low, high) = forBy(low, high, 1)
-- 0, 1, ..., n - 1, all at once.
def upto(n) = for(0, n)

-- The first n values f() publishes, as they are published; then f is
-- killed and takePubs halts. Halts sooner if f halts sooner.
def takePubs(n, f) =
  val out = Channel()
  val enough = Channel()
  -- Publish n values from `out`, then tell the producer to stop.
  def pass(0) = enough.put(signal) >> stop
  def pass(k) = out.get() >x> (x | pass(k - 1))
  -- The producer's scope ends when f halts (closing `out` lets pass stop
  -- waiting) or when pass has had enough.
  {| (f() >x> out.put(x) >> stop ; out.close()) | enough.get() |} >> stop
  | pass(n)

-- Holds the semaphore s while f runs; publishes f's first value (if any)
-- and releases s as soon as f publishes or halts.
def withLock(s, f) =
  s.acquire() >> (
    {| f() |} >x> s.release() >> x
    ; s.release() >> stop)
-- A thunk that runs f under s, like a Java synchronized method.
def synchronized(s, f) = lambda() = withLock(s, f)

-- Arrays (the Array site): a(i) is the reference to element i, a.length?
-- the length.
def arrayToList(a) =
  -- Element by element from the end (reading each before going on costs
  -- less than a future per element).
  def from(0, acc) = acc
  def from(i, acc) = a(i - 1)? >x> from(i - 1, x : acc)
  a.length? >n> from(n, [])
def listToArray(xs) =
  val a = Array(length(xs))
  def store([], _) = stop
  def store(y:ys, i) = (a(i) := y) >> store(ys, i + 1)
  store(xs, 0) ; a
-- Sets a(i) := f(i) for every index, all at once; publishes a when every
-- call has finished (an element whose call halts silently stays unset).
def fillArray(a, f) =
  def fill(i, n) = if i >= n then stop else ((a(i) := f(i)) >> stop | fill(i + 1, n))
  fill(0, a.length?) ; a
-- A new array holding a's elements from index `from` up to (not including)
-- `until`.
def sliceArray(a, from, until) =
  val b = Array(until - from)
  def copy(i) = Ift(i <: until - from) >> (b(i) := a(from + i)?) >> copy(i + 1)
  copy(0) ; b
