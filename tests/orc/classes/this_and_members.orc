{- Inside a class body `this` is the object; a bare member name means
   `this.name` (so a subclass's override wins), unless a local binding
   shadows it. A name `self #` at the start of a body also names the
   object. -}
class Greeter {
  val name = "world"
  def greet() = "hello " + name
  def twice() = this.greet() + ", " + greet()
  def shadow(name) = "hi " + name
  val local = 42 >name> name
}

class Polite extends Greeter {
  val name = "reader"
}

val g = new Greeter
val p = new Polite
val s = new { me # val x = 1  val y = me.x + this.x }

Println(g.twice()) >>
Println(p.greet()) >>
Println(p.shadow("you")) >>
Println(p.local) >>
Println(s.y) >>
stop
{-
OUTPUT:
hello world, hello world
hello reader
hi you
42
2
-}
