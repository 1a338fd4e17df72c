{- A read of an empty cell given up by a timeout does not stop later
   readers from seeing the value; every live reader wakes. -}
def timed(f, t) = {| Some(f()) | Rwait(t) >> None() |}
val c = Cell()
timed(c.read, 10) >r> Println("timed read: " + r) >>
( c.read() >x> Println("reader 1: " + x) >> stop
| c.read() >x> Println("reader 2: " + x) >> stop
| Rwait(5) >> c.write("v") >> stop ) ;
Println("done") >> Cell(1)
{-
OUTPUT:PERMUTABLE
timed read: None()
reader 1: v
reader 2: v
done
Error: Cell expects 0 arguments, but was called with 1
-}
