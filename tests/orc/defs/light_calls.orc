{- Calls run by the calling token under light frames (see
   ARCHITECTURE.md, "Light frames"): the callee may tail-call a closure
   of another definition group, wait, halt or fork, and the caller goes
   on with the right record and closure each time. -}
def other(x) = x * 10
def direct(n) = other(n)
def waits(n) = Rwait(5) >> n + 1
def halts(0) = stop
def halts(n) = n
def forks(n) = n | n + 100
def sum(0) = 0
def sum(n) = n + sum(n - 1)
def use(n) =
  val a = direct(n)
  val b = waits(n)
  val c = halts(n) ; -1
  val d = forks(n)
  Println((a, b, c, d))
use(0) >> use(3) >>
(sum(10000) ; "halted") >s> Println(s) >>
stop
{-
OUTPUT:
(0, 1, -1, 0)
(30, 4, 3, 3)
50005000
-}
