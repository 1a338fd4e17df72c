{- Ref: created empty or with a value; ? and := read and write; read on an
   empty ref blocks until the first write; readD halts while empty. -}
val r = Ref()
val s = Ref(10)
  r? >x> Println("blocked read woke with " + x) >> stop
| s? >v> Println("initial " + v) >>
  s := v + 1 >> s.read() >w> Println("after := " + w) >>
  s.write(20) >> s.readD() >u> Println("after write " + u) >>
  (r.readD() ; Println("readD on an empty ref halted")) >>
  Rwait(10) >> r := "first" >> r := "second" >> r? >y> Println("now " + y) >> stop
{-
OUTPUT:
initial 10
after := 11
after write 20
readD on an empty ref halted
now second
blocked read woke with first
-}
{-
OUTPUT:
initial 10
after := 11
after write 20
readD on an empty ref halted
blocked read woke with first
now second
-}
