{- site declarations: arguments are strict; every publication of the body
   is a publication of the call; the body runs in the declaring scope, so
   killing the caller does not stop it; once the declaring scope is killed,
   calls halt with an error saying why (a `val` that takes a site as its
   value kills the expression that declared it). -}
site both(x) = x | x * 10
site slow(x) = x | Rwait(10) >> Println("body still running") >> stop
val dead = {| site gone(x) = x # gone |}
both(Rwait(5) >> 1)
| {| slow(2) |}
| Rwait(50) >> (dead(3) ; "declaring scope killed")
{-
OUTPUT:PERMUTABLE
1
10
2
body still running
Error: the site `gone` can no longer be called: the expression that declared it was killed (by a `val`, a pruning or `{| |}` that took its value); declare the site where it stays alive, or use a class
"declaring scope killed"
-}
