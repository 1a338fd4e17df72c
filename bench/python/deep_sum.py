"""Non-tail recursion N deep, as deep_sum.orc (recursion limit raised, big stack)."""
import sys
import threading

sys.setrecursionlimit(10**7)
threading.stack_size(1 << 30)


def total(n):
    return 0 if n == 0 else n + total(n - 1)


def main():
    print(total(int(sys.argv[1])))


t = threading.Thread(target=main)
t.start()
t.join()
