{- lines, words and characters (they use the string method split). -}
Println(lines("one\ntwo\r\nthree\rfour")) >>
Println(lines("a\n\nb\n"), " ", lines(""), " ", lines("\n"), " ", lines("x")) >>
Println(words("  hello   big\tworld \n"), " ", words(""), " ", words("   "), " ", words("one")) >>
Println(characters("abc"), " ", characters("")) >>
Println(unwords(words(" a  b ")), " ", unlines(lines("x\ny")) = "x\ny\n") >>
-- Whitespace is Java's: a no-break space (U+00A0) is part of a word.
Println(words("a\fb\u000Bc\r\nd"), " ", words("x\u00A0y z")) >>
Println(lines("\r\n\r"), " ", characters("h\u00E9!")) >>
stop
{-
OUTPUT:
["one", "two", "three", "four"]
["a", "", "b"] [] [""] ["x"]
["hello", "big", "world"] [] [] ["one"]
["a", "b", "c"] []
a b true
["a", "b", "c", "d"] ["x y", "z"]
["", ""] ["h", "é", "!"]
-}
