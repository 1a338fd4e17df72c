{- Element reads inside expressions that run in place (`a(j)? <: pivot`,
   `a(i)? + a(i + 1)?`): the element is read at once, with no reference
   made. They must answer as the general way does: an index out of range
   is an error, a halted index halts, and a target that cannot be read so
   (a definition giving references, a reference read that would wait) is
   run the general way. -}
val a = Array(10)
def fill(i) = if i = 10 then signal else a(i) := (i * 7) % 10 >> fill(i + 1)
def count(i, p, acc) = if i = 10 then acc else count(i + 1, p, if a(i)? <: p then acc + 1 else acc)
def sums(i, acc) = if i = 9 then acc else sums(i + 1, acc + a(i)? * a(i + 1)?)
fill(0) >>
Println(count(0, 5, 0)) >>
Println(sums(0, 0)) >>
Println((val v = a(10)? + 1 # v) ; "after the error") >>
Println((val v = a(stop)? + 1 # v) ; "a halted index") >>
Println((val v = a("x")? <: 3 # v) ; "a string index") >>
val late = Rwait(5) >> 2
Println(val v = a(late)? <: 5 # v) >>
def refs(i) = Ref(i * 100)
Println(val v = refs(3)? + 1 # v) >>
val c = Cell()
def cellOf(_) = c
(Rwait(5) >> c := 41 >> stop) |
Println(val v = cellOf(1)? + 1 # v) >>
Println(val v = a(2)? = 4 && a(3)? = 1 # v) >>
stop
{-
OUTPUT:
5
180
Error: Array index out of bounds: 10 (the array has length 10)
after the error
a halted index
Error: Array expects an integer index, but got String "x"
a string index
true
301
42
true
-}
