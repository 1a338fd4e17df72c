{- `extends`, `super` and the linearization of mixins: in `A with B`, B
   overrides A, and `super.x` in a class is `x` as the classes after it in
   the linearization define it. -}
class Base {
  val x :: Integer
  def describe() = "x = " + x
}
class Hundred extends Base { val x = 100 }
class Plus1 extends Base { val x = super.x + 1 }
class Times2 extends Base { val x = super.x * 2 }

class Shout extends Hundred {
  def describe() = super.describe() + "!"
}

Println((new Hundred with Plus1 with Times2).x) >>
Println((new Hundred with Times2 with Plus1).x) >>
Println((new Hundred with Plus1 with Times2).describe()) >>
Println((new Shout).describe()) >>
Println((new Shout with Times2).describe()) >>
stop
{-
OUTPUT:
202
201
x = 202
x = 100!
x = 200!
-}
