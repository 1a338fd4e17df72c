{- Method calls on library objects (`c.put(x)`), which the runtime makes
   without building the method value, behave as the general path does:
   a pending argument is waited for, arguments are the caller's variables,
   the method value itself can still be taken, and a missing method is an
   error that names it. -}
val c = Channel() #
val r = Ref(1) #
val put = c.put #
( c.put(x) <x< (Rwait(10) >> 5) ) >> c.get()
| r.write(r.read() + 1) >> r.read()
| put(7) >> c.get() >y> y * 10
| c.nope()
{-
OUTPUT:PERMUTABLE
Error: Channel has no member `nope`
2
70
5
-}
