{- split returns an array, as Java's does: trailing empty parts are
   dropped, a limit bounds the number of parts. -}
def toList(a) =
  def walk(0, acc) = acc
  def walk(i, acc) = walk(i - 1, a(i - 1)? : acc)
  walk(a.length?, [])
Println(toList("a,b,,c,,".split(","))) >>
Println(toList("one  two three".split(" +"))) >>
Println(toList("a,b,c".split(",", 2))) >>
Println(toList("abc".split(""))) >>
Println(toList("none".split(","))) >>
Println(toList("l1\nl2\r\nl3".split("\n|\r\n|\r"))) >>
stop
{-
OUTPUT:
["a", "b", "", "c"]
["one", "two", "three"]
["a", "b,c"]
["a", "b", "c"]
["none"]
["l1", "l2", "l3"]
-}
