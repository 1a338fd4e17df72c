{- `val` and argument unfolding prune (DIVERGENCES.md, 1): once the right
   side publishes, the rest of it is killed, so neither "later" line is
   ever printed. (The reference grafts since 2014 and prints both.) -}
def show(v) = v
val x = 42 | Rwait(100) >> Println("later, from val") >> 0
Println(x) >>
Println(show(43 | Rwait(100) >> Println("later, from an argument") >> 0)) >>
Rwait(200) >>
"done"
{-
OUTPUT:
42
43
"done"
-}
