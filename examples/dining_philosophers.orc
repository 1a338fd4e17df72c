{- dining_philosophers.orc: five philosophers, five forks, and a deadlock
   avoided by ordering the forks.

   Each fork is a Semaphore(1); a philosopher eats holding the forks on
   both sides. They all sit down hungry at the same moment and reach for
   one fork, then (10 ms later) the other.

   If each takes the fork on the left first, all five hold one fork and
   wait forever for the second: a deadlock. The table is watched by a
   trim with a 5 s timer, which kills the stuck philosophers.

   If each takes the lower-numbered of its two forks first, the forks
   are acquired in one global order and no cycle of waiting can form:
   everyone eats their three meals. Thinking and eating take random times
   (Random), so the order of meals differs from run to run; what is
   printed does not: the meals eaten, and a check made at each meal that
   neither neighbour was eating at the same time.

   Run it:  cargo run --release -- run examples/dining_philosophers.orc
   (add --sim-time to skip the waiting) -}

val n = 5

-- Runs the table with `pick(left, right)` choosing which fork to take
-- first; each philosopher wants `meals` meals.
def dine(pick, meals) =
  val forks = map(lambda(_) = Semaphore(1), range(0, n))
  def fork(i) = index(forks, i)
  val eating = fillArray(Array(n), lambda(_) = false)
  val eaten = fillArray(Array(n), lambda(_) = 0)
  val clashes = Counter(0)
  def eat(i) =
    (if eating((i + n - 1) % n)? || eating((i + 1) % n)? then clashes.inc() else signal) >>
    eating(i) := true >> Rwait(Random(50)) >> eating(i) := false >>
    eaten(i) := eaten(i)? + 1
  def philosopher(_, _, _, 0) = signal
  def philosopher(i, first, second, k) =
    fork(first).acquire() >> Rwait(10) >> fork(second).acquire() >>
    eat(i) >>
    fork(second).release() >> fork(first).release() >>
    Rwait(Random(50)) >> philosopher(i, first, second, k - 1)
  def sit(i) = pick(i, (i + 1) % n) >(first, second)> philosopher(i, first, second, meals)
  {| joinMap(sit, range(0, n)) >> "everyone ate"
   | Rwait(5000) >> "deadlock: still waiting after 5000 ms" |} >outcome>
  outcome + "; meals " + arrayToList(eaten) + "; neighbours ate together " + clashes.value() + " times"

Println("left fork first: " + dine(lambda(left, right) = (left, right), 3)) >>
Println("lower fork first: " + dine(lambda(left, right) = (min(left, right), max(left, right)), 3)) >>
stop

{-
OUTPUT:
left fork first: deadlock: still waiting after 5000 ms; meals [0, 0, 0, 0, 0]; neighbours ate together 0 times
lower fork first: everyone ate; meals [3, 3, 3, 3, 3]; neighbours ate together 0 times
-}
