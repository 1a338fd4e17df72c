{- bounded_buffer.orc: a fast producer and a slow consumer, kept in step
   by a buffer of two slots.

   The producer puts items 1 to 5 as fast as it can; the consumer takes
   one every 100 ms. A put into a full buffer blocks until the consumer
   makes room, so the producer is never more than two items ahead.

   The same run is made twice: with the built-in BoundedChannel(2), and
   with a bounded buffer built from an unbounded Channel (the items) and a
   Semaphore counting the free slots: put takes a slot before putting,
   get gives one back after getting. The timings are the same.

   When done the producer closes the buffer: close() waits until the
   buffer is empty, and a get on a closed, empty buffer halts, which ends
   the consumer's loop.

   Run it:  cargo run --release -- run examples/bounded_buffer.orc
   (add --sim-time to skip the waiting) -}

-- A bounded buffer of n slots made of a Channel and a Semaphore.
def Buffer(n) =
  val items = Channel()
  val free = Semaphore(n)
  {. put = lambda(x) = free.acquire() >> items.put(x),
     get = lambda() = items.get() >x> free.release() >> x,
     close = items.close .}

def run(name, buffer) =
  val clock = Rclock()
  -- The times at which each put returned, and each get.
  def produce(i, times) =
    if i :> 5 then buffer.close() >> reverse(times)
    else buffer.put(i) >> produce(i + 1, clock.time() : times)
  def consume(got) =
    Rwait(100) >>
    (buffer.get() >x> consume((x, clock.time()) : got) ; reverse(got))
  def show((put, (x, got))) =
    Println("  item " + x + ": put at " + put + " ms, got at " + got + " ms")
  Println(name + ":") >>
  (produce(1, []), consume([])) >(puts, gets)>
  seqMap(show, zip(puts, gets))

run("BoundedChannel(2)", BoundedChannel(2)) >>
run("Channel and Semaphore(2)", Buffer(2)) >>
stop

{-
OUTPUT:
BoundedChannel(2):
  item 1: put at 0 ms, got at 100 ms
  item 2: put at 0 ms, got at 200 ms
  item 3: put at 100 ms, got at 300 ms
  item 4: put at 200 ms, got at 400 ms
  item 5: put at 300 ms, got at 500 ms
Channel and Semaphore(2):
  item 1: put at 0 ms, got at 100 ms
  item 2: put at 0 ms, got at 200 ms
  item 3: put at 100 ms, got at 300 ms
  item 4: put at 200 ms, got at 400 ms
  item 5: put at 300 ms, got at 500 ms
-}
