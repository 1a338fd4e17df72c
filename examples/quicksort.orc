{- quicksort.orc: quicksort with the two halves sorted in parallel.

   Quicksort splits a list around a pivot (its first element) into the
   smaller and the larger elements, sorts both, and puts the pivot in
   between. In Orc the two `val`s below are computed at the same time,
   and each filter tests all its elements in parallel; append waits for
   both sorted halves. The input is a fixed pseudo-random list (from a
   linear congruential generator), and the result is checked against the
   prelude's merge sort.

   A curiosity: sleep sort. Each element x waits 10 * x ms and then
   publishes itself, so the elements come out in increasing order;
   collect gathers them. Simulated time makes it exact (and instant).

   Run it:  cargo run --release -- run examples/quicksort.orc
   (add --sim-time to skip the waiting) -}

def quicksort([]) = []
def quicksort(pivot : rest) =
  val smaller = quicksort(filter(lambda(x) = x <: pivot, rest))
  val larger = quicksort(filter(lambda(x) = x >= pivot, rest))
  append(smaller, pivot : larger)

def sleepSort(xs) = collect(lambda() = each(xs) >x> Rwait(10 * x) >> x)

-- n pseudo-random numbers below 100.
def lcg(seed) = (seed * 1103515245 + 12345) % 2147483648
def randoms(0, _) = []
def randoms(n, seed) = lcg(seed) >s> s / 65536 % 100 : randoms(n - 1, s)

val xs = randoms(12, 7)

Println("input:      " + xs) >>
Println("quicksort:  " + quicksort(xs)) >>
Println("sleep sort: " + sleepSort(xs)) >>
Println("same as the prelude's sort: " + (quicksort(xs) = sort(xs) && sleepSort(xs) = sort(xs))) >>
stop

{-
OUTPUT:
input:      [64, 6, 68, 74, 31, 65, 34, 90, 85, 13, 13, 63]
quicksort:  [6, 13, 13, 31, 34, 63, 64, 65, 68, 74, 85, 90]
sleep sort: [6, 13, 13, 31, 34, 63, 64, 65, 68, 74, 85, 90]
same as the prelude's sort: true
-}
