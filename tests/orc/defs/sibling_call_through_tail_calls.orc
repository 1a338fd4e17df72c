{- A call of a sibling definition whose body ends in a tail call of
   another closure, under `; n` or `{| |}`: once the callee publishes, the
   caller goes on in its own definitions' scope. (The caller used to go on
   in the scope the tail calls had reached: `h`'s recursive call ran
   `from` instead, a wrong answer, or the run panicked.) -}
def h(k) = if k <: 1 then "done" else h(f(k) - 1)
def fb(n) =
  def from(i) = if i >= n then stop else (i | from(i + 1))
  from(0)
def f(n) = (fb(n) >i> stop) ; n
def g(k) = if k = 0 then 0 else g(f(k) - 1)
def t(k) = if k <: 1 then "trimmed" else t(first(k) - 1)
def first(n) = {| fb(n) |}
Println(h(3)) >>
Println(g(4)) >>
Println(t(3)) >>
stop
{-
OUTPUT:
done
0
trimmed
-}
