{- `v | g` where `v` is a value already known: the token publishes `v` at
   once and `g` runs in a new token that takes over the running body's
   record and closure. Whatever the publication goes to (a caller's
   frame, a pruning, a `;`, a trim, the program) sees `v` first, and `g`
   still reads the body's bindings and captures. Each part prints what
   it sees and halts, so that the `;` after it starts the next part. -}
def gen(n, top) = n | (if n <: top then gen(n + 1, top) else stop)
def scaled(k) =
  def go(i) = i * k | (if i <: 3 then go(i + 1) else stop)
  go(0)
def show(x) = Println(x) >> stop
def f() = "closure"
-- Through a call's return frame, in order.
gen(0, 3) >x> show(("gen", x))
-- To a pruning: the first value binds.
; (val y = 7 | Rwait(10) >> 8 # show(("pruned", y)))
-- To a `;` that then does not run.
; (((1 | stop) ; "never") >w> show(("otherwise", w)))
-- To a trim: the value known first wins.
; ({| 5 | 6 |} >t> show(("trim", t)))
-- Captures read by the loop that goes on.
; (scaled(10) >z> show(("scaled", z)))
-- A closure on the left is made, not copied.
; ((f | 0) >g> (if g = 0 then stop else show(g())))
-- To the program itself.
; (3 | 4)
{-
OUTPUT:
("gen", 0)
("gen", 1)
("gen", 2)
("gen", 3)
("pruned", 7)
("otherwise", 1)
("trim", 5)
("scaled", 0)
("scaled", 10)
("scaled", 20)
("scaled", 30)
closure
3
4
-}
