{- Matches in code that runs in place: a definition whose clauses take
   tuples, lists or constants apart and compute at once (`distance((x, y),
   (cx, cy))`), and patterns inside an expression (`p >(x, y)> x + y`).
   They must answer as the general way does: a mismatch tries the next
   clause or halts, a halted argument under a pattern halts the call even
   when an earlier argument did not match, a pending argument is waited
   for, bindings stay in their clause, errors are reported once. -}
def distance((x, y), (cx, cy)) = (x - cx) * (x - cx) + (y - cy) * (y - cy)
def at(f, a, b) = val d = f(a, b) # d
Println(at(distance, (1, 2), (4, 6))) >>
Println(at(distance, (1, 2), (4, 6, 8)) ; "no clause for a triple") >>
Println(at(distance, (1, 2), stop) ; "a halted argument") >>
val late = Rwait(10) >> (3, 4)
Println(at(distance, (0, 0), late)) >>
def sign(0, _) = "zero"
def sign(n, _) = if n <: 0 then "negative" else "positive"
Println(map(lambda(n) = at(sign, n, 0), [0, -3, 8])) >>
def pick(1, (a, _)) = a
def pick(_, (_, b)) = b
Println(at(pick, 1, ("a", "b")) + at(pick, 2, ("a", "b"))) >>
Println(at(pick, 2, stop) ; "halted after a mismatch") >>
def q(1, (a, _)) = a
def q(_, _) = "other"
Println(at(q, 2, stop) ; "halted, not the next clause") >>
Println(at(q, 2, (1, 2))) >>
def firsts([a, b], [c]) = a + b + c
def firsts(x:_, _) = x
Println(at(firsts, [1, 2], [3])) >>
Println(at(firsts, [10, 20, 30], [])) >>
Println(at(firsts, [], []) ; "no clause for empty lists") >>
def whole((x, _) as p, q) = (p, x, q)
Println(at(whole, (7, 8), 9)) >>
def nested(((a, b), c), d) = a * b * c * d
Println(at(nested, ((2, 3), 4), 5)) >>
def shadow(x, (x2, _)) = (val x = x2 * 10 # x) + x
Println(at(shadow, 1, (2, 3))) >>
def ratio((a, b), _) = a / b
(at(ratio, (1, 0), 0) ; Println("after division by zero")) >>
def big((a, b), _) = a * b
Println(at(big, (4611686018427387904, 4), 0)) >>
def strs((a, "x"), b) = a + b
def strs(_, b) = b
Println(at(strs, ("got ", "x"), "it") + " " + at(strs, ("got ", "y"), "it")) >>
-- Patterns inside expressions that run in place.
def loop(0, acc) = acc
def loop(n, acc) = loop(n - 1, (n, n + 1) >(a, b)> acc + a * b)
Println(loop(100, 0)) >>
def pairs(0, acc) = acc
def pairs(n, acc) = pairs(n - 1, (val (a, b) = (n, 2 * n) # acc + a + b))
Println(pairs(1000, 0)) >>
Println((1, 2) >(a, b, c)> a ; "a pair is not a triple") >>
stop
{-
OUTPUT:
25
no clause for a triple
a halted argument
25
["zero", "negative", "positive"]
ab
halted after a mismatch
halted, not the next clause
other
6
10
no clause for empty lists
((7, 8), 7, 9)
120
21
Error: division by zero
after division by zero
18446744073709551616
got it it
343400
1501500
a pair is not a triple
-}
