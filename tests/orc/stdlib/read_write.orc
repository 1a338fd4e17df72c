{- Read parses an Orc literal; Write gives a value's literal text. -}
Read("true") >a> Read("1") >b> Read("(3.0, [])") >c> Read("\"hi\"") >d>
Println([a, b, c, d]) >>
Read(" {. x = -2, y = [null, signal, 1.5e3] .} ") >r> Println(r) >>
Read("[1, [2, [3]]]") >l> Println(l) >>
Println(Read("-7") + 1) >>
Write(true) >e> Write(1) >f> Write((3.0, [])) >g> Write("hi") >h>
Println([e, f, g, h]) >>
Println(Read(Write({. k = ["a\nb", (1, 2)] .}))) >>
stop
; Read("[1, 2") ; Read("1 2") ; Read(5)
{-
OUTPUT:
[true, 1, (3.0, []), "hi"]
{. x = -2, y = [null, signal, 1.5E+3] .}
[1, [2, [3]]]
-6
["true", "1", "(3.0, [])", "\"hi\""]
{. k = ["a\nb", (1, 2)] .}
Error: Read: expected `]`, but the text ended when reading "[1, 2"
Error: Read: unexpected number `2` after the value when reading "1 2"
Error: Read expects a string, but got Integer 5
-}
