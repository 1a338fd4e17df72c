{- Calls of definitions whose body is an immediate expression (constants,
   variables, prunings, conditionals and calls of immediate sites) are
   computed where they are made, as `if p(x)` in a list function or
   `val p = peer(i, j)`. They must answer as the usual way does: results
   that overflow machine integers, division by zero, a condition that is
   not a boolean, `stop` in a branch or in a `val`, operands that are not
   integers, a captured variable still unbound or halted, and a halted
   argument. -}
def keep(p, []) = []
def keep(p, x:xs) = if p(x) then x : keep(p, xs) else keep(p, xs)
val k = 3
Println(keep(lambda(x) = x % k /= 0, [1, 2, 3, 4, 5, 6, 7])) >>
Println(keep(lambda(x) = x <: k, [5, 1, 4, 2, 3])) >>
def peer(i, j) =
  val r = i / 9
  val c = i % 9
  val rj = j / 9
  val cj = j % 9
  r = rj || c = cj || (r / 3 = rj / 3 && c / 3 = cj / 3)
def count(i, j, acc) =
  if j = 81 then acc
  else (val p = peer(i, j) # count(i, j + 1, if p then acc + 1 else acc))
Println("peers of cell 40: " + count(40, 0, 0)) >>
def at(f, x) = val y = f(x) # y
def big(x) = x * 4611686018427387904 + 1
Println(at(big, 4)) >>
def bigs(x) = x * x * x * x * x
Println(at(bigs, 100000)) >>
def ratio(x) = 10 / x
(at(ratio, 0) ; Println("after division by zero")) >>
def pick(x) = if x >= 0 then (x, "non-negative") else if x = -1 then stop else ("neg", x)
Println(at(pick, 3)) >>
Println(at(pick, -7)) >>
Println(at(pick, -1) ; "pick halted") >>
def test(x) = if x then 1 else 2
(at(test, 5) ; Println("after a condition that is not a boolean")) >>
def third(x) = val s = stop # x + 1
Println(at(third, 1)) >>
Println(at(lambda(x) = x + 1, 1.5)) >>
Println(at(lambda(s) = s + "!" + s, "hi")) >>
val late = Rwait(10) >> 5
Println(at(lambda(x) = x + late, 1)) >>
val gone = stop
Println(at(lambda(x) = x + gone, 1) ; "captured halted") >>
Println(at(lambda(x) = x + 1, stop) ; "halted argument") >>
-- More slots than a call run in place may use: it goes the usual way.
def wide(x) =
  val v1 = x * 2 + 1
  val v2 = v1 * 2 + 2
  val v3 = v2 * 2 + 3
  val v4 = v3 * 2 + 4
  val v5 = v4 * 2 + 5
  val v6 = v5 * 2 + 6
  val v7 = v6 * 2 + 7
  val v8 = v7 * 2 + 8
  val v9 = v8 * 2 + 9
  val v10 = v9 * 2 + 10
  val v11 = v10 * 2 + 11
  val v12 = v11 * 2 + 12
  val v13 = v12 * 2 + 13
  val v14 = v13 * 2 + 14
  val v15 = v14 * 2 + 15
  val v16 = v15 * 2 + 16
  val v17 = v16 * 2 + 17
  val v18 = v17 * 2 + 18
  val v19 = v18 * 2 + 19
  val v20 = v19 * 2 + 20
  v20 - v19
def narrow(x) =
  val v1 = x * 2 + 1
  val v2 = v1 * 2 + 2
  val v3 = v2 * 2 + 3
  val v4 = v3 * 2 + 4
  val v5 = v4 * 2 + 5
  v5 - v4
Println((at(wide, 1), at(narrow, 1))) >>
stop
{-
OUTPUT:
[1, 2, 4, 5, 7]
[1, 2]
peers of cell 40: 21
18446744073709551617
10000000000000000000000000
Error: division by zero
after division by zero
(3, "non-negative")
("neg", -7)
pick halted
Error: if expects a boolean condition, but got Integer 5
after a condition that is not a boolean
2
2.5
hi!hi
6
captured halted
halted argument
(1572863, 47)
-}
