{- Naive doubly recursive Fibonacci of __N__: calls, conditionals and
   integer arithmetic (python/fib_naive.py). -}
def fib(n) = if n <: 2 then n else fib(n - 1) + fib(n - 2)
fib(__N__)
