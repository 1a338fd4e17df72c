{- BoundedChannel needs a non-negative integer bound. -}
BoundedChannel(-1) | BoundedChannel("2") | BoundedChannel()
| BoundedChannel(1) >c> c.put()
{-
OUTPUT:PERMUTABLE
Error: BoundedChannel expects a non-negative integer, but got Integer -1
Error: BoundedChannel expects a non-negative integer, but got String "2"
Error: BoundedChannel expects 1 argument, but was called with 0
Error: BoundedChannel.put expects 1 argument, but was called with 0
-}
