{- Functional quicksort of __N__ pseudo-random numbers: filter and append
   on immutable lists, as a Python user would write it with list
   comprehensions (python/quicksort_lists.py). -}
def randoms(0, _) = []
def randoms(n, seed) =
  val next = (seed * 1103515245 + 12345) % 2147483648
  next % 1000000 : randoms(n - 1, next)
def quicksort([]) = []
def quicksort(p:xs) =
  val smaller = quicksort(filter(lambda(x) = x <: p, xs))
  val larger = quicksort(filter(lambda(x) = x >= p, xs))
  append(smaller, p : larger)
length(quicksort(randoms(__N__, 42)))
