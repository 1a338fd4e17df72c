{- Clauses over lists and integers in recursive definitions, whose
   matches the evaluator decides in place when the values are at hand
   (`[]`, `x:xs`, an integer constant): they must answer as the general
   matching does. A mismatch tries the next clause; a strict argument
   still pending is waited for, and one that halts halts the call, even
   after an earlier argument did not match; only an integer is compared
   in place, any other value as `=` compares it. -}
def len([]) = 0
def len(_:xs) = 1 + len(xs)
def heads([]) = []
def heads(x:_) = [x]
def tails(_:xs) = xs
def tails([]) = []
def count(0, acc) = acc
def count(n, acc) = count(n - 1, acc + n)
Println((len([1, 2, 3]), heads([4, 5]), heads([]), tails([6, 7]), tails([]), count(100, 0))) >>
def kind(0) = "zero"
def kind(1) = "one"
def kind(_) = "other"
Println(map(kind, [0, 1, 2, 1.0, 0.0, "0", -0])) >>
def firstIs([], _) = "empty"
def firstIs(x:_, y) = if x = y then "same" else "different"
val late = Rwait(10) >> 3
Println((firstIs([3, 4], late), firstIs([], stop), firstIs([5], 5))) >>
def strict([], 0) = "a"
def strict(_, _) = "b"
val late0 = Rwait(10) >> 0
Println(strict([1], late0)) >>
Println(strict([1], stop) ; "halted: the second argument is strict") >>
Println(len(stop) ; "len(stop) halts") >>
Println(len(5) ; "no clause for 5") >>
def firstZero([], _) = -1
def firstZero(0:_, i) = i
def firstZero(_:xs, i) = firstZero(xs, i + 1)
def emptyFirst([]:_) = "an empty list first"
def emptyFirst(_) = "no"
Println((firstZero([3, 0, 5], 0), firstZero([1.5, 0.0], 0), firstZero([1, 2], 0), emptyFirst([[], [1]]), emptyFirst([[1]]))) >>
def pairs([]) = []
def pairs(x:y:rest) = (x, y) : pairs(rest)
Println(pairs([1, 2, 3, 4])) >>
Println(pairs([1, 2, 3]) ; "no clause for an odd tail") >>
stop
{-
OUTPUT:
(3, [4], [], [7], [], 5050)
["zero", "one", "other", "one", "zero", "other", "zero"]
("same", "empty", "same")
b
halted: the second argument is strict
len(stop) halts
no clause for 5
(1, 1, -1, "an empty list first", "no")
[(1, 2), (3, 4)]
no clause for an odd tail
-}
