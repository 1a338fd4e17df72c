{- Anonymous classes: `new { ... }`, a subclass literal `new C { ... }`,
   and literals mixed in with `with`, also in an `extends` clause. A class
   literal may define what its base class leaves abstract, and its members
   may use the base's members by their bare names. -}
class Shape {
  val sides :: Integer
  val name :: String
  def describe() = name + " with " + sides + " sides"
}

class Square extends Shape with { val sides = 4 } {
  val name = "square"
}

val triangle = new Shape { val sides = 3  val name = "triangle" }
val pentagon = new (Shape with { val sides = 5 }) { val name = "pentagon, " + sides }
val plain = new { val answer = 42 }

Println(triangle.describe()) >>
Println(pentagon.describe()) >>
Println((new Square).describe()) >>
Println(plain.answer) >>
stop
{-
OUTPUT:
triangle with 3 sides
pentagon, 5 with 5 sides
square with 4 sides
42
-}
