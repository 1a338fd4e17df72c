{- ObservationSubject sends every value put to each observer registered at
   the time. Uses the Channel and Semaphore sites. -}
val subject = ObservationSubject()
subject.observe() >o1>
subject.put(1) >>
subject.observe() >o2>
subject.put(2) >>
o1.get() >a> o1.get() >b> o2.get() >c> Println(a, " ", b, " ", c) >>
-- A closed observer is dropped at the next put.
o2.close() >> subject.put(3) >> o1.get() >d> Println(d, " ", o2.isClosed(), " ", o1.isClosed()) >>
-- close() closes every observer and waits until each has been drained.
subject.put(4) >>
( subject.close() >> Println("closed: ", subject.isClosed(), " ", o1.isClosed()) >> stop
| o1.stream() >x> Println("stream ", x) >> stop
; Println("stream ended") >> stop )
{-
OUTPUT:
1 2 2
3 true false
stream 4
closed: true true
stream ended
-}
