{- core.orc: numeric helpers and assertions.
   Part of the prelude, which every program sees unless run with
   --no-prelude. Operators, Ift/Iff, Let and Error are built-in sites. -}

-- The absolute value.
def abs(x) = if x <: 0 then -x else x

-- -1, 0 or 1 as x is negative, zero or positive.
def signum(x) =
  if x <: 0 then -1
  else if x :> 0 then 1
  else 0

-- On a tie min publishes its first argument and max its second, so that
-- min(x, y) and max(x, y) always publish two different arguments.
def min(x, y) = if y <: x then y else x
def max(x, y) = if x :> y then x else y

-- The square root; a negative argument halts silently.
def sqrt(n) = Ift(n >= 0) >> n ** 0.5

-- Signal if b is true; otherwise an error (not in the reference's prelude).
def assert(b) = if b then signal else Error("assertion failure")
