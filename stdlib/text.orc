{- text.orc: splitting strings into lines, words and characters, and
   joining them back. Part of the prelude, which every program sees unless
   run with --no-prelude. Splitting uses the string method split(regex,
   limit), which follows Java's String.split and returns an Array. -}

-- The lines of a text: pieces ended by "\n", "\r\n", "\r" or the end of
-- the text, without their line ends. A line end at the very end starts no
-- further line: lines("a\nb\n") = ["a", "b"], lines("") = [].
def lines(text) =
  -- With limit -1 split keeps every piece, so the last one is what
  -- follows the last line end: a line only if it is not empty.
  def unfinished([]) = []
  def unfinished([""]) = []
  def unfinished(l:ls) = l : unfinished(ls)
  unfinished(arrayToList(text.split("\r\n|\n|\r", -1)))

-- Each line followed by "\n", concatenated.
def unlines(ls) = foldr(lambda(l, rest) = l + "\n" + rest, "", ls)

-- The maximal runs of non-whitespace characters (whitespace as in Java:
-- space, tab, line feed, vertical tab, form feed, carriage return).
def words(text) =
  filter(lambda(w) = w /= "", arrayToList(text.split("[ \\t\\n\\x0B\\f\\r]+", -1)))

-- The words joined with single spaces.
def unwords([]) = ""
def unwords([w]) = w
def unwords(w:ws) = w + " " + unwords(ws)

-- The characters of a string, as strings of length 1.
def characters("") = []
def characters(s) = arrayToList(s.split(""))
