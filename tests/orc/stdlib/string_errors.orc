{- Bad arguments to string methods, and unknown members. -}
  "abc".substring(2, 1)
| "abc".substring(5)
| "abc".charAt(3)
| "abc".indexOf(1)
| "abc".length(1)
| "abc".nosuch()
| "abc".split("(")
{-
OUTPUT:PERMUTABLE
Error: String.substring: begin 2 is after end 1
Error: String.substring: index 5 is out of range for a string of length 3
Error: String.charAt: index 3 is out of range for a string of length 3
Error: String.indexOf expects a string, but got Integer 1
Error: String.length expects 0 arguments, but was called with 1
Error: String has no member `nosuch`
Error: String.split: invalid regular expression "(": unclosed group
-}
