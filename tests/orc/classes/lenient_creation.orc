{- `new` publishes the object at once; each `val` member is a future of
   its computation, and reading a member waits for it. A member may be
   bound to a future of the program's top level while it is pending
   (`slow`): nothing but the end of the run can kill its computation. -}
val slow = Rwait(100) >> "slow"

val o = new {
  val a = slow
  val b = Rwait(50) >> "b"
  val c = "c"
}

Println("created") >>
( o.c >x> Println(x) >> stop
| o.a >x> Println(x) >> stop
| o.b >x> Println(x) >> stop
| Rwait(75) >> Println("75ms") >> stop
)
{-
OUTPUT:
created
c
b
75ms
slow
-}
