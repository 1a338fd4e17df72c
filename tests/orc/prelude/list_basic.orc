{- each, map, reverse, filter, head, tail, init, last, empty, index,
   append, concat, length, member, and how they halt on short lists. -}
Println(map(lambda(x) = x * x, [1, 2, 3]), " ", map(lambda(x) = x, [])) >>
Println(reverse([1, 2, 3]), " ", reverse([])) >>
Println(filter(lambda(x) = x % 2 = 0, [1, 2, 3, 4, 5, 6]), " ", filter(lambda(_) = true, [])) >>
Println(head([7, 8]), " ", tail([7, 8]), " ", init([7, 8, 9]), " ", last([7, 8, 9])) >>
Println(init([1]), " ", tail([1]), " ", last([1])) >>
Println(empty([]), " ", empty([1]), " ", empty([[]])) >>
Println(index([5, 6, 7], 0), " ", index([5, 6, 7], 2)) >>
Println(append([1, 2], [3]), " ", append([], [1]), " ", append([1], [])) >>
Println(concat([[1], [], [2, 3]]), " ", concat([])) >>
Println(length([]), " ", length([1, [2, 3], 4])) >>
Println(member(2, [1, 2, 3]), " ", member(4, [1, 2, 3]), " ", member([1], [[1]]), " ", member(1, [])) >>
-- Halting silently where there is no answer.
(head([]) ; Println("head([]) halts")) >>
(tail([]) ; Println("tail([]) halts")) >>
(init([]) ; Println("init([]) halts")) >>
(last([]) ; Println("last([]) halts")) >>
(index([1, 2], 2) ; Println("index past the end halts")) >>
(each([]) ; Println("each([]) halts")) >>
-- map and filter halt silently if the function does on some element.
(map(lambda(x) = Ift(x :> 1) >> x, [1, 2]) ; Println("map halts")) >>
(filter(lambda(x) = Ift(x :> 1) >> true, [1, 2]) ; Println("filter halts")) >>
-- The function runs on all elements at once.
map(lambda(x) = Rwait(10) >> x, [1, 2, 3]) >l> Println(l, " at ", Rtime()) >>
filter(lambda(x) = Rwait(10) >> x :> 1, [1, 2, 3]) >l> Println(l, " at ", Rtime()) >>
each([1, 2, 3])
{-
OUTPUT:PERMUTABLE
[1, 4, 9] []
[3, 2, 1] []
[2, 4, 6] []
7 [8] [7, 8] 9
[] [] 1
true false false
5 7
[1, 2, 3] [1] [1]
[1, 2, 3] []
0 3
true false true false
head([]) halts
tail([]) halts
init([]) halts
last([]) halts
index past the end halts
each([]) halts
map halts
filter halts
[1, 2, 3] at 10
[2, 3] at 20
1
2
3
-}
