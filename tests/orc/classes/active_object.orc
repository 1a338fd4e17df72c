{- A member's value is its computation's first publication; the
   computation goes on running afterwards, so `val _ = loop()` is an
   object's own thread. It stops when the context of `new` is killed. -}
{|
val counter = new {
  val count = Ref(0)
  val started = Rwait(1) >> "started" | Rwait(2) >> "later"
  def tick() = Rwait(10) >> count := count? + 1 >> tick()
  val _ = tick()
}
Println(counter.started) >>
Rwait(55) >> Println(counter.count?) >>
Rwait(50) >> Println(counter.count?)
|} >> stop
{-
OUTPUT:
started
5
10
-}
