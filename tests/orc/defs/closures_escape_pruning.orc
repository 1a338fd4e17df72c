{- A closure is a value once every variable it captures is resolved,
   also through the closures it captures: otherwise it could leave the
   pruning that computes what it refers to, and lose it when that
   pruning is killed. -}
def slow(v) = Rwait(10) >> v
def constant(a) = lambda() = a
def caller(g) = lambda() = g()
def indirect(a) =
  def direct() = a
  caller(direct)

val f = constant(slow(1))
val g = indirect(slow(2))
Println(f()) >>
Println(g()) >>
stop
{-
OUTPUT:
1
2
-}
