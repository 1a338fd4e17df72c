{- Calls of small library definitions (such as `timeout`) run their
   bodies in place; the names in those bodies keep the meaning they have
   in the library, whatever the caller calls by those names, and the
   arguments are still passed without waiting for them. -}
( def Rwait(t) = "not the timer"
  timeout(Rwait(1), 10) )
| ( val None = "not None"
    Rwait(20) >> timeout(stop, 10) )
| ( def Some(x) = "not Some"
    Rwait(40) >> timeout(Rwait(5) >> "late enough", 10) )
| Rwait(60) >> upto(3) >i> Rwait(100 - 10 * i) >> i
{-
OUTPUT:
Some("not the timer")
None()
Some("late enough")
2
1
0
-}
