{- `def class`: the manual's classes. A call publishes an instance whose
   members are the body's definitions; its `val`s stay private; the goal
   expression runs beside it, its publications dropped. Methods called on
   the instance behave as sites: strict, one publication, not killed with
   the caller; inside the class they are ordinary definitions. -}

def class Counter(start) =
  val n = Ref(start)
  def bump() = n := n? + 1 >> n?
  def read() = n?
  def write(v) = n := v
  -- Inside, a definition publishes as often as its body does.
  def upto_n(i) = if i <: n? then (i | upto_n(i + 1)) else stop
  def all() = collect(lambda() = upto_n(0))
  Println("a counter from " + start)

val c = Counter(10)

def class Echo() =
  -- The method publishes its first value only, and goes on running.
  def twice(x) = x | Rwait(5) >> Println("still running: " + x) >> x
  stop

def class Outer() =
  def class Inner(k) =
    def get() = k
    stop
  def make(k) = Inner(k)
  stop

Rwait(1) >>
Println(c.bump()) >>
Println(c.bump()) >>
-- `?` and `:=` call `read` and `write`.
c := 3 >>
Println(c?) >>
Println(c.all()) >>
-- Through the instance, the same definition publishes once.
Println(collect(lambda() = c.upto_n(0))) >>
Echo() >e> e.twice(7) >x> Println("first: " + x) >>
Rwait(20) >>
-- A method's call is not killed with its caller.
{| e.twice(8) |} >y> Println("pruned caller got " + y) >>
Rwait(20) >>
Outer().make(42).get() >k> Println("nested: " + k) >>
stop

{-
OUTPUT:
a counter from 10
11
12
3
[0, 1, 2]
[0]
first: 7
still running: 7
pruned caller got 8
still running: 8
nested: 42
-}
