{- por and pand publish exactly once, as soon as the answer is known,
   killing the calls still running. -}
def after(t, b) = Rwait(t) >> b
def never() = Rwait(100000) >> true
por([lambda() = after(30, false), lambda() = after(10, true), never]) >b> Println("por ", b, " at ", Rtime()) >> stop
; por([lambda() = after(10, false), lambda() = false]) >b> Println("por ", b, " at ", Rtime()) >> stop
; por([lambda() = true, lambda() = true, lambda() = true]) >b> Println("por all true ", b) >> stop
; por([]) >b> Println("por([]) ", b) >> stop
; pand([lambda() = after(30, true), lambda() = after(10, false), never]) >b> Println("pand ", b, " at ", Rtime()) >> stop
; pand([lambda() = after(10, true), lambda() = true]) >b> Println("pand ", b, " at ", Rtime()) >> stop
; pand([lambda() = false, lambda() = false]) >b> Println("pand all false ", b) >> stop
; pand([]) >b> Println("pand([]) ", b) >> stop
{-
OUTPUT:
por true at 10
por false at 20
por all true true
por([]) false
pand false at 30
pand true at 40
pand all false false
pand([]) true
-}
