{- An object keeps its methods without holding itself through them, so
   it is freed once nothing else holds it (the test harness counts the
   objects left), and a method read out of it holds the object again:
   below, `add` and `later` are all that is left of their objects. -}
class Adder {
  def add(n) = n + base()
  def base() = 10
  def later(n) = Rwait(50) >> add(n)
}
class Bigger extends Adder {
  def base() = super.base() * 100
}
val add = (new Adder).add
val later = (new Bigger).later
val o = new Adder
Println(add(5)) >>
Println(later(1)) >>
Println(o.add = o.add) >>
Println(o.add = (new Adder).add) >>
Println(o.add) >>
Println(upto(1000) >i> (new Bigger).later(i) >> stop ; "many") >>
stop
{-
OUTPUT:
15
1001
true
false
<closure add>
many
-}
