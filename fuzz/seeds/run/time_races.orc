-- Races: timeouts of values that come, come late, never come or fail.
val c = Channel()
timeout(c.get(), 30)
| timeout(Rwait(5) >> 1, 10)
| timeout(stop, 2)
| {| (Rwait(1) >> 2, Rwait(40) >> 3) | Rwait(20) >> "t" |}
| Rwait(3) >> 0 >z> {| 10 / z | Rwait(4) >> "e" |}
| timeout(Rwait(50), Rwait(5) >> 60)
| {| timeout(Rwait(90), 80) | Rwait(7) >> "cut" |}
| Rwait(15) >> c.put(4) >> stop
