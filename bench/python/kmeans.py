"""k-means with lock-protected accumulator objects, as kmeans.orc."""
import sys
import threading


class Accumulator:
    def __init__(self):
        self.sx = 0
        self.sy = 0
        self.count = 0
        self.lock = threading.Lock()

    def add(self, x, y):
        with self.lock:
            self.sx += x
            self.sy += y
            self.count += 1

    def centre(self):
        if self.count == 0:
            return (0, 0)
        return (self.sx // self.count, self.sy // self.count)


def points(k, seed):
    out = []
    for _ in range(k):
        a = (seed * 1103515245 + 12345) % 2147483648
        b = (a * 1103515245 + 12345) % 2147483648
        out.append((a % 10000, b % 10000))
        seed = b
    return out


def distance(p, c):
    return (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2


def nearest(p, centres):
    best, best_d = 0, distance(p, centres[0])
    for i, c in enumerate(centres):
        d = distance(p, c)
        if d < best_d:
            best, best_d = i, d
    return best


def one_round(ps, centres):
    accs = [Accumulator() for _ in centres]
    for p in ps:
        accs[nearest(p, centres)].add(*p)
    return [acc.centre() for acc in accs]


ps = points(int(sys.argv[1]), 7)
centres = ps[:4]
for _ in range(5):
    centres = one_round(ps, centres)
print("[" + ", ".join(f"({x}, {y})" for x, y in centres) + "]")
