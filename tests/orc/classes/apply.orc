{- An object with an `apply` member is callable, and members can be any
   values: closures, sites, other objects. -}
val twice = new {
  def apply(f, x) = f(f(x))
}
val adder = new {
  val by = 10
  def apply(x) = x + by
}
Println(twice(adder, 1)) >>
Println(twice(lambda(s) = s + "!", "hi")) >>
stop
{-
OUTPUT:
21
hi!!
-}
