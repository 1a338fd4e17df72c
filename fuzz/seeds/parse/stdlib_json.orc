{- ReadJSON turns JSON into Orc values; WriteJSON turns them back. -}
ReadJSON("{\"a\": [1, -2.50, 6e7, true, false, null], \"b\": {\"c\": \"x\\u0041\\n\"}}") >j>
Println(j) >>
Println(j.a) >> Println(j.b.c) >>
Println(WriteJSON(j)) >>
Println(ReadJSON("{\"x\": 1, \"x\": 2}")) >>
Println(ReadJSON(" [ ] ")) >>
Println(WriteJSON({. s = "q\"/\\", n = 12345678901234567890, l = [[], {. .}] .})) >>
Println(ReadJSON(WriteJSON(j)) = j) >>
stop
; ReadJSON("[1,]") ; ReadJSON("{'a': 1}") ; ReadJSON("01") ; WriteJSON((1, 2)) ; ReadJSON(1)
{-
OUTPUT:
{. a = [1, -2.50, 6E+7, true, false, null], b = {. c = "xA\n" .} .}
[1, -2.50, 6E+7, true, false, null]
xA

{"a":[1,-2.50,6E+7,true,false,null],"b":{"c":"xA\n"}}
{. x = 2 .}
[]
{"s":"q\"\/\\","n":12345678901234567890,"l":[[],{}]}
true
Error: ReadJSON: illegal character at line 1, column 4
Error: ReadJSON: expected a string key at line 1, column 2
Error: ReadJSON: malformed number at line 1, column 1
Error: WriteJSON: the value (1, 2) has no JSON counterpart
Error: ReadJSON expects a string, but got Integer 1
-}
