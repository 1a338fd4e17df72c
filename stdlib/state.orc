{- state.orc: helpers over mutable state, pairs and tables.
   Part of the prelude, which every program sees unless run with
   --no-prelude. Ref, Cell, Channel, Semaphore, Counter are sites. -}

-- Exchanges the contents of two references.
def swap(r, s) = (r?, s?) >(a, b)> (r := b, s := a) >> signal

-- The components of a pair.
def fst((x, _)) = x
def snd((_, y)) = y

-- Table(n, f): f computed once for each of 0 .. n-1 (in parallel), as a
-- function of the index. Publishes when every call has published (halts
-- silently if one halts silently). The values sit in an Array, so a
-- lookup takes constant time; an index out of range is the Array's error.
def Table(n, f) =
  val cells = Array(if n <: 0 then 0 else n)
  def fill(i) =
    if i >= n then signal else (cells(i) := f(i), fill(i + 1)) >> signal
  def lookup(i) = cells(i)?
  fill(0) >> lookup

-- A subject that broadcasts each value put into it to every observer
-- registered at the time: a multi-reader channel. observe() gives a
-- record with get() (the next value), stream() (every value), close()
-- and isClosed(); the subject has put(v), close(), closeD(), isClosed().
def ObservationSubject() =
  val queues = Channel()
  val lock = Semaphore(1)
  -- Every registered queue, each in turn; those still open are put back
  -- for the next round by `visit` (closed ones halt in put and drop out).
  def eachQueue(visit) = each(queues.getAll()) >q> visit(q)
  def observe() =
    val q = Channel()
    withLock(lock, lambda() = queues.put(q)) >>
    {. get = q.get,
       stream = lambda() = repeat(q.get),
       close = q.closeD,
       isClosed = q.isClosed .}
  def put(v) =
    withLock(lock, lambda() = eachQueue(lambda(q) = q.put(v) >> queues.put(q) >> stop))
    ; signal
  def closeWith(closeQueue) =
    withLock(lock, lambda() =
      (eachQueue(lambda(q) = closeQueue(q) >> stop) ; queues.closeD()))
  {. observe = observe,
     put = put,
     close = lambda() = closeWith(lambda(q) = q.close()),
     closeD = lambda() = closeWith(lambda(q) = q.closeD()),
     isClosed = queues.isClosed .}
