{- The Mandelbrot set on a __N__ x __N__ grid over [-2, 1] x [-1.5, 1.5],
   in exact decimal arithmetic (every product keeps all its digits), at
   most 10 steps a point; counts the points that stay within radius 2
   (python/mandelbrot.py). -}
val n = __N__
val step = 3.0 / n

def inside(cr, ci) =
  def go(zr, zi, k) =
    if k = 0 then true
    else if zr * zr + zi * zi :> 4 then false
    else go(zr * zr - zi * zi + cr, 2 * zr * zi + ci, k - 1)
  go(0, 0, 10)

def row(y) =
  val ci = y * step - 1.5
  def go(x, acc) =
    if x = n then acc
    else go(x + 1, if inside(x * step - 2.0, ci) then acc + 1 else acc)
  go(0, 0)

def rows(y, acc) = if y = n then acc else rows(y + 1, acc + row(y))
rows(0, 0)
