{- unlines and unwords (the splitting functions need string methods and
   are under needs_sites/). Strings are published in quotes, with escapes. -}
unlines(["a", "b"]) >x> x = "a\nb\n" >b> Println(b, " ", unlines([]) = "", " ", unlines([""]) = "\n") >>
[unwords(["a", "b", "c"]), unwords([]), unwords(["one"])]
{-
OUTPUT:
true true true
["a b c", "", "one"]
-}
