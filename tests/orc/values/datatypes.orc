{- Datatype constructors build values and take them apart in patterns. -}
type Shape = Circle(_) | Rect(_, _)
def area(Circle(r)) = 3 * r * r
def area(Rect(w, h)) = w * h
area(Circle(2)) | area(Rect(2, 5)) | Rect(1, 2)
{-
OUTPUT:PERMUTABLE
12
10
Rect(1, 2)
-}
