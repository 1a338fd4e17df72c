{- `x?` and `x := y` call the operators `?` and `:=`. The built-in ones
   are `x.read()` and `x.write(y)`, for references and for any object or
   record with such members; a program may rebind them. -}
class Box {
  val content = Ref("empty")
  def read() = content?
  def write(v) = content := "holds " + v
}
val b = new Box
val r = {. read = lambda() = "a record's read" .}
b := 5 >> Println(b?) >> Println(r?) >>
(
  def (?)(x) = "asked for " + x
  def (:=)(x, y) = x + " gets " + y
  Println("plain"?) >> Println("it" := 1)
) >> stop

{-
OUTPUT:
holds 5
a record's read
asked for plain
it gets 1
-}
