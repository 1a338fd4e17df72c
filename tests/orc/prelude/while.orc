{- while(p, f)(x) publishes x, f(x), ... while p holds; only the first value
   of each f call goes on. -}
while(lambda(n) = n <= 5, lambda(n) = n + 1)(0)
| while(lambda(s) = s <: 100, lambda(n) = n * 10 | Rwait(5) >> 1000)(3)
| while(lambda(_) = false, lambda(n) = n)("never")
{-
OUTPUT:PERMUTABLE
0
1
2
3
4
5
3
30
-}
