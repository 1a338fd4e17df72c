"""A sudoku solver counting the solutions by backtracking, as sudoku.orc."""
import sys

PUZZLE = [
    5, 3, 0, 0, 7, 0, 0, 0, 0,
    6, 0, 0, 1, 9, 5, 0, 0, 0,
    0, 9, 8, 0, 0, 0, 0, 6, 0,
    8, 0, 0, 0, 6, 0, 0, 0, 3,
    4, 0, 0, 8, 0, 3, 0, 0, 1,
    7, 0, 0, 0, 2, 0, 0, 0, 6,
    0, 6, 0, 0, 0, 0, 2, 8, 0,
    0, 0, 0, 4, 1, 9, 0, 0, 5,
    0, 0, 0, 0, 8, 0, 0, 7, 9,
]


def blank(board, k):
    out = []
    for x in board:
        if x != 0 and k > 0:
            out.append(0)
            k -= 1
        else:
            out.append(x)
    return out


def peer(i, j):
    r, c, rj, cj = i // 9, i % 9, j // 9, j % 9
    return r == rj or c == cj or (r // 3 == rj // 3 and c // 3 == cj // 3)


def candidates(board, i):
    taken = [x for j, x in enumerate(board) if x != 0 and peer(i, j)]
    return [d for d in range(1, 10) if d not in taken]


def solve(board):
    if 0 not in board:
        yield board
        return
    i = board.index(0)
    for d in candidates(board, i):
        yield from solve(board[:i] + [d] + board[i + 1:])


print(sum(1 for _ in solve(blank(PUZZLE, int(sys.argv[1])))))
