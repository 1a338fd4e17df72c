{- Arguments that nest integer operators, computed in place before the
   call: the same values as step by step, and the general way where the
   shortcut stops (overflow into big integers, division by zero, a
   comparison inside). -}
-- Read from a reference, so that nothing is folded when compiling.
val r = Ref(5)
val five = r?
val big = Ref(9223372036854775807)?
def show(label, x) = label + " " + x
  show("wide", (big + 1) % 7)
| show("two", (five + 2) * (10 - five))
| show("deep", ((1 + five) * 3 - 4) / 7)
| show("order", (five - 1) - (10 - five))
| show("big", (big + 1) * 2 - 1)
| show("zero", (five + 1) / 0)
| show("compare", (2 <: five) = true)
| show("read", (r? + 1) * 2)
| Channel() >c> c.put(((five % 3) + 1) * 2) >> c.get() >x> show("channel", x)
{-
OUTPUT:PERMUTABLE
"wide 1"
"two 35"
"deep 2"
"order -1"
"big 18446744073709551615"
Error: division by zero
"compare true"
"read 12"
"channel 6"
-}
