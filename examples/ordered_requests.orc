{- ordered_requests.orc: requests handled strictly in arrival order, with
   each handler free to let the next request start before it has finished.

   A server applies requests to its state one at a time, in the order they
   arrived, but sending a reply may take long and need not hold up the
   next request. So serveInOrder gives each request a turn, a chain of
   Cells: request n waits until cell n is written, and the handler gets a
   function release() that writes cell n + 1. A handler calls release()
   as soon as its ordered part is done, and goes on with its reply
   concurrently. If it forgets (publishes or halts without calling it),
   serveInOrder releases the next request then; a second write of a Cell
   halts, so release() can safely happen twice.

   Times are printed in whole milliseconds as the clock reads them: a run
   in real time prints the times a run in simulated time does, give or
   take the machine's lateness.

   Run it:  cargo run --release -- run examples/ordered_requests.orc
   (add --sim-time to skip the waiting) -}

val clock = Rclock()
def now() = clock.time()
def log(message) = Println(now() + " ms: " + message)

-- Handles each request taken from the channel `requests` with
-- handler(request, release), in order; stops when the channel is closed.
def serveInOrder(requests, handler) =
  def release(turn) = turn.write(signal) ; signal
  def handle(request, turn, next) =
    turn.read() >>
    ( handler(request, lambda() = release(next)) >reply> release(next) >> reply
    ; release(next) >> stop )
  def serve(turn) =
    requests.get() >request> Cell() >next>
    ( handle(request, turn, next) | serve(next) )
  Cell() >first> release(first) >> serve(first)

-- A request: its name, how long its ordered part takes, and how long its
-- reply takes after that.
def handler((name, work, replying), release) =
  log(name + ": start") >>
  Rwait(work) >> log(name + ": applied, the next request may start") >>
  release() >>
  Rwait(replying) >> log(name + ": reply sent")

-- The client sends each request after its delay (ms) from the previous
-- one, then closes the channel.
def client(requests, []) = requests.close()
def client(requests, (delay, request) : rest) =
  Rwait(delay) >> request >(name, _, _)> log(name + " arrives") >>
  requests.put(request) >> client(requests, rest)

val requests = Channel()
serveInOrder(requests, handler) >> stop
| client(requests, [(0, ("A", 200, 500)), (100, ("B", 100, 100)), (0, ("C", 200, 0))]) >> stop

{-
OUTPUT:
0 ms: A arrives
0 ms: A: start
100 ms: B arrives
100 ms: C arrives
200 ms: A: applied, the next request may start
200 ms: B: start
300 ms: B: applied, the next request may start
300 ms: C: start
400 ms: B: reply sent
500 ms: C: applied, the next request may start
500 ms: C: reply sent
700 ms: A: reply sent
-}
