"""Queue-based Bellman-Ford shortest paths, as sssp_channel.orc."""
import sys
from collections import deque


def main(n):
    def edges(u):
        return [((u + 1) % n, u % 7 + 1), ((u * 3 + 1) % n, u % 13 + 5),
                ((u * 7 + 2) % n, u % 5 + 3)]

    dist = [-1] * n
    queued = [False] * n
    queue = deque([0])
    dist[0] = 0
    while queue:
        u = queue.popleft()
        queued[u] = False
        du = dist[u]
        for v, w in edges(u):
            d = du + w
            if dist[v] == -1 or d < dist[v]:
                dist[v] = d
                if not queued[v]:
                    queued[v] = True
                    queue.append(v)
    print(sum(dist))


main(int(sys.argv[1]))
