{- A `(` that begins a line opens parentheses or a tuple: it never makes
   the expression on the line before a call. A call's arguments begin on
   the line of what it calls. -}

def at(t, v) = Rwait(t) >> v
(at(1, 2), 3) >(a, b)> Println("after def: " + (a + b)) >>

val c = Channel()
(c.put(1) >> stop | c.get()) >x> Println("after val: " + x) >>

-- Inside a body, after a val, and as a pattern and a parameter.
def next(seed) = (seed * 31 + 7) % 100
def pairs(0, _) = []
def pairs(k, seed) =
  val a = next(seed)
  val b = next(a)
  (a, b) : pairs(k - 1, b)
Println(pairs(2, 1)) >>
pairs(1, 5) >[
  (p, q)]> Println(p + q) >>
def swap(
  (x, y)) = (y, x)
Println(swap((1, 2))) >>

-- A call whose arguments are on its own line is still one.
Println("on one line") >>
stop

{-
OUTPUT:
after def: 5
after val: 1
[(38, 85), (42, 9)]
91
(2, 1)
on one line
-}
