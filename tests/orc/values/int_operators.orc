{- The operators on machine integers (with a shortcut in the runtime)
   agree with the general path, also where a result overflows into a big
   integer; in functional definitions (run directly) and in plain code. -}
def add(x, y) = x + y
def sub(x, y) = x - y
def mul(x, y) = x * y
def lt(x, y) = x <: y
def eq(x, y) = x = y
def div(x, y) = x / y
def rem(x, y) = x % y
val big = 9223372036854775807 #
val min = (0 - big) - 1 #
[div(7, 2), div(0 - 7, 2), rem(0 - 7, 3), rem(7, 0 - 3), div(min, 0 - 1), rem(min, 0 - 1)]
| [7 / 2, (0 - 7) / 2, (0 - 7) % 3, 7 % (0 - 3), min / (0 - 1), min % (0 - 1)]
| [add(big, 1), sub(0 - big, 2), mul(big, 2), lt(1, 2), lt(2, 1), eq(3, 3), eq(3, 4)]
| [big + 1, (0 - big) - 2, big * 2, big * big :> 0, 2 >= 2, 3 /= 3, 2 :> 1, 1 <= 0]
{-
OUTPUT:PERMUTABLE
[3, -3, -1, 1, 9223372036854775808, 0]
[3, -3, -1, 1, 9223372036854775808, 0]
[9223372036854775808, -9223372036854775809, 18446744073709551614, true, false, true, false]
[9223372036854775808, -9223372036854775809, 18446744073709551614, true, true, false, true, false]
-}
