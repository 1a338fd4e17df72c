{- list.orc: functions on lists.
   Part of the prelude: loaded before every program. -}

def each([]) = stop
def each(h:t) = h | each(t)

def map(f, []) = []
def map(f, h:t) = f(h) : map(f, t)

def filter(p, []) = []
def filter(p, x:xs) =
  val fxs = filter(p, xs)
  if p(x) then x:fxs else fxs

def head(x:_) = x
def tail(_:xs) = xs
def empty([]) = true
def empty(_) = false

def foldl(f, z, []) = z
def foldl(f, z, x:xs) = foldl(f, f(z, x), xs)
def foldr(f, z, xs) = foldl(flip(f), z, reverse(xs))

def reverse(l) =
  def tailrev([], acc) = acc
  def tailrev(x:xs, acc) = tailrev(xs, x:acc)
  tailrev(l, [])

def append([], l) = l
def append(h:t, l) = h : append(t, l)

def concat([]) = []
def concat(xs:xss) = append(xs, concat(xss))

def length(l) =
  def count([], n) = n
  def count(_:t, n) = count(t, n + 1)
  count(l, 0)

def index(h:t, 0) = h
def index(h:t, n) = index(t, n - 1)

def take(0, _) = []
def take(n, []) = []
def take(n, x:xs) = x : take(n - 1, xs)
def drop(0, xs) = xs
def drop(n, []) = []
def drop(n, _:xs) = drop(n - 1, xs)

def zip([], _) = []
def zip(_, []) = []
def zip(x:xs, y:ys) = (x, y) : zip(xs, ys)
def unzip([]) = ([], [])
def unzip((x, y):rest) = unzip(rest) >(xs, ys)> (x:xs, y:ys)

def member(item, []) = false
def member(item, h:t) = if item = h then true else member(item, t)

def range(low, high) = if low >= high then [] else low : range(low + 1, high)

def sum(l) = foldl(lambda(a, b) = a + b, 0, l)
def product(l) = foldl(lambda(a, b) = a * b, 1, l)
def and([]) = true
def and(b:bs) = b && and(bs)
def or([]) = false
def or(b:bs) = b || or(bs)
def any(p, l) = or(map(p, l))
def all(p, l) = and(map(p, l))
def last([x]) = x
def last(_:xs) = last(xs)
