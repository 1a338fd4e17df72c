{- zipWith, zip, unzip, take, drop. -}
Println(zipWith((+), [1, 2, 3], [10, 20]), " ", zipWith((+), [], [1])) >>
Println(zip([1, 2], ["a", "b", "c"]), " ", zip([1], [])) >>
Println(unzip([(1, "a"), (2, "b")]), " ", unzip([])) >>
Println(take(2, [1, 2, 3]), " ", take(0, [1]), " ", take(3, [1, 2, 3]), " ", take(0, [])) >>
Println(drop(2, [1, 2, 3]), " ", drop(0, [1]), " ", drop(3, [1, 2, 3])) >>
-- A count beyond the list's length, or a negative one, is an error.
(take(4, [1, 2, 3]) ; Println("take(4, [1, 2, 3]) failed")) >>
(drop(-1, [1]) ; Println("drop(-1, [1]) failed")) >>
stop
{-
OUTPUT:
[11, 22] []
[(1, "a"), (2, "b")] []
([1, 2], ["a", "b"]) ([], [])
[1, 2] [] [1, 2, 3] []
[3] [1] []
Error: take(4, _): the list has fewer than 4 elements
take(4, [1, 2, 3]) failed
Error: drop(-1, _): the count is negative
drop(-1, [1]) failed
-}
