{- core.orc: numeric helpers and assertions.
   Part of the prelude: loaded before every program. -}

def abs(x) = if x <: 0 then 0 - x else x
def signum(x) = if x <: 0 then -1 else if x :> 0 then 1 else 0
def min(x, y) = if y <: x then y else x
def max(x, y) = if x :> y then x else y
def assert(b) = if b then signal else Error("assertion failure")
