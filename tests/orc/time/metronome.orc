{- metronome under {| |}: the fourth tick wins and kills the rest. -}
{| metronome(100) >> Rtime() >t> Ift(t >= 300) >> t |}
{-
OUTPUT:
300
-}
