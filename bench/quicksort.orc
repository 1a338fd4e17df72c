{- Quicksort of 20,000 pseudo-random numbers with lists. -}
def randoms(0, _) = []
def randoms(n, seed) =
  val next = (seed * 1103515245 + 12345) % 2147483648
  next % 100000 : randoms(n - 1, next)
def quicksort([]) = []
def quicksort(p:xs) =
  val smaller = quicksort(filter(lambda(x) = x <: p, xs))
  val larger = quicksort(filter(lambda(x) = x >= p, xs))
  append(smaller, p : larger)
def sorted([]) = true
def sorted([_]) = true
def sorted(a:b:rest) = a <= b && sorted(b:rest)
val xs = quicksort(randoms(20000, 42)) #
(length(xs), sorted(xs))
{-
OUTPUT:
(20000, true)
-}
