{- Many gets given up one after another leave no trace: the item put
   afterwards is still there for a live getter. -}
def timed(f, t) = {| Some(f()) | Rwait(t) >> None() |}
val c = Channel()
def loop(0) = signal
def loop(n) = timed(c.get, 1) >> loop(n - 1)
loop(100) >> c.put("kept") >> c.getD()
{-
OUTPUT:
"kept"
-}
