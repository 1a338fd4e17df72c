{- A `;` that is all that is left of the left side of another `;`, with a
   right side that publishes a value known at once, takes the place of the
   enclosing right side (which can no longer run) instead of nesting a new
   one. Where the enclosing left side holds other tokens, has published,
   or the inner right side is not a known value, each `;` keeps its own. -}

-- One `;` per iteration, the innermost right side publishes.
def total(n, s) = (if n = 0 then stop else total(n - 1, s + n)) ; s
-- The inner right side halts: the enclosing one runs.
def quiet(n) = (if n = 0 then stop else quiet(n - 1)) ; (if n = 0 then stop else n)

total(100000, 0) >t> ("total", t)
| Rwait(10) >> (((stop ; "left alone") | Rwait(10) >> "other token") ; "unreachable")
| Rwait(30) >> ((("published" | Rwait(5) >> (stop ; "after a publication")) ; "unreachable"))
| Rwait(50) >> (quiet(3) >q> ("quiet", q))
| Rwait(60) >> ({| stop ; "in a trim" |} ; "unreachable")
{-
OUTPUT:
("total", 5000050000)
"left alone"
"other token"
"published"
"after a publication"
("quiet", 1)
"in a trim"
-}
