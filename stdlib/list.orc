{- list.orc: functions on lists.
   Part of the prelude, which every program sees unless run with
   --no-prelude. Where elements are independent (map, filter, any, ...)
   they are processed in parallel. A function given a list that halts
   silently halts silently too. -}

-- Every element, all at once.
def each([]) = stop
def each(x:xs) = x | each(xs)

-- The list of f's (first) values on each element, computed in parallel.
def map(f, []) = []
def map(f, x:xs) = f(x) : map(f, xs)

def reverse(xs) =
  def onto([], acc) = acc
  def onto(y:ys, acc) = onto(ys, y:acc)
  onto(xs, [])

-- The elements satisfying p, in order; p runs on all elements in parallel.
-- (A p that computes its answer at once, as lambda(x) = x <: 5 does, runs
-- natively on each element; FilterInPlace answers (false, []) for any
-- other. keep takes p as a parameter, not captured, so that filter counts
-- as free of effects when p is.)
def filter(p, []) = []
def filter(p, (_:_) as xs) =
  def keep(_, []) = []
  def keep(q, y:ys) =
    val rest = keep(q, ys)
    if q(y) then y:rest else rest
  FilterInPlace(p, xs) >(done, ys)> (if done then ys else keep(p, xs))

-- head, tail, init and last halt silently on the empty list.
def head(x:_) = x
def tail(_:xs) = xs
def init([_]) = []
def init(x:xs) = x : init(xs)
def last([x]) = x
def last(_:xs) = last(xs)

def empty([]) = true
def empty(_) = false

-- The element at position n, counting from 0; halts silently past the end.
def index(x:_, 0) = x
def index(_:xs, n) = index(xs, n - 1)

