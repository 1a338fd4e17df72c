{- foldl, foldl1, foldr, foldr1, afold, sum, product, and, or, minimum,
   maximum. -}
def cat(a, b) = "(" + a + b + ")"
Println(foldl(cat, "z", ["a", "b", "c"]), " ", foldr(cat, "z", ["a", "b", "c"])) >>
Println(foldl(cat, "z", []), " ", foldr(cat, "z", [])) >>
Println(foldl1(cat, ["a", "b", "c"]), " ", foldr1(cat, ["a", "b", "c"]), " ", foldl1(cat, ["a"])) >>
Println(foldl(flip((:)), [], [1, 2, 3])) >>
Println(afold(cat, ["a", "b", "c", "d", "e"]), " ", afold(cat, ["a"])) >>
Println(sum([1, 2, 3, 4]), " ", sum([]), " ", sum([0.5, 1]), " ", product([2, 3, 4]), " ", product([])) >>
Println(and([true, true]), " ", and([]), " ", and([true, false, true]), " ", or([false, true]), " ", or([]), " ", or([false, false])) >>
-- and/or stop at the first deciding element: what follows is not examined.
Println(and([false, "not a boolean"]), " ", or([true, "not a boolean"])) >>
Println(minimum([3, 1, 2]), " ", maximum([3, 1, 2]), " ", minimum(["b", "a", "c"]), " ", maximum([7])) >>
-- Empty lists have no first element, so these halt silently.
(foldl1(cat, []) ; foldr1(cat, []) ; afold(cat, []) ; minimum([]) ; maximum([])
 ; Println("foldl1, foldr1, afold, minimum, maximum of [] halt")) >>
-- afold reduces in O(log n) rounds of parallel calls: 8 elements take 3
-- rounds of a 10 ms operation.
afold(lambda(a, b) = Rwait(10) >> a + b, [1, 2, 3, 4, 5, 6, 7, 8]) >s> Println(s, " at ", Rtime()) >>
stop
{-
OUTPUT:
(((za)b)c) (a(b(cz)))
z z
((ab)c) (a(bc)) a
[3, 2, 1]
(((ab)(cd))e) a
10 0 1.5 24 1
true true false true false false
false true
1 3 a 7
foldl1, foldr1, afold, minimum, maximum of [] halt
36 at 30
-}
