{- Dictionary: each field is a Ref created on first access and the same
   Ref afterwards. -}
val d = Dictionary()
d.x := 1 >> d.y := "two" >>
(d.x?, d.y?) >p> Println(p) >>
d.x := d.x? + 10 >> d.x.read() >v> Println(v) >>
(d.z.readD() ; Println("a new field is an empty Ref")) >>
( d.w? >w> Println("blocked read of d.w woke with " + w) >> stop
| Rwait(10) >> d.w := "late" >> stop ) ;
Dictionary(1)
{-
OUTPUT:
(1, "two")
11
a new field is an empty Ref
blocked read of d.w woke with late
Error: Dictionary expects 0 arguments, but was called with 1
-}
