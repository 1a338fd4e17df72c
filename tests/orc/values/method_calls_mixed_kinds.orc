{- One method call in the program that reaches objects of several kinds
   in turn (each call remembers where it found its method last time):
   every object still runs its own method, and a kind without the method
   is still an error. -}
def rd(x) = x.read()
def take(ch) = ch.get()
val r = Ref(1) #
val c = Cell() #
val bc = BoundedChannel(2) #
val ch = Channel() #
val rec = {. read = lambda() = 4 .} #
c.write(2) >> bc.put("b") >> ch.put("c") >> bc.put("bb") >> ch.put("cc") >>
(rd(r), rd(c), rd(rec), rd(r), rd(c)) >t> Println(t) >>
take(ch) >x> take(bc) >y> take(ch) >z> take(bc) >w> Println([x, y, z, w]) >>
rd(ch)
{-
OUTPUT:
(1, 2, 4, 1, 2)
["c", "b", "cc", "bb"]
Error: Channel has no member `read`
-}
