{- Loops through tail calls: each call sees its own arguments, computed
   from the caller's before any is bound, and whatever still reads a
   caller's bindings (a `;` waiting to run, a pruning still computing, a
   token that forked) keeps seeing them. -}
val c = Channel()
def swap(a, b, n) = if n = 0 then (a, b) else c.put(n) >> swap(b, a, n - 1)
def rotate(a, b, c2, n) = if n = 0 then [a, b, c2] else Rwait(1) >> rotate(b, c2, a, n - 1)
def fallback(a, b, n) = if n = 0 then stop else n - 1 >m> (fallback(b, a, m) | stop ; [a, n])
def pruned(n) =
  if n = 0 then signal
  else (Rwait(2) >> y >> stop <y< Rwait(5) >> Println("late " + n)) | Rwait(1) >> pruned(n - 1)
def forked(n) = if n = 0 then stop else (Rwait(10) >> n | Rwait(1) >> forked(n - 1))
swap(1, 2, 3)
| Rwait(100) >> rotate("x", "y", "z", 4)
| Rwait(200) >> fallback(1, 2, 3)
| Rwait(300) >> pruned(2) >> stop
| Rwait(400) >> forked(3)
| Rwait(500) >> c.getAll()
{-
OUTPUT:
(2, 1)
["y", "z", "x"]
[1, 1]
late 2
late 1
3
2
1
[3, 2, 1]
-}
