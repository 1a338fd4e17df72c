"""Functional quicksort of N pseudo-random numbers, as quicksort_lists.orc."""
import sys
import threading

sys.setrecursionlimit(10**7)
threading.stack_size(1 << 28)


def randoms(n, seed):
    out = []
    for _ in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        out.append(seed % 1000000)
    return out


def quicksort(xs):
    if not xs:
        return []
    p, rest = xs[0], xs[1:]
    smaller = quicksort([x for x in rest if x < p])
    larger = quicksort([x for x in rest if x >= p])
    return smaller + [p] + larger


def main():
    print(len(quicksort(randoms(int(sys.argv[1]), 42))))


t = threading.Thread(target=main)
t.start()
t.join()
