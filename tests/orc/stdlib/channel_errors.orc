{- Wrong arguments to channel methods are errors naming the method. -}
val c = Channel()
  c.put()
| c.get(1)
| Channel(1)
| c.nosuch()
| c.put(1, 2)
{-
OUTPUT:PERMUTABLE
Error: Channel.put expects 1 argument, but was called with 0
Error: Channel.get expects 0 arguments, but was called with 1
Error: Channel expects 0 arguments, but was called with 1
Error: Channel has no member `nosuch`
Error: Channel.put expects 1 argument, but was called with 2
-}
