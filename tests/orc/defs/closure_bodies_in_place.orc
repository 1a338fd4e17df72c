{- A closure whose body is one or two operators on integers is computed
   where it is called (`if p(x) then ...`); every other case goes the
   usual way and must answer the same: results that overflow machine
   integers, division by zero, operands that are not integers, a
   captured variable still unbound, and a halted argument. -}
def keep(p, []) = []
def keep(p, x:xs) = if p(x) then x : keep(p, xs) else keep(p, xs)
val k = 3
Println(keep(lambda(x) = x % k /= 0, [1, 2, 3, 4, 5, 6, 7])) >>
Println(keep(lambda(x) = x <: k, [5, 1, 4, 2, 3])) >>
def big(x) = x * 4611686018427387904 + 1
def at(f, x) = val y = f(x) # y
Println(at(big, 4)) >>
def ratio(x) = 10 / x
(at(ratio, 0) ; Println("after division by zero")) >>
Println(at(lambda(x) = x + 1, 1.5)) >>
Println(at(lambda(s) = s + "!", "hi")) >>
val late = Rwait(10) >> 5
Println(at(lambda(x) = x + late, 1)) >>
Println(at(lambda(x) = x + 1, stop) ; "halted argument") >>
stop
{-
OUTPUT:
[1, 2, 4, 5, 7]
[1, 2]
18446744073709551617
Error: division by zero
after division by zero
2.5
hi!
6
halted argument
-}
