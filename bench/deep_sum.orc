{- Non-tail recursion __N__ deep: each level waits for the one below. -}
def sum(0) = 0
def sum(n) = n + sum(n - 1)
sum(__N__)
