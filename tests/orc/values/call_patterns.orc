{- A call pattern `C(p)` matches through `C.unapply`: the matched value
   is passed to it, and each of its publications is matched against `p`
   (several patterns: against the tuple it publishes). So `C` may be a
   constructor, a record or an object with an `unapply` member; an
   `unapply` that halts does not match, one that publishes many times
   matches many times, one that waits makes the match wait. -}

def halve(n) = Ift(n % 2 = 0) >> n / 2
val even = {. unapply = halve .}
def divisors(n) = upto(n - 2) >i> i + 2 >d> Ift(n % d = 0) >> d
val multipleOf = {. unapply = divisors .}
val pair = {. unapply = lambda(n) = (n, n * n) .}
val slow = {. unapply = lambda(x) = Rwait(10) >> x + 1 .}
class Celsius { def unapply(f) = (f - 32) * 5 / 9 }
val celsius = new Celsius
def describe(even(h)) = "even, half " + h
def describe(n) if (n :> 100) = "big and odd"
def describe(n) = "odd: " + n
type Shape = Circle(_) | Rect(_, _)
def area(Circle(r)) = 3 * r * r
def area(Rect(w, h)) = w * h
-- An unapply publishing many values: the clause takes the first.
val halves = {. unapply = lambda(n) = n / 2 | Rwait(5) >> n / 4 .}
def firstHalf(halves(h)) = h

Println(collect(lambda() = each([3, 4, 10, 7]) >even(h)> h)) >>
Println(collect(lambda() = 12 >multipleOf(d)> d)) >>
5 >pair(a, b)> Println((a, b)) >>
-- Nested in other patterns, and constructors too.
(1, 8) >(x, even(y))> Println(x + y) >>
[Some(3), None()] >[Some(s), None()]> Println(s) >>
212 >celsius(c)> Println(c) >>
slow.unapply(1) >v> Println("waited for " + v) >>
(41 >slow(w)> Println("slow: " + w)) >>
-- In a val too.
val even(q) = 22
Println(q) >>
(7 >even(_)> Println("7 is even") ; Println("7 is not even")) >>
-- In a definition's clauses: the first clause that matches is chosen;
-- an unapply that halts (or a guard that fails) falls through.
Println(describe(12)) >> Println(describe(7)) >> Println(describe(301)) >>
Println(area(Circle(2)) + area(Rect(2, 5))) >>
Println(firstHalf(20)) >>
stop

{-
OUTPUT:
[2, 5]
[2, 3, 4, 6]
(5, 25)
5
3
100
waited for 2
slow: 42
11
7 is not even
even, half 6
odd: 7
big and odd
22
10
-}
