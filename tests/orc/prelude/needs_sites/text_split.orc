{- lines, words and characters. Need the string methods length() and
   substring(from, until). -}
Println(lines("one\ntwo\r\nthree\rfour")) >>
Println(lines("a\n\nb\n"), " ", lines(""), " ", lines("\n"), " ", lines("x")) >>
Println(words("  hello   big\tworld \n"), " ", words(""), " ", words("   "), " ", words("one")) >>
Println(characters("abc"), " ", characters("")) >>
Println(unwords(words(" a  b ")), " ", unlines(lines("x\ny")) = "x\ny\n") >>
stop
{-
OUTPUT:
["one", "two", "three", "four"]
["a", "", "b"] [] [""] ["x"]
["hello", "big", "world"] [] [] ["one"]
["a", "b", "c"] []
a b true
-}
