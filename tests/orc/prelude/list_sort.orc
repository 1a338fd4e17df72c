{- merge, mergeBy, sort, sortBy, mergeUnique, mergeUniqueBy, sortUnique,
   sortUniqueBy, group, groupBy. -}
def gt(a, b) = a :> b
def byFst((a, _), (b, _)) = a <: b
def sameFst((a, _), (b, _)) = a = b
Println(merge([1, 3, 5], [2, 3, 4, 6]), " ", merge([], [1]), " ", merge([1], [])) >>
Println(mergeBy(gt, [5, 3, 1], [4, 2])) >>
Println(sort([3, 1, 4, 1, 5, 9, 2, 6]), " ", sort([]), " ", sort(["b", "c", "a"])) >>
Println(sortBy(gt, [3, 1, 4, 1, 5])) >>
-- Sorting is stable: equal keys keep their order.
Println(sortBy(byFst, [(2, "a"), (1, "b"), (2, "c"), (1, "d")])) >>
Println(mergeUnique([1, 2, 3], [2, 4, 5]), " ", mergeUniqueBy((=), gt, [5, 3], [5, 4])) >>
Println(sortUnique([3, 1, 3, 2, 1]), " ", sortUnique([]), " ", sortUniqueBy(sameFst, byFst, [(2, "a"), (1, "b"), (2, "c")])) >>
Println(group([(1, 1), (1, 2), (2, 3), (3, 4), (1, 3)]), " ", group([])) >>
Println(groupBy(lambda(a, b) = a % 2 = b % 2, [(1, "a"), (3, "b"), (2, "c"), (5, "d")])) >>
-- A list that halts silently makes the sorts halt silently too.
(sort(stop) ; sortUnique(stop) ; Println("sort(stop) halts")) >>
stop
{-
OUTPUT:
[1, 2, 3, 3, 4, 5, 6] [1] [1]
[5, 4, 3, 2, 1]
[1, 1, 2, 3, 4, 5, 6, 9] [] ["a", "b", "c"]
[5, 4, 3, 1, 1]
[(1, "b"), (1, "d"), (2, "a"), (2, "c")]
[1, 2, 3, 4, 5] [5, 4, 3]
[1, 2, 3] [] [(1, "b"), (2, "c")]
[(1, [1, 2]), (2, [3]), (3, [4]), (1, [3])] []
[(1, ["a", "b"]), (2, ["c"]), (5, ["d"])]
sort(stop) halts
-}
