{- site declarations: arguments are strict; every publication of the body
   is a publication of the call; the body runs in the declaring scope, so
   killing the caller does not stop it; once the declaring scope is killed,
   calls halt. -}
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
"declaring scope killed"
-}
