{- any and all apply the predicate to all elements in parallel and answer
   as soon as the answer is known, killing the other calls. -}
def after(t, b) = Rwait(t) >> b
any(lambda(x) = x :> 2, [1, 2, 3]) >b> Println("any ", b) >>
any(lambda(x) = x :> 5, [1, 2, 3]) >b> Println("any ", b) >>
any(lambda(_) = true, []) >b> Println("any of [] ", b) >>
all(lambda(x) = x :> 0, [1, 2, 3]) >b> Println("all ", b) >>
all(lambda(x) = x :> 1, [1, 2, 3]) >b> Println("all ", b) >>
all(lambda(_) = false, []) >b> Println("all of [] ", b) >>
-- The element that decides is found at 10 ms; the slow one is not waited for.
Rtime() >t0> any(lambda(t) = after(t, t = 10), [1000, 10, 20]) >b> Println("any ", b, " after ", Rtime() - t0) >>
Rtime() >t0> all(lambda(t) = after(t, t /= 10), [1000, 10, 20]) >b> Println("all ", b, " after ", Rtime() - t0) >>
-- A predicate that never answers for one element does not block a true.
any(lambda(x) = if x = 0 then stop else true, [0, 1]) >b> Println("any ", b) >>
stop
{-
OUTPUT:
any true
any false
any of [] false
all true
all false
all of [] true
any true after 10
all false after 10
any true
-}
