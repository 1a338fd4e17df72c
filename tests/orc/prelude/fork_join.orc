{- fork and forkMap publish everything; join and joinMap one signal once
   all have published, halting silently if one halts silently. -}
def slow(n) = Rwait(n * 10) >> n
signal >> (fork([lambda() = 1, lambda() = 2 | 3, lambda() = stop]) >x> Println("fork ", x) >> stop
; forkMap(lambda(x) = x * 10 | x, [1, 2]) >x> Println("forkMap ", x) >> stop
; fork([]) ; forkMap(slow, []) ; Println("fork of [] halts") >> stop
; join([lambda() = slow(3), lambda() = slow(1) | slow(2)]) >s> Println("join ", s, " at ", Rtime()) >> stop
; joinMap(slow, [2, 5, 1]) >s> Println("joinMap ", s, " at ", Rtime()) >> stop
; join([]) >s> Println("join([]) ", s) >> stop
; joinMap(slow, []) >s> Println("joinMap(_, []) ", s) >> stop
; join([lambda() = 1, lambda() = stop]) >s> Println("not reached") >> stop
; joinMap(lambda(x) = Ift(x :> 1) >> x, [1, 2]) >s> Println("not reached") >> stop
; "done")
{-
OUTPUT:PERMUTABLE
fork 1
fork 2
fork 3
forkMap 10
forkMap 1
forkMap 20
forkMap 2
fork of [] halts
join signal at 30
joinMap signal at 80
join([]) signal
joinMap(_, []) signal
"done"
-}
