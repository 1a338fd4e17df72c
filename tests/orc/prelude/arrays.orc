{- arrayToList, listToArray, fillArray, sliceArray. Use the Array site:
   a(i) is a reference to element i and a.length? the length. -}
val a = listToArray([10, 20, 30, 40])
Println(a.length?, " ", a(2)?, " ", arrayToList(a)) >>
Println(arrayToList(sliceArray(a, 1, 3)), " ", arrayToList(sliceArray(a, 2, 2))) >>
fillArray(Array(3), lambda(i) = i * i) >b> Println(arrayToList(b)) >>
Println(arrayToList(listToArray([]))) >>
stop
{-
OUTPUT:
4 30 [10, 20, 30, 40]
[20, 30] []
[0, 1, 4]
[]
-}
