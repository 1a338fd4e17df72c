{- A guard selects its clause only if it publishes true; false, silence
   (stop) and a later clause's body halting all behave as specified. -}
def sign(n) if (n :> 0) = "positive"
def sign(n) if (n <: 0) = "negative"
def sign(_) = "zero"
def silent(x) if (stop) = "guard"
def silent(x) = "fell through"
def noFallback(x) if (true) = stop
def noFallback(x) = "never"
sign(3) | sign(-3) | sign(0) | silent(1) | (noFallback(1) ; "halted")
{-
OUTPUT:PERMUTABLE
"positive"
"negative"
"zero"
"fell through"
"halted"
-}
