{- A class closes over the variables in scope where it is declared, and
   class names have their own namespace: `class Point` and `def Point`
   coexist (`new Point` names the class, `Point(...)` the definition). -}
val origin = 0

class Point {
  val x :: Integer
  val y :: Integer
  def norm1() = abs(x - origin) + abs(y - origin)
}
def Point(a, b) = new Point { val x = a  val y = b }

def counterClass(start) =
  class Counter {
    val first = start
    def next(n) = n + 1
  }
  new Counter

Println(Point(3, -4).norm1()) >>
Println(counterClass(10).first) >>
Println(counterClass(20).next(1)) >>
stop
{-
OUTPUT:
7
10
2
-}
