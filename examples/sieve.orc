{- sieve.orc: the sieve of Eratosthenes as a chain of filters joined by
   channels.

   A generator puts 2, 3, 4, ... n into a channel and closes it. Each
   stage of the chain takes the first number from its input: that number
   p is prime (no earlier stage removed it). The stage reports p, starts
   the next stage on a new channel, and passes on every later number not
   divisible by p. All stages work at the same time, like a pipeline.

   Closing is how the chain shuts down: when a stage's input is closed
   and empty, its get halts, so it closes its output in turn; the last
   stage finds its input closed before getting any number and halts. When
   every stage has halted, the primes are all in the channel `primes`.

   Run it:  cargo run --release -- run examples/sieve.orc -}

def generate(n, out) =
  def from(i) = if i :> n then out.close() else out.put(i) >> from(i + 1)
  from(2)

-- Passes on the numbers from `in` not divisible by p, then closes `out`.
def sift(p, in, out) =
  def loop() = in.get() >x> (if x % p = 0 then signal else out.put(x)) >> loop()
  loop() ; out.close()

-- A stage: the first number is a prime; the rest go through sift.
def stage(in, primes) =
  in.get() >p> primes.put(p) >>
  Channel() >out> (sift(p, in, out) >> stop | stage(out, primes))

def sieve(n) =
  val numbers = Channel()
  val primes = Channel()
  -- (`;` binds loosest: the primes are read once both sides have halted)
  generate(n, numbers) >> stop | stage(numbers, primes) ; primes.getAll()

sieve(100)

{-
OUTPUT:
[2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]
-}
