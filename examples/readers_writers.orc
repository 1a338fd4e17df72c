{- readers_writers.orc: many readers at once, or one writer alone, and a
   waiting writer is not starved by a stream of readers.

   The lock is made of three semaphores:
     - `room` is held by the writer, or by the readers as a group: the
       first reader in acquires it, the last one out releases it (a
       "lightswitch", its count protected by `mutex`);
     - `turnstile` is passed through by every reader on the way in; a
       writer holds it while waiting for the room, so readers arriving
       after a waiting writer queue behind it instead of overtaking it.

   Here R1 and R2 read together; W1 arrives and waits for them; R3 arrives
   after W1 and waits for W1, although readers are still inside; W2 waits
   for R3. Each start prints how many are reading at that moment.

   Run it:  cargo run --release -- run examples/readers_writers.orc
   (add --sim-time to skip the waiting) -}

val clock = Rclock()
def log(message) = Println(clock.time() + " ms: " + message)

def RWLock() =
  val turnstile = Semaphore(1)
  val room = Semaphore(1)
  val mutex = Semaphore(1)
  val readers = Ref(0)
  def readLock() =
    turnstile.acquire() >> turnstile.release() >>
    withLock(mutex, lambda() =
      readers? + 1 >k> readers := k >> (if k = 1 then room.acquire() else signal))
  def readUnlock() =
    withLock(mutex, lambda() =
      readers? - 1 >k> readers := k >> (if k = 0 then room.release() else signal))
  def writeLock() = turnstile.acquire() >> room.acquire() >> turnstile.release()
  def writeUnlock() = room.release()
  -- f()'s first value, computed holding the lock, which is released as
  -- soon as f publishes or halts.
  def holding(lock, unlock, f) =
    lock() >> ({| f() |} >x> unlock() >> x ; unlock() >> stop)
  {. reading = lambda(f) = holding(readLock, readUnlock, f),
     writing = lambda(f) = holding(writeLock, writeUnlock, f) .}

val lock = RWLock()
val inside = Counter(0)

def reader(name, arrive, duration) =
  Rwait(arrive) >> log(name + " arrives") >>
  lock.reading(lambda() =
    inside.inc() >> log(name + " reads, " + inside.value() + " reading") >>
    Rwait(duration) >> inside.dec() >> log(name + " done")) >> stop

def writer(name, arrive, duration) =
  Rwait(arrive) >> log(name + " arrives") >>
  lock.writing(lambda() =
    log(name + " writes, " + inside.value() + " reading") >>
    Rwait(duration) >> log(name + " done")) >> stop

  reader("R1", 0, 300)
| reader("R2", 100, 300)
| writer("W1", 200, 100)
| reader("R3", 250, 200)
| writer("W2", 600, 100)

{-
OUTPUT:
0 ms: R1 arrives
0 ms: R1 reads, 1 reading
100 ms: R2 arrives
100 ms: R2 reads, 2 reading
200 ms: W1 arrives
250 ms: R3 arrives
300 ms: R1 done
400 ms: R2 done
400 ms: W1 writes, 0 reading
500 ms: W1 done
500 ms: R3 reads, 1 reading
600 ms: W2 arrives
700 ms: R3 done
700 ms: W2 writes, 0 reading
800 ms: W2 done
-}
