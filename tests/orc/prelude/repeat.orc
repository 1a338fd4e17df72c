{- repeat calls f again after each value and publishes every value; it
   halts when f halts silently. -}
def tick() = Rwait(10) >> Rtime()
{| repeat(tick) >t> (Ift(t = 40) >> "killed at 40" | Ift(t <: 40) >> Println(t) >> stop) |} >x>
Println(x) >> (repeat(lambda() = stop) ; "repeat of a silent f halts")
{-
OUTPUT:
10
20
30
killed at 40
"repeat of a silent f halts"
-}
