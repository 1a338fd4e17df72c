{- A member's value is its computation's first publication; the
   computation goes on running afterwards, so `val _ = loop()` is an
   object's own thread. The thread belongs to the object: killing the
   context of `new` (the trim around it) does not stop it. The object
   stops it itself, here when asked to. -}
val counter = {| new {
  val count = Ref(0)
  val running = Ref(true)
  val started = Rwait(1) >> "started" | Rwait(2) >> "later"
  def tick() = Rwait(10) >> (if running? then count := count? + 1 >> tick() else stop)
  def stopTicking() = running := false
  val _ = tick()
} |}
Println(counter.started) >>
Rwait(55) >> Println(counter.count?) >>
Rwait(50) >> Println(counter.count?) >>
counter.stopTicking() >>
Rwait(50) >> Println(counter.count?) >>
stop
{-
OUTPUT:
started
5
10
10
-}
