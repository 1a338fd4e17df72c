"""The Mandelbrot set in exact decimal arithmetic, as mandelbrot.orc."""
import sys
from decimal import Decimal, localcontext, MAX_PREC, MAX_EMAX, MIN_EMIN


def inside(cr, ci):
    zr, zi = Decimal(0), Decimal(0)
    for _ in range(10):
        if zr * zr + zi * zi > 4:
            return False
        zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
    return True


def main(n):
    step = Decimal("3.0") / n
    count = 0
    for y in range(n):
        ci = y * step - Decimal("1.5")
        for x in range(n):
            if inside(x * step - Decimal("2.0"), ci):
                count += 1
    print(count)


with localcontext() as ctx:
    # Exact: no rounding of sums and products.
    ctx.prec, ctx.Emax, ctx.Emin = MAX_PREC, MAX_EMAX, MIN_EMIN
    main(int(sys.argv[1]))
