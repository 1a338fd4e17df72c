{- A race killed by an outer trim cancels its timer: the run ends at
   120 ms with no timer left (the harness checks), where a timer left
   behind would be pending at 400 ms. -}
def at(t, v) = Rwait(t) >> v
{| timeout(at(300, 1), 400) | at(120, "cut") |} >r> ("cut", r, Rtime())
{-
OUTPUT:
("cut", "cut", 120)
-}
