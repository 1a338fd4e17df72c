"""The primes below N by repeated filtering of a list, as sieve_lists.orc."""
import sys


def sieve(xs):
    primes = []
    while xs:
        p = xs[0]
        primes.append(p)
        xs = [x for x in xs[1:] if x % p != 0]
    return primes


print(len(sieve(list(range(2, int(sys.argv[1]))))))
