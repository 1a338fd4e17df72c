{- An object created inside an expression that a pruning kills keeps
   every member, whatever the members depend on: its own computations
   (they belong to the object) and the variables its class captures
   (`new` waits for those a pruning around it could kill). Each case
   below once lost a member silently. -}
def g(x) = x
def wrap(a) = new { val w = a }
def f(i) = val r = wrap(g(i) + 0).w # r

def slow(v) = Rwait(10) >> v
def holder(a) = new { val b = a }
def getter(a) = new { def get() = a }
class C { val x = Rwait(10) >> 42 }

-- A member bound to an argument still being computed when the pruning
-- around the call publishes the object.
Println(length(collect({ upto(200) >i> f(i) }))) >>
-- A member's own computation, after `val` took the object.
(val q = new { val x = Rwait(10) >> 42 } >c> c
 Println(q.x)) >>
-- Objects inside a tuple, bound by `val`.
(val p = (new C, new C)
 p >(a, b)> Println(a.x + b.x)) >>
-- Objects made by a function that `Table` calls.
(val t = Table(3, lambda(_) = new C)
 Println(t(0).x + t(1).x + t(2).x)) >>
-- A member, and a method, bound to an argument computed by a pruning.
(val h = holder(slow(5))
 Println(h.b)) >>
(val k = getter(slow(6))
 Println(k.get())) >>
-- A capture computed by a pruning inside the `val`: `new` waits for it.
(val o = new { val a = s } <s< slow("s")
 Println(o.a)) >>
stop
{-
OUTPUT:
200
42
84
126
5
6
s
-}
