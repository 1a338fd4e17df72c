{- idioms.orc: higher-order functions and common orchestration idioms.
   Part of the prelude: loaded before every program. -}

def curry(f) = lambda(x) = lambda(y) = f(x, y)
def uncurry(f) = lambda(x, y) = f(x)(y)
def flip(f) = lambda(x, y) = f(y, x)
def constant(x) = lambda() = x
def defer(f, x) = lambda() = f(x)
def ignore(f) = lambda(_) = f()
def compose(f, g) = lambda(x) = f(g(x))

-- Publish every value of f(), one call after another, forever.
def repeat(f) = f() >x> (x | repeat(f))

-- Call f on x, then on each value it publishes while p holds.
def while(p, f) =
  def loop(x) = Ift(p(x)) >> (x | f(x) >y> loop(y))
  loop

-- Sequential and parallel composition over lists of functions.
def fork([]) = stop
def fork(f:fs) = f() | fork(fs)
def forkMap(f, []) = stop
def forkMap(f, x:xs) = f(x) | forkMap(f, xs)
def join([]) = signal
def join(f:fs) = (f(), join(fs)) >> signal
def joinMap(f, []) = signal
def joinMap(f, x:xs) = (f(x), joinMap(f, xs)) >> signal
def seq([]) = signal
def seq(f:fs) = f() >> seq(fs)
def seqMap(f, []) = signal
def seqMap(f, x:xs) = f(x) >> seqMap(f, xs)
def alt([]) = stop
def alt(f:fs) = f() ; alt(fs)
def altMap(f, []) = stop
def altMap(f, x:xs) = f(x) ; altMap(f, xs)

-- Parallel or / and: publish as soon as the answer is known.
def por([]) = false
def por(f:fs) =
  val a = f()
  val b = por(fs)
  Ift(a) >> true | Ift(b) >> true | (a || b)
def pand([]) = true
def pand(f:fs) =
  val a = f()
  val b = pand(fs)
  Iff(a) >> false | Iff(b) >> false | (a && b)

-- Publish 0, 1, ..., n - 1 in parallel.
def upto(n) = if n <: 1 then stop else (upto(n - 1) | n - 1)
def for(low, high) = if low >= high then stop else (low | for(low + 1, high))
def signals(n) = if n <: 1 then stop else (signal | signals(n - 1))
