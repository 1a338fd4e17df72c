{- A `[` that begins a line opens a list: it never continues the
   expression on the line before as type arguments. A type application's
   `[` stays on the line of what it applies to. -}

val x = 1
[x, x] >[a, b]> Println("after val: " + (a + b)) >>

def pair(y) = (y, y)
[pair(2)]
  >[(p, q)]> Println("after def: " + (p * q)) >>

-- A type application on one line is still one.
def ident[A](z :: A) :: A = z
Println(ident[Integer](5)) >>

-- A list pattern and a list parameter may begin a line too.
def firsts(
  [a, _], [b, _]) = a + b
Println(firsts([10, 0], [20, 0])) >>

val ys =
  [3, 4]
ys >
  [c, d]> c * d

{-
OUTPUT:
after val: 2
after def: 4
5
30
12
-}
