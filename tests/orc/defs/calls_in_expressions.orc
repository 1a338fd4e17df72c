{- Calls of closures whose bodies run in place, inside larger expressions
   that run in place (`if x /= 0 && peer(i, j) then ...`): the whole
   expression is computed at once. It must answer as the general way
   does: a callee that halts, reports an error or overflows, a callee that
   is not such a closure (a general definition, a site, a closure still
   waiting for a captured variable), an argument that is halted or still
   pending, and a wrong number of arguments. -}
def peer(i, j) =
  val r = i / 9
  val c = i % 9
  val rj = j / 9
  val cj = j % 9
  r = rj || c = cj || (r / 3 = rj / 3 && c / 3 = cj / 3)
def used(b, i) =
  def go([], _) = []
  def go(x:xs, j) = if x /= 0 && peer(i, j) then x : go(xs, j + 1) else go(xs, j + 1)
  go(b, 0)
Println(used([5, 3, 0, 0, 7, 0, 0, 0, 0, 6, 0, 0, 1, 9, 5, 0, 0, 0, 0, 9, 8], 2)) >>
def half(x) = if x % 2 = 0 then x / 2 else stop
def ratio(x) = 10 / x
def big(x) = x * 4611686018427387904
def loop(0, acc) = acc
def loop(n, acc) = loop(n - 1, acc + half(2 * n) + 1)
Println(loop(1000, 0)) >>
Println((val v = half(3) + 1 # v) ; "the callee halted") >>
Println((val v = ratio(0) + 1 # v) ; "after the callee's error") >>
Println(val v = big(4) + 1 # v) >>
def slow(x) = Rwait(1) >> x + 1
Println(val v = slow(1) * 2 # v) >>
val aSite = Ift
Println((val v = aSite(true) >> 3 # v) ; "a site") >>
val late = Rwait(5) >> 10
def plusLate(x) = x + late
Println(val v = plusLate(1) * 2 # v) >>
Println((val v = half(stop) + 1 # v) ; "a halted argument") >>
val pending = Rwait(5) >> 8
Println(val v = half(pending) + 1 # v) >>
(val v = half(1, 2) + 1 # v) ; Println("a wrong number of arguments") >>
def pick(f, x) = val v = f(x) * 10 + 1 # v
Println(map(lambda(f) = pick(f, 4), [half, ratio, lambda(x) = x - 1])) >>
stop
{-
OUTPUT:
[5, 3, 7, 6, 9, 8]
501500
the callee halted
Error: division by zero
after the callee's error
18446744073709551617
4
3
22
a halted argument
5
Error: half expects 1 argument, but was called with 2
a wrong number of arguments
[21, 21, 31]
-}
