{- hanoi.orc: the towers of Hanoi, solved and then checked by playing the
   moves.

   To move n disks from one peg to another, move the n - 1 above them out
   of the way, move the largest, and move the n - 1 back on top of it.
   The two smaller problems are independent, and in Orc the arguments of
   a call are computed in parallel, so both halves of the list of moves
   are built at the same time.

   The moves are then played on three pegs (lists of disks, smallest
   first), refusing any move from an empty peg or onto a smaller disk.

   Run it:  cargo run --release -- run examples/hanoi.orc -}

-- The moves (from, to) that bring n disks from peg `from` to peg `to`.
def hanoi(0, _, _, _) = []
def hanoi(n, from, to, via) =
  append(hanoi(n - 1, from, via, to), (from, to) : hanoi(n - 1, via, to, from))

-- The pegs are a list of three lists; `set` replaces the one at i.
def set(x : xs, 0, y) = y : xs
def set(x : xs, i, y) = x : set(xs, i - 1, y)

-- Whether disk d may go on top of a peg. (Not `empty(peg) || d <: head(peg)`:
-- operators are sites, they wait for both arguments, and head([]) halts.)
def fits(d, []) = true
def fits(d, top : _) = d <: top

-- The pegs after one move, or an error for an illegal move.
def play(pegs, (from, to)) =
  index(pegs, from) >source> index(pegs, to) >target>
  ( if empty(source) then Error("no disk on peg " + from)
    else if fits(head(source), target) then
      set(set(pegs, from, tail(source)), to, head(source) : target)
    else Error("disk " + head(source) + " onto disk " + head(target)) )

val moves = hanoi(3, 0, 2, 1)

Println("3 disks, " + length(moves) + " moves: " + moves) >>
Println("pegs after the moves: " + foldl(play, [[1, 2, 3], [], []], moves)) >>
Println("10 disks: " + length(hanoi(10, 0, 2, 1)) + " moves, ending with " +
        foldl(play, [range(1, 11), [], []], hanoi(10, 0, 2, 1))) >>
stop

{-
OUTPUT:
3 disks, 7 moves: [(0, 2), (0, 1), (2, 1), (0, 2), (1, 0), (1, 2), (0, 2)]
pegs after the moves: [[], [], [1, 2, 3]]
10 disks: 1023 moves, ending with [[], [], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]
-}
