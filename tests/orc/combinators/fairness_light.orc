{- A long computation on the right of a pruning runs first, in the
   calling token. A left side that would do something before it needs
   the variable still runs beside it after a while (fairness): here a
   call of a definition that is pure only when its argument is, given an
   argument that prints; and a pure call whose value does not need the
   variable. Both trims end although `spin` never does. -}
def spin(n) = spin(n + 1)
def apply(f, x) = f(x)
{| apply(lambda(v) = Println("left ran") >> v, 1) <x< spin(0) |} >v> Println(("first", v)) >>
{| append([1], [2]) <x< spin(0) |}
{-
OUTPUT:
left ran
("first", 1)
[1, 2]
-}
