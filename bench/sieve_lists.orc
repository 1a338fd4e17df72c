{- The primes below __N__ by repeated filtering of a long list: the first
   number is prime, and the rest of the list is filtered by it, each
   filter an Orc closure (python/sieve_lists.py). -}
def sieve([]) = []
def sieve(p:xs) = p : sieve(filter(lambda(x) = x % p /= 0, xs))
length(sieve(range(2, __N__)))
