{- Random(n) is in [0, n); Random(0) halts; URandom() is in [0, 1);
   UUID() is a version 4 UUID; OrcVersion() names the implementation. -}
def check(0) = true
def check(k) =
  Random(10) >r> URandom() >u>
  (if r >= 0 && r <: 10 && u >= 0 && u <: 1 then check(k - 1) else false)
check(200) >ok> Println("ranges hold: " + ok) >>
(Random(0) ; Println("Random(0) halted")) >>
Random() >x> Println("Random() is an integer: " + (Floor(x) = x)) >>
UUID() >id> Println((id.length(), id.charAt(8), id.charAt(14), id.charAt(23))) >>
Println(UUID() /= UUID()) >>
Println(OrcVersion().startsWith("orc ")) >>
stop
; Random(-1) ; Random("x") ; URandom(1)
{-
OUTPUT:
ranges hold: true
Random(0) halted
Random() is an integer: true
(36, "-", "4", "-")
true
true
Error: Random expects a non-negative integer bound, but got Integer -1
Error: Random expects a non-negative integer bound, but got String "x"
Error: URandom expects 0 arguments, but was called with 1
-}
