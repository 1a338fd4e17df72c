{- collect gathers every value f() publishes, in publication order, and
   publishes the list once f() has halted. Uses the Channel site. -}
collect(lambda() = 1 | Rwait(20) >> 3 | Rwait(10) >> 2) >l> Println(l, " at ", Rtime()) >>
collect(lambda() = stop) >l> Println("silent: ", l) >>
collect(lambda() = signals(3)) >l> Println(l) >>
collect(lambda() = collect(lambda() = each([1, 2]))) >l> Println(length(l)) >>
stop
{-
OUTPUT:
[1, 2, 3] at 20
silent: []
[signal, signal, signal]
1
-}
