{- idioms.orc: higher-order functions and orchestration idioms.
   Part of the prelude, which every program sees unless run with
   --no-prelude. -}

-- Currying and argument plumbing.
def curry(f) = lambda(x) = lambda(y) = f(x, y)
def curry3(f) = lambda(x) = lambda(y) = lambda(z) = f(x, y, z)
def uncurry(f) = lambda(x, y) = f(x)(y)
def uncurry3(f) = lambda(x, y, z) = f(x)(y)(z)
def flip(f) = lambda(x, y) = f(y, x)
def constant(x) = lambda() = x
def defer(f, x) = lambda() = f(x)
def defer2(f, x, y) = lambda() = f(x, y)
def ignore(f) = lambda(_) = f()
def ignore2(f) = lambda(_, _) = f()
-- f applied to the first value g publishes.
def compose(f, g) = lambda(x) = f(g(x))

-- while(p, f)(x) publishes x, f(x), f(f(x)), ... for as long as p holds.
-- Only the first value of each f call goes on; each value is published
-- while the next one is being computed.
def while(p, f) =
  def loop(x) = Ift(p(x)) >> (x | loop(f(x)))
  loop

-- Calls f again for every value it publishes, publishing them all:
-- f() >x> (x | f() >y> (y | ...)). Halts when f halts silently.
def repeat(f) = f() >x> (x | repeat(f))

-- f() | g() | ... over a list of thunks, and f(a) | f(b) | ... over a list.
def fork([]) = stop
def fork(g:gs) = g() | fork(gs)
def forkMap(f, []) = stop
def forkMap(f, x:xs) = f(x) | forkMap(f, xs)

-- f() >> g() >> ... >> signal: one signal for each publication of the
-- last thunk (values are discarded).
def seq([]) = signal
def seq(g:gs) = g() >> seq(gs)
def seqMap(f, []) = signal
def seqMap(f, x:xs) = f(x) >> seqMap(f, xs)

-- All thunks (applications) run in parallel; one signal once every one of
-- them has published. If any halts silently, so does the join.
def join(gs) = joinMap(lambda(g) = g(), gs)
def joinMap(f, xs) =
  -- Each step's future waits for its call and for all earlier ones.
  def chain([], done) = done
  def chain(y:ys, done) = chain(ys, f(y) >> done)
  chain(xs, signal)

-- f() ; g() ; ...: the first alternative that publishes anything.
def alt([]) = stop
def alt(g:gs) = g() ; alt(gs)
def altMap(f, []) = stop
def altMap(f, x:xs) = f(x) ; altMap(f, xs)

-- Parallel or / and over boolean thunks: publish once, as soon as the
-- answer is known, and kill the computations still running.
def por([]) = false
def por(g:gs) =
  {| val a = g()
     val b = por(gs)
     Ift(a) >> true | Ift(b) >> true | (a || b) |}
def pand([]) = true
def pand(g:gs) =
  {| val a = g()
     val b = pand(gs)
     Iff(a) >> false | Iff(b) >> false | (a && b) |}

-- Every value f() publishes, in a list in publication order, once f()
-- has halted.
def collect(f) =
  val items = Channel()
  f() >x> items.put(x) >> stop ; items.getAll()
