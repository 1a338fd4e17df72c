{- Site calls that answer at once run without a frame or a token of their
   own, and the same calls answering later still bind, halt and count
   right: on the left of >x> and >>, on the right of a pruning, with
   arguments computed in place, and as method calls. -}
val c = Channel()
val r = Ref() #
-- Answered at once on the left of >x> (a put), and later (a get).
(c.put(1) >x> ("put", x)) | (c.get() >y> ("got", y))
-- On the right of a pruning: answered at once, then later.
| (("now", v) <v< c.get()) | (("later", w) <w< r.read())
| (Rwait(10) >> r.write(2) >> c.put(3) >> stop)
-- An argument computed in place first (`Rwait(d + 5)`), halting and
-- failing calls on both sides.
| (Rwait(2 + 3) >> "waited")
| ((("halted", h) <h< Ift(false)) ; "halt halts the variable")
| (Iff(true) >> "never" ; "a halted call halts the token")
| (c.nosuch() ; "missing method")
{-
OUTPUT:PERMUTABLE
("put", signal)
("got", 1)
"a halted call halts the token"
Error: Channel has no member `nosuch`
"missing method"
"waited"
("later", 2)
("now", 3)
"halt halts the variable"
-}
