{- filter with a predicate that runs in place (its body an immediate
   expression) and append, which run natively, answer as the Orc clauses
   do: the same lists, the same halting, the same errors; a predicate of
   any other kind (one that waits, forks or has an effect, a site, one
   capturing a variable not bound yet) goes the usual way. member, also
   native, looks for its item as the clauses do. -}
def slowly(x) = Rwait(1) >> x % 3 = 0
def divides(k) = lambda(x) = x % k = 0
val xs = [9, 4, 6, 1, 3, 12, 7]
Println(filter(lambda(x) = x % 3 = 0, xs), " ", filter(slowly, xs), " ", filter(divides(3), xs)) >>
Println(filter(lambda(x) = x :> 100, xs), " ", filter(lambda(_) = true, xs), " ", filter(lambda(x) = x :> 0, [])) >>
-- Bodies of several steps, captured variables, other values.
val lo = 3
val hi = 9
Println(filter(lambda(x) = val y = x * 2 # y >= lo && y <= hi, xs)) >>
Println(filter(lambda(s) = s /= "", ["a", "", "b", ""]), " ", filter(lambda(p) = p = (1, 2), [(1, 2), (2, 1)])) >>
-- A site as the predicate, and a lambda that forks: the usual way.
Println(filter(Ift, [true, false]) ; "Ift halts on false") >>
Println(filter(lambda(x) = x :> 5 | stop, xs)) >>
-- A captured variable bound later: the predicate waits for it.
val late = Rwait(5) >> 5
Println(filter(lambda(x) = x <: late, xs)) >>
-- A list holding a closure whose captured variable is not bound yet.
val later = Rwait(5) >> 1
val f = lambda() = later
Println(length(filter(lambda(_) = true, [f, f]))) >>
-- ... after integers an integer predicate answered for: the usual way from
-- the start, each element's error reported once.
def g() = later
Println(filter(lambda(x) = x = 1, [1, 2, g])) >>
(filter(lambda(x) = 12 / x :> 2, [4, 0, g]) ; Println("halted, each error reported once")) >>
-- The predicate halts on an element: filter halts.
(filter(lambda(x) = if x = 6 then stop else true, xs) ; Println("halted on 6")) >>
-- Errors inside the predicate are reported, each element's, and it halts.
(filter(lambda(x) = 12 / x :> 2, [4, 0, 3, 0]) ; Println("halted on a division by zero")) >>
-- An answer that is not a boolean.
(filter(lambda(x) = x, [true, 5]) ; Println("halted on a non-boolean")) >>
-- filter on something other than a list halts silently, as no clause matches.
(filter(lambda(x) = true, 5) ; Println("filter(_, 5) halts")) >>
-- Long lists.
val long = range(0, 100000)
Println(length(filter(lambda(x) = x % 2 = 0, long)), " ", length(append(long, long))) >>
Println(append([1, 2], [3]), " ", append([], []), " ", append([[1]], [[2]]), " ", append(["a"], [])) >>
(append(stop, [1]) ; Println("append(stop, _) halts")) >>
(append(1, [2]) ; Println("append(1, _) halts, as no clause matches")) >>
(append([1], 2) ; Println("append(_, 2) is an error")) >>
Println(concat([[1, 2], [], [3]]), " ", append([], 2), " ", length(append(xs, xs))) >>
-- member compares as = does, from the front.
Println(member(3, xs), " ", member(5, xs), " ", member([1], [[2], [1]]), " ", member((1, "a"), [(1, "a")])) >>
Println(member(99999, long), " ", member(-1, long), " ", member(stop, []), " ", member(1.0, [1])) >>
(member(1, 5) ; Println("member(_, 5) halts")) >>
(member(stop, [1]) ; Println("member(stop, [1]) halts")) >>
stop
{-
OUTPUT:
[9, 6, 3, 12] [9, 6, 3, 12] [9, 6, 3, 12]
[] [9, 4, 6, 1, 3, 12, 7] []
[4, 3]
["a", "b"] [(1, 2)]
Error: if expects a boolean condition, but got Signal signal
Ift halts on false
[9, 6, 12, 7]
[4, 1, 3]
2
[1]
Error: division by zero
Error: cannot apply / to Integer 12 and Closure <closure g>
halted, each error reported once
halted on 6
Error: division by zero
Error: division by zero
halted on a division by zero
Error: if expects a boolean condition, but got Integer 5
halted on a non-boolean
filter(_, 5) halts
50000 200000
[1, 2, 3] [] [[1], [2]] ["a"]
append(stop, _) halts
append(1, _) halts, as no clause matches
Error: : expects a list as its second argument, but got Integer 2
append(_, 2) is an error
[1, 2, 3] 2 14
true false true true
true false false true
member(_, 5) halts
member(stop, [1]) halts
-}