-- The elements of xs, then those of ys (natively: xs's cells are copied).
def append([], ys) = ys
def append((_:_) as xs, ys) = Append(xs, ys)

-- foldl(f, z, [a, b]) = f(f(z, a), b); foldr(f, z, [a, b]) = f(a, f(b, z)).
-- The ...1 forms start from the first (last) element and halt silently on
-- the empty list.
def foldl(f, z, []) = z
def foldl(f, z, x:xs) = foldl(f, f(z, x), xs)
def foldl1(f, x:xs) = foldl(f, x, xs)
def foldr(f, z, xs) = foldl(flip(f), z, reverse(xs))
def foldr1(f, xs) = foldl1(flip(f), reverse(xs))

-- Reduction by an associative f as a balanced tree: each round combines
-- neighbouring pairs in parallel, so there are O(log n) rounds.
def afold(f, []) = stop
def afold(f, [x]) = x
def afold(f, xs) =
  def pairs(a:b:rest) = f(a, b) : pairs(rest)
  def pairs(short) = short
  afold(f, pairs(xs))

-- Reduction by an associative and commutative f: whichever two values are
-- ready first are combined next, so slow calls do not hold up the others.
def cfold(f, []) = stop
def cfold(f, [x]) = x
def cfold(f, [x, y]) = f(x, y)
def cfold(f, xs) =
  val pool = Channel()
  -- `left` values (ready or being computed) remain to be combined.
  def combine(1) = pool.get()
  def combine(left) =
    pool.get() >a> pool.get() >b>
    (pool.put(f(a, b)) >> stop | combine(left - 1))
  each(xs) >x> pool.put(x) >> stop | combine(length(xs))

-- Lists of pairs, or of f's values on pairs; the shorter list decides the
-- length.
def zipWith(f, [], _) = []
def zipWith(f, _, []) = []
def zipWith(f, x:xs, y:ys) = f(x, y) : zipWith(f, xs, ys)
def zip(xs, ys) = zipWith(lambda(x, y) = (x, y), xs, ys)
def unzip([]) = ([], [])
def unzip((x, y):rest) = unzip(rest) >(xs, ys)> (x:xs, y:ys)

def concat([]) = []
def concat(xs:xss) = append(xs, concat(xss))

def length(xs) =
  def count([], n) = n
  def count(_:ys, n) = count(ys, n + 1)
  count(xs, 0)

-- The first n elements, or all but them. A negative n, or one larger than
-- the list is long, is an error.
def take(n, xs) =
  def go(0, _) = []
  def go(k, y:ys) = y : go(k - 1, ys)
  def go(_, []) = Error("take(" + n + ", _): the list has fewer than " + n + " elements")
  if n <: 0 then Error("take(" + n + ", _): the count is negative") else go(n, xs)
def drop(n, xs) =
  def go(0, ys) = ys
  def go(k, _:ys) = go(k - 1, ys)
  def go(_, []) = Error("drop(" + n + ", _): the list has fewer than " + n + " elements")
  if n <: 0 then Error("drop(" + n + ", _): the count is negative") else go(n, xs)

def member(item, []) = false
def member(item, (_:_) as xs) = Member(item, xs)

-- Merging sorted lists and (stable) merge sort, by <: or by a given
-- less-than function.
def merge(xs, ys) = mergeBy((<:), xs, ys)
def mergeBy(lt, xs, []) = xs
def mergeBy(lt, [], ys) = ys
def mergeBy(lt, x:xs, y:ys) =
  if lt(y, x) then y : mergeBy(lt, x:xs, ys)
  else x : mergeBy(lt, xs, y:ys)
def sort(xs) = sortBy((<:), xs)
def sortBy(lt, []) = []
def sortBy(lt, [x]) = [x]
def sortBy(lt, xs) =
  val half = length(xs) / 2
  mergeBy(lt, sortBy(lt, take(half, xs)), sortBy(lt, drop(half, xs)))

-- The same, dropping duplicates (by a given equality).
def mergeUnique(xs, ys) = mergeUniqueBy((=), (<:), xs, ys)
def mergeUniqueBy(eq, lt, xs, []) = xs
def mergeUniqueBy(eq, lt, [], ys) = ys
def mergeUniqueBy(eq, lt, x:xs, y:ys) =
  if eq(y, x) then mergeUniqueBy(eq, lt, xs, y:ys)
  else if lt(y, x) then y : mergeUniqueBy(eq, lt, x:xs, ys)
  else x : mergeUniqueBy(eq, lt, xs, y:ys)
def sortUnique(xs) = sortUniqueBy((=), (<:), xs)
def sortUniqueBy(eq, lt, []) = []
def sortUniqueBy(eq, lt, [x]) = [x]
def sortUniqueBy(eq, lt, xs) =
  val half = length(xs) / 2
  mergeUniqueBy(eq, lt,
    sortUniqueBy(eq, lt, take(half, xs)),
    sortUniqueBy(eq, lt, drop(half, xs)))

-- Runs of pairs with equal keys become one (key, values) pair, values in
-- their original order: group([(1, "a"), (1, "b"), (2, "c")]) is
-- [(1, ["a", "b"]), (2, ["c"])].
def group(kvs) = groupBy((=), kvs)
def groupBy(eq, []) = []
def groupBy(eq, (k, v):kvs) =
  def run(key, vs, []) = [(key, reverse(vs))]
  def run(key, vs, (k2, v2):more) =
    if eq(k2, key) then run(key, v2:vs, more)
    else (key, reverse(vs)) : run(k2, [v2], more)
  run(k, [v], kvs)

-- low, low + step, ... while below high (empty if low >= high).
def rangeBy(low, high, step) =
  -- Built from the top down, starting at the last element below high.
  def down(n, acc) = if low <: n then down(n - step, n:acc) else acc
  if step <= 0 then Error("rangeBy expects a positive step, but got " + step)
  else if low >= high then []
  else (
    val over = (high - low) % step
    low : down(high - (if over = 0 then step else over), [])
  )
def range(low, high) = rangeBy(low, high, 1)

-- Does p hold for some (every) element? p runs on all elements in
-- parallel; the answer is published as soon as it is known and the
-- remaining calls are killed.
def any(p, []) = false
def any(p, x:xs) =
  {| val a = p(x)
     val b = any(p, xs)
     Ift(a) >> true | Ift(b) >> true | (a || b) |}
def all(p, []) = true
def all(p, x:xs) =
  {| val a = p(x)
     val b = all(p, xs)
     Iff(a) >> false | Iff(b) >> false | (a && b) |}

def sum(xs) = foldl((+), 0, xs)
def product(xs) = foldl((*), 1, xs)

-- Conjunction and disjunction of a list of booleans, stopping at the first
-- element that decides.
def and([]) = true
def and(false:_) = false
def and(true:bs) = and(bs)
def or([]) = false
def or(true:_) = true
def or(false:bs) = or(bs)

-- The least (greatest) element of a non-empty list; halts silently on [].
def minimum(xs) = foldl1(min, xs)
def maximum(xs) = foldl1(max, xs)
