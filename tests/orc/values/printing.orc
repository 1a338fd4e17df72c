{- Values print as the expressions that build them. -}
"a\"b\n" | 12345678901234567890123 | 1.50 | true | signal
| [1, [2, 3], []] | (1, "x") | {. a = 1, b = [true] .} | Some(3) | None()
{-
OUTPUT:PERMUTABLE
"a\"b\n"
12345678901234567890123
1.50
true
signal
[1, [2, 3], []]
(1, "x")
{. a = 1, b = [true] .}
Some(3)
None()
-}
