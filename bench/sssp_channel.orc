{- Single-source shortest paths over a graph of __N__ nodes, three edges
   each, with a Channel as the work queue (the queue-based Bellman-Ford
   algorithm): a node whose distance drops is put on the queue, unless it
   is there already (python/sssp_channel.py). -}
val n = __N__
val dist = Array(n)
val queued = Array(n)
val queue = Channel()

def edges(u) = [((u + 1) % n, u % 7 + 1), ((u * 3 + 1) % n, u % 13 + 5), ((u * 7 + 2) % n, u % 5 + 3)]

def init(i) = if i = n then signal else dist(i) := -1 >> queued(i) := false >> init(i + 1)

def relax(_, []) = signal
def relax(du, (v, w):rest) =
  val d = du + w
  val old = dist(v)? #
  (if old = -1 || d <: old then
     dist(v) := d >>
     (if queued(v)? then signal else queued(v) := true >> queue.put(v))
   else signal) >>
  relax(du, rest)

def work() =
  queue.getD() >u> queued(u) := false >> relax(dist(u)?, edges(u)) >> work()
  ; signal

def total(i, acc) = if i = n then acc else total(i + 1, acc + dist(i)?)

init(0) >> dist(0) := 0 >> queue.put(0) >> work() >> total(0, 0)
