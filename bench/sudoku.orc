{- A sudoku solver searching over immutable lists with `each`: the board
   is a list of 81 numbers (0 for a blank); every candidate digit of the
   first blank is tried in parallel, and the number of solutions is
   counted. The puzzle has its first __N__ givens removed, so that it has
   many solutions and the search is wide (python/sudoku.py). -}
val puzzle = [
  5,3,0, 0,7,0, 0,0,0,
  6,0,0, 1,9,5, 0,0,0,
  0,9,8, 0,0,0, 0,6,0,
  8,0,0, 0,6,0, 0,0,3,
  4,0,0, 8,0,3, 0,0,1,
  7,0,0, 0,2,0, 0,0,6,
  0,6,0, 0,0,0, 2,8,0,
  0,0,0, 4,1,9, 0,0,5,
  0,0,0, 0,8,0, 0,7,9]

-- The board with its first k givens blanked.
def blank([], _) = []
def blank(0:xs, k) = 0 : blank(xs, k)
def blank(x:xs, 0) = x : xs
def blank(_:xs, k) = 0 : blank(xs, k - 1)

def replace(_:xs, 0, v) = v : xs
def replace(x:xs, i, v) = x : replace(xs, i - 1, v)

def firstBlank(b) =
  def go([], _) = -1
  def go(0:_, i) = i
  def go(_:xs, i) = go(xs, i + 1)
  go(b, 0)

-- Does cell j share a row, a column or a box with cell i?
def peer(i, j) =
  val r = i / 9
  val c = i % 9
  val rj = j / 9
  val cj = j % 9
  r = rj || c = cj || (r / 3 = rj / 3 && c / 3 = cj / 3)

-- The digits already used by the peers of cell i.
def used(b, i) =
  def go([], _) = []
  def go(x:xs, j) = if x /= 0 && peer(i, j) then x : go(xs, j + 1) else go(xs, j + 1)
  go(b, 0)

def candidates(b, i) =
  val taken = used(b, i)
  filter(lambda(d) = ~member(d, taken), [1, 2, 3, 4, 5, 6, 7, 8, 9])

def solve(b) =
  val i = firstBlank(b)
  if i = -1 then b
  else each(candidates(b, i)) >d> solve(replace(b, i, d))

length(collect(lambda() = solve(blank(puzzle, __N__))))
