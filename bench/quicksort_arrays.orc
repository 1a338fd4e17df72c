{- In-place quicksort of __N__ pseudo-random numbers in an Array, the two
   halves sorted in parallel (python/quicksort_arrays.py). -}
def next(seed) = (seed * 1103515245 + 12345) % 2147483648
val n = __N__
val a = Array(n)
def fill(i, seed) =
  if i = n then signal
  else next(seed) >s> a(i) := s % 1000000 >> fill(i + 1, s)

def swap(i, j) = a(i)? >x> a(j)? >y> a(i) := y >> a(j) := x

-- Lomuto partition of a[lo..hi] around a[hi]; publishes the pivot's place.
def partition(lo, hi) =
  val pivot = a(hi)?
  def go(i, j) =
    if j = hi then swap(i, hi) >> i
    else if a(j)? <: pivot then swap(i, j) >> go(i + 1, j + 1)
    else go(i, j + 1)
  go(lo, lo)

def sort(lo, hi) =
  if lo >= hi then signal
  else partition(lo, hi) >p> (sort(lo, p - 1), sort(p + 1, hi)) >> signal

def sorted(i) = if i + 1 >= n then true else a(i)? <= a(i + 1)? && sorted(i + 1)

fill(0, 42) >> sort(0, n - 1) >> sorted(0)
