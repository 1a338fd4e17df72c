{- heartbeat.orc: a failure detector fed by heartbeats.

   A monitored process puts a heartbeat into a channel every 100 ms. The
   detector waits for each heartbeat with a timeout:

     {| beats.get() >> true | Rwait(t) >> false |}

   (the get is inside the trim, so when the timeout wins the pending get
   is killed and cannot swallow a later heartbeat). When the timeout wins
   the detector suspects the process. A heartbeat arriving after that was
   a false suspicion: the detector trusts the process again and lengthens
   its timeout, so that a slow process is not suspected forever (an
   "eventually perfect" failure detector). If the silence lasts `giveUp`
   ms after the suspicion, the process is declared crashed.

   Here the process stalls once for 400 ms (a garbage collection, say),
   is suspected, recovers, and later crashes for good.

   Run it:  cargo run --release -- run examples/heartbeat.orc
   (add --sim-time to skip the waiting) -}

val clock = Rclock()
def log(message) = Println(clock.time() + " ms: " + message)

-- The process: a heartbeat after each delay (ms) in the list, then it
-- stops for good.
def process(beats, []) = log("process crashes")
def process(beats, delay : rest) =
  (if delay :> 100 then log("process stalls for " + delay + " ms") else signal) >>
  Rwait(delay) >> beats.put(signal) >> process(beats, rest)

-- Whether a heartbeat arrives within t ms.
def beatWithin(beats, t) = {| beats.get() >> true | Rwait(t) >> false |}

def detector(beats, timeout, step, giveUp) =
  def trusting(t) =
    beatWithin(beats, t) >alive>
    ( if alive then trusting(t)
      else log("suspect the process: no heartbeat for " + t + " ms") >> suspecting(t) )
  def suspecting(t) =
    beatWithin(beats, giveUp) >alive>
    ( if alive then
        log("heartbeat: trust the process again, timeout now " + (t + step) + " ms") >>
        trusting(t + step)
      else log("declare the process crashed") )
  trusting(timeout)

val beats = Channel()
process(beats, [100, 100, 100, 400, 100, 100]) >> stop
| detector(beats, 250, 250, 600) >> stop

{-
OUTPUT:
300 ms: process stalls for 400 ms
550 ms: suspect the process: no heartbeat for 250 ms
700 ms: heartbeat: trust the process again, timeout now 500 ms
900 ms: process crashes
1400 ms: suspect the process: no heartbeat for 500 ms
2000 ms: declare the process crashed
-}
