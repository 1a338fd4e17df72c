{- quorum.orc: ask n replicas, answer as soon as k of them have replied,
   or when the deadline passes with whatever has arrived.

   All replicas are asked at once; their replies go into a channel, and
   one gatherer takes them until it has k. A trim races the gatherer
   against the deadline, and whichever publishes first ends the trim: the
   replicas still working, the gatherer and the deadline's timer are all
   killed, so a late reply goes nowhere and nothing is left running.

   The replicas hold a value with a version number (some are behind); a
   quorum read returns the newest version among the replies.

   Times are printed in whole milliseconds as the clock reads them: a run
   in real time prints the times a run in simulated time does, give or
   take the machine's lateness.

   Run it:  cargo run --release -- run examples/quorum.orc
   (add --sim-time to skip the waiting) -}

type Result = Quorum(_) | NoQuorum(_)

-- Publishes Quorum(replies) with the first k replies, or NoQuorum(replies)
-- with the replies so far if fewer than k arrived within `deadline` ms.
def quorum(replicas, ask, k, deadline) =
  val replies = Channel()
  val sofar = Ref([])
  def gather(got) =
    sofar := got >>
    ( if length(got) >= k then Quorum(reverse(got))
      else replies.get() >r> gather(r : got) )
  {| each(replicas) >replica> ask(replica) >r> replies.put(r) >> stop
   | gather([])
   | Rwait(deadline) >> NoQuorum(reverse(sofar?)) |}

-- A replica: its name, how long it takes to reply (ms), and the version
-- of the value it holds.
val replicas = [("r1", 200, 7), ("r2", 100, 6), ("r3", 500, 8), ("r4", 300, 7), ("r5", 800, 8)]

-- The reply with the highest version (the earliest one on a tie).
def newer((n, v), (m, w)) = if w :> v then (m, w) else (n, v)
def newest(replies) = foldl1(newer, replies)

def read(k, deadline) =
  val clock = Rclock()
  def now() = clock.time()
  def ask((name, latency, version)) =
    Rwait(latency) >> Println("  " + now() + " ms: " + name + " replies v" + version) >>
    (name, version)
  def report(Quorum(rs)) = "quorum " + rs + ", newest " + newest(rs)
  def report(NoQuorum(rs)) = "no quorum, only " + rs
  Println("read: " + k + " of " + length(replicas) + " replicas within " + deadline + " ms") >>
  quorum(replicas, ask, k, deadline) >result>
  Println("  " + now() + " ms: " + report(result))

read(3, 400) >> read(4, 400) >> stop

{-
OUTPUT:
read: 3 of 5 replicas within 400 ms
  100 ms: r2 replies v6
  200 ms: r1 replies v7
  300 ms: r4 replies v7
  300 ms: quorum [("r2", 6), ("r1", 7), ("r4", 7)], newest ("r1", 7)
read: 4 of 5 replicas within 400 ms
  100 ms: r2 replies v6
  200 ms: r1 replies v7
  300 ms: r4 replies v7
  400 ms: no quorum, only [("r2", 6), ("r1", 7), ("r4", 7)]
-}
