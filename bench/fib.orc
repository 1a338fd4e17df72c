{- Naive doubly recursive Fibonacci: calls, conditionals, arithmetic. -}
def fib(n) = if n <: 2 then n else fib(n - 1) + fib(n - 2)
fib(25)
{-
OUTPUT:
75025
-}
