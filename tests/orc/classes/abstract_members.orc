{- Abstract members (`val x :: T`, `def f(T) :: R`, `val x`) declare a
   name without defining it. `super.x` that reaches only an abstract
   declaration is a missing member at run time. -}
class Base {
  val x :: Integer
  val label
  def scale(Integer) :: Integer
  def show() = label + ": " + scale(x)
}

class Doubler extends Base {
  def scale(n) = n * 2
}

class Broken extends Base {
  val x = super.x + 1
}

Println((new Doubler { val x = 21  val label = "doubled" }).show()) >>
Println((new (Doubler with Broken) { val label = "broken" }).show()) >>
stop
{-
OUTPUT:
doubled: 42
Error: the object { show = <closure show> # scale = <closure scale> } has no member `x`
-}
