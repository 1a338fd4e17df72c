{- seq and seqMap run in sequence and publish a signal per publication of
   the last step; alt and altMap publish the first alternative that
   publishes anything. -}
def note(x) = Println("step ", x, " at ", Rtime()) >> x
def slow(n) = Rwait(10) >> note(n)
seq([lambda() = slow(1), lambda() = slow(2), lambda() = slow(3)]) >s> Println("seq: ", s) >> stop
; seqMap(slow, [4, 5]) >s> Println("seqMap: ", s) >> stop
; seq([lambda() = 1, lambda() = 2 | 3]) >s> Println("seq, twice: ", s) >> stop
; seq([]) >s> Println("seq([]): ", s) >> stop
; seqMap(slow, []) >s> Println("seqMap(_, []): ", s) >> stop
; seq([lambda() = 1, lambda() = stop, lambda() = note("never")]) >> Println("not reached") >> stop
; alt([lambda() = stop, lambda() = note("second") | Rwait(1) >> "second again", lambda() = note("never")]) >x> Println("alt: ", x) >> stop
; altMap(lambda(x) = Ift(x :> 2) >> note(x), [1, 2, 3, 4]) >x> Println("altMap: ", x) >> stop
; alt([]) ; altMap(note, []) ; alt([lambda() = stop]) ; Println("alt of nothing halts") >> stop
{-
OUTPUT:
step 1 at 10
step 2 at 20
step 3 at 30
seq: signal
step 4 at 40
step 5 at 50
seqMap: signal
seq, twice: signal
seq, twice: signal
seq([]): signal
seqMap(_, []): signal
step second at 50
alt: second
alt: second again
step 3 at 51
altMap: 3
alt of nothing halts
-}
