{- parallel_or.orc: the disjunction of two slow tests, answered as soon as
   the answer is known.

   Both tests start at once. If either says true the answer is true,
   without waiting for the other, which is then killed; only if both say
   false does the answer wait for both:

     {| val a = f()
        val b = g()
        Ift(a) >> true | Ift(b) >> true | (a || b) |}

   Ift(a) publishes as soon as a is true, and halts if it is false; the
   trim keeps the first answer and kills the rest. The tests are passed
   as functions and called inside the trim: tests passed as argument
   values would be evaluated outside parallelOr, and a slow one would
   not be killed. The prelude's por(thunks) is the same over a list.

   Times are printed in whole milliseconds as the clock reads them: a run
   in real time prints the times a run in simulated time does, give or
   take the machine's lateness.

   Run it:  cargo run --release -- run examples/parallel_or.orc
   (add --sim-time to skip the waiting) -}

def parallelOr(f, g) =
  {| val a = f()
     val b = g()
     Ift(a) >> true | Ift(b) >> true | (a || b) |}

-- A test that answers b after t ms.
def after(t, b) = lambda() = Rwait(t) >> b
-- A test that never answers.
def hang() = Rwait(1000000) >> true

def show(name, f) =
  Rclock() >clock> f() >answer>
  Println(name + " = " + answer + " after " + clock.time() + " ms")

show("true(100) or hang", lambda() = parallelOr(after(100, true), hang)) >>
show("hang or true(200)", lambda() = parallelOr(hang, after(200, true))) >>
show("false(300) or false(100)", lambda() = parallelOr(after(300, false), after(100, false))) >>
show("por of false(100), hang, true(200)",
     lambda() = por([after(100, false), hang, after(200, true)])) >>
stop

{-
OUTPUT:
true(100) or hang = true after 100 ms
hang or true(200) = true after 200 ms
false(300) or false(100) = false after 300 ms
por of false(100), hang, true(200) = true after 200 ms
-}
