{- election_timer.orc: a periodic timer that can be paused, resumed and
   reset without being recreated.

   A Raft follower starts an election when it has heard nothing from a
   leader for a while: an election timer. Here the timer is one token,
   driven by a channel of commands. While running it waits for whichever
   comes first, the time it has left or a command:

     {| Rwait(left) >> Fired() | commands.get() >c> Got(c) |}

   The trim kills the loser: the timer if a command came first, or else
   the pending get, which the channel then skips, so the next command
   goes to the next get. On a pause the timer keeps the
   time it had left (measured with an Rclock) and resumes from there; a
   heartbeat from the leader resets it to the full period.

   Times are printed in whole milliseconds as the clock reads them: a run
   in real time prints the times a run in simulated time does, give or
   take the machine's lateness.

   Run it:  cargo run --release -- run examples/election_timer.orc
   (add --sim-time to skip the waiting) -}

type Command = Pause() | Resume() | Heartbeat() | Shutdown()
type Event = Fired() | Got(_)

-- Time since the start.
val clock = Rclock()
def now() = clock.time()
def log(message) = Println(now() + " ms: " + message)

-- The timer: fires every `period` ms while running.
def timer(commands, period) =
  -- Running with `left` ms to go before the next firing.
  def running(left) =
    Rclock() >since>
    {| Rwait(left) >> Fired() | commands.get() >c> Got(c) |} >event>
    onRunning(event, left - since.time())
  def onRunning(Fired(), _) = log("election timeout: start an election") >> running(period)
  def onRunning(Got(Pause()), left) = log("paused, " + left + " ms left") >> paused(left)
  def onRunning(Got(Heartbeat()), _) = log("heartbeat: reset to " + period + " ms") >> running(period)
  def onRunning(Got(Resume()), left) = running(left)
  def onRunning(Got(Shutdown()), _) = log("timer shut down")
  -- Paused with `left` ms to go: only commands can happen.
  def paused(left) = commands.get() >c> onPaused(c, left)
  def onPaused(Resume(), left) = log("resumed, " + left + " ms left") >> running(left)
  def onPaused(Heartbeat(), _) = paused(period)
  def onPaused(Pause(), left) = paused(left)
  def onPaused(Shutdown(), _) = log("timer shut down")
  running(period)

-- Sends each command after its delay (ms) from the previous one.
def script(commands, []) = signal
def script(commands, (delay, c) : rest) =
  Rwait(delay) >> commands.put(c) >> script(commands, rest)

val commands = Channel()
timer(commands, 200) >> stop
| script(commands, [(300, Pause()), (200, Resume()), (200, Heartbeat()), (300, Shutdown())]) >> stop

{-
OUTPUT:
200 ms: election timeout: start an election
300 ms: paused, 100 ms left
500 ms: resumed, 100 ms left
600 ms: election timeout: start an election
700 ms: heartbeat: reset to 200 ms
900 ms: election timeout: start an election
1000 ms: timer shut down
-}
