{- A timed-out read of an empty ref; wrong arguments are errors. -}
def timed(f, t) = {| Some(f()) | Rwait(t) >> None() |}
val r = Ref()
timed(r.read, 10) >o> Println("timed read: " + o) >>
r := 1 >> timed(r.read, 10) >p> Println("after write: " + p) >>
( Ref(1, 2) | r.write() | r.read(1) | (3 := 4) )
{-
OUTPUT:PERMUTABLE
timed read: None()
after write: Some(1)
Error: Ref expects 0 or 1 arguments, but was called with 2
Error: Ref.write expects 1 argument, but was called with 0
Error: Ref.read expects 0 arguments, but was called with 1
Error: cannot access `.write` on Integer 3
-}
