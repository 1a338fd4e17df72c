{- Methods on string values, with Java's behaviour. -}
val s = "apple orchard"
Println(s.length()) >>
Println(s.substring(6, 9)) >> Println(s.substring(6)) >>
Println(s.indexOf("orc")) >> Println(s.indexOf("zzz")) >>
Println(s.indexOf("a", 1)) >> Println(s.lastIndexOf("a")) >>
Println(s.charAt(1)) >>
Println(s.contains("orch")) >> Println(s.startsWith("app")) >> Println(s.endsWith("x")) >>
Println(s.toUpperCase()) >> Println("MiXeD".toLowerCase()) >>
Println("  padded \t".trim() + "|") >>
Println("a-b".replace("-", "+")) >> Println("a1b22c".replaceAll("[0-9]+", "#")) >>
Println("abc".equals("abc")) >> Println("ABC".equalsIgnoreCase("abc")) >>
Println("apple".compareTo("banana")) >> Println("".isEmpty()) >>
Println("ab".concat("cd")) >> Println("ab".repeat(3)) >>
Println("hello".hashCode()) >> Println("2024".matches("[0-9]+")) >>
Println("héllo".length()) >> Println("héllo".substring(1, 2)) >>
stop
{-
OUTPUT:
13
orc
orchard
6
-1
10
10
p
true
true
false
APPLE ORCHARD
mixed
padded|
a+b
a#b#c
true
true
-1
true
abcd
ababab
99162322
true
5
é
-}
