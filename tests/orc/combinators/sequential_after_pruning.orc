{- A sequential combinator whose left side is a pruning: the pruned
   variable may be bound in place before the left side starts, or by a
   token of its own; either way the sequence sees each publication of the
   left side, and halting, errors and waiting behave as for any left
   side. -}
def sq(n) = n * n
val cs = Table(2, lambda(_) = Channel()) #
-- Bound in place, by an operator, a functional definition, nested.
((x + 1 <x< 2 * 3) >y> ("a", y))
| ((x + 1 <x< sq(4)) >y> ("b", y))
| (((x + z) <z< x * 2 <x< 3) >y> ("c", y))
-- A left side that publishes twice.
| ((x | x + 1 <x< 10) >y> ("d", y))
-- The pruned right side needs a token: it waits, halts, fails.
| (((x, 1) <x< Rwait(10) >> 5) >y> ("e", y))
| ((((x, 1) <x< stop) >y> ("never", y)) ; "f: halted")
| ((((x, 1) <x< 1 / 0) >y> ("never", y)) ; "g: failed")
-- A method call on a receiver computed in place, answered later.
| (cs(0).get() >v> ("h", v))
| (Rwait(20) >> cs(0).put(7) >> stop)
-- A method call answered at once, in a loop.
| (cs(1).put(1) >> cs(1).put(2) >> cs(1).get() >a> cs(1).get() >b> ("i", a, b))
{-
OUTPUT:PERMUTABLE
("a", 7)
("b", 17)
("c", 9)
("d", 10)
("d", 11)
("i", 1, 2)
"f: halted"
Error: division by zero
"g: failed"
("e", (5, 1))
("h", 7)
-}
