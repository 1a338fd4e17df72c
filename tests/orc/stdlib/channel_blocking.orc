{- A get on an empty channel blocks until a put; each item goes to one
   getter, oldest getter first. -}
val c = Channel()
  c.get() >x> Println("first getter: " + x) >> stop
| Rwait(10) >> c.get() >x> Println("second getter: " + x) >> stop
| Rwait(50) >> c.put("a") >> c.put("b") >> Println("both put") >> stop
{-
OUTPUT:
first getter: a
second getter: b
both put
-}
{-
OUTPUT:
both put
first getter: a
second getter: b
-}
