{- Linearization is C3 (with `A with B` listing B first): each class comes
   before its ancestors, and the order of every class's own linearization
   is kept. -}
class Top { val path = ["Top"] }
class Left extends Top { val path = "Left" : super.path }
class Right extends Top { val path = "Right" : super.path }
class Bottom extends Left with Right { val path = "Bottom" : super.path }
class Other extends Right with Left { val path = "Other" : super.path }

Println((new Bottom).path) >>
Println((new Other).path) >>
Println((new Left with Bottom).path) >>
stop
{-
OUTPUT:
["Bottom", "Right", "Left", "Top"]
["Other", "Left", "Right", "Top"]
["Bottom", "Right", "Left", "Top"]
-}
