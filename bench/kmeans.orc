{- k-means clustering of __N__ points in the plane into 4 clusters, 5
   rounds. Each round assigns every point in parallel to its nearest
   centre and adds it to that cluster's accumulator, an object whose sums
   a lock protects; the new centres are the accumulators' means, and the
   next round starts from them (python/kmeans.py). (Passing a round as the
   next round's argument, `rounds(ps, round(ps, centres), k - 1)`, would
   start every round at once, each point waiting for the centres before
   it: 100,000 waiting points, 180 MB more.) -}
class Accumulator {
  val sx = Ref(0)
  val sy = Ref(0)
  val count = Ref(0)
  val lock = Semaphore(1)
  def add(x, y) =
    withLock(lock, lambda() =
      sx := sx? + x >> sy := sy? + y >> count := count? + 1)
  def centre() = if count? = 0 then (0, 0) else (sx? / count?, sy? / count?)
}

def next(seed) = (seed * 1103515245 + 12345) % 2147483648
def points(0, _) = []
def points(k, seed) =
  val a = next(seed)
  val b = next(a)
  val p = (a % 10000, b % 10000)
  p : points(k - 1, b)

def distance((x, y), (cx, cy)) = (x - cx) * (x - cx) + (y - cy) * (y - cy)

-- The index of the centre nearest to p.
def nearest(p, centres) =
  def go([], _, best, _) = best
  def go(c:cs, i, best, bestD) =
    val d = distance(p, c)
    if d <: bestD then go(cs, i + 1, i, d) else go(cs, i + 1, best, bestD)
  go(centres, 0, 0, distance(p, head(centres)))

def round(ps, centres) =
  val accs = map(lambda(_) = new Accumulator, centres) #
  (each(ps) >p> nearest(p, centres) >i> p >(x, y)> index(accs, i).add(x, y) >> stop)
  ; map(lambda(acc) = acc.centre(), accs)

def rounds(ps, centres, 0) = centres
def rounds(ps, centres, k) = round(ps, centres) >c> rounds(ps, c, k - 1)

val ps = points(__N__, 7)
rounds(ps, take(4, ps), 5)
