{- timeout, metronome and repeatWithTimeout. -}
def slowly(t, v) = Rwait(t) >> v
timeout(slowly(10, "fast"), 50) >r> Println(r, " at ", Rtime()) >>
Rtime() >t0> timeout(slowly(100, "slow"), 50) >r> Println(r, " after ", Rtime() - t0) >>
Rtime() >t0> timeout(stop, 20) >r> Println("silent: ", r, " after ", Rtime() - t0) >>
-- metronome ticks now and every t ms.
Rtime() >t0> {| metronome(25) >> Rtime() - t0 >dt> (Ift(dt = 100) >> "stop" | Ift(dt <: 100) >> Println("tick ", dt) >> stop) |} >>
-- repeatWithTimeout stops at the first call slower than the limit. Here
-- the calls take 10, 20, 30, ... ms, so the fifth (50 ms) is too slow.
Rtime() >t0> (
  def call() = Rtime() - t0 >elapsed> (
    -- the n-th call starts after 10 + 20 + ... + 10 (n - 1) ms
    def nth(n, sum) = if sum = elapsed then n else nth(n + 1, sum + 10 * n)
    nth(1, 0) >n> Rwait(10 * n) >> n)
  repeatWithTimeout(call, 45) >n> Println("call ", n) >> stop
  ; Println("repeatWithTimeout stopped after ", Rtime() - t0)) >>
-- A call that halts silently stops it at once.
Rtime() >t0> (repeatWithTimeout(lambda() = stop, 45) ; Println("silent call: stopped after ", Rtime() - t0)) >>
stop
{-
OUTPUT:
Some("fast") at 10
None() after 50
silent: None() after 20
tick 0
tick 25
tick 50
tick 75
call 1
call 2
call 3
call 4
repeatWithTimeout stopped after 145
silent call: stopped after 0
-}
