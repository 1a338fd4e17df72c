"""In-place quicksort of N pseudo-random numbers, as quicksort_arrays.orc."""
import sys

sys.setrecursionlimit(100000)


def main(n):
    a = [0] * n
    seed = 42
    for i in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        a[i] = seed % 1000000

    def partition(lo, hi):
        pivot = a[hi]
        i = lo
        for j in range(lo, hi):
            if a[j] < pivot:
                a[i], a[j] = a[j], a[i]
                i += 1
        a[i], a[hi] = a[hi], a[i]
        return i

    def sort(lo, hi):
        if lo < hi:
            p = partition(lo, hi)
            sort(lo, p - 1)
            sort(p + 1, hi)

    sort(0, n - 1)
    print("true" if all(a[i] <= a[i + 1] for i in range(n - 1)) else "false")


main(int(sys.argv[1]))
