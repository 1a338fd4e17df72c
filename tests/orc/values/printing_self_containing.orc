{- A channel, an array or a ref that holds itself prints its own
   occurrence inside it as `...` (printing it does not wait for itself). -}
val c = Channel()
val a = Array(2)
val r = Ref()
c.put(c) >> c | a(0) := a >> a(1) := 3 >> a | r.write(r) >> r
{-
OUTPUT:PERMUTABLE
<Channel [<Channel ...>]>
<Array [<Array ...>, 3]>
Ref(Ref(...))
-}
