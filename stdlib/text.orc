{- text.orc: splitting strings into lines, words and characters, and
   joining them back. Part of the prelude, which every program sees unless
   run with --no-prelude. Uses the string methods length() and
   substring(from, until) (indices count characters). -}

-- The lines of a text: pieces ended by "\n", "\r\n", "\r" or the end of
-- the text, without their line ends. A line end at the very end starts no
-- further line: lines("a\nb\n") = ["a", "b"], lines("") = [].
def lines(text) =
  val n = text.length()
  def char(i) = text.substring(i, i + 1)
  -- `start` is where the current line began; `acc` the lines so far,
  -- latest first.
  def scan(start, i, acc) =
    if i >= n then
      reverse(if start <: n then text.substring(start, n) : acc else acc)
    else char(i) >c>
      ( if c = "\n" then scan(i + 1, i + 1, text.substring(start, i) : acc)
        else if c = "\r" then
          ( if i + 1 <: n then
              ( if char(i + 1) = "\n" then scan(i + 2, i + 2, text.substring(start, i) : acc)
                else scan(i + 1, i + 1, text.substring(start, i) : acc) )
            else scan(i + 1, i + 1, text.substring(start, i) : acc) )
        else scan(start, i + 1, acc) )
  scan(0, 0, [])

-- Each line followed by "\n", concatenated.
def unlines(ls) = foldr(lambda(l, rest) = l + "\n" + rest, "", ls)

-- The maximal runs of non-whitespace characters (whitespace: space, tab,
-- line feed, carriage return, form feed, vertical tab).
def words(text) =
  val n = text.length()
  def space(c) = member(c, [" ", "\t", "\n", "\r", "\f", "\u000B"])
  -- `start` is where the current word began, or -1 between words.
  def scan(start, i, acc) =
    if i >= n then
      reverse(if start >= 0 then text.substring(start, n) : acc else acc)
    else if space(text.substring(i, i + 1)) then
      ( if start >= 0 then scan(-1, i + 1, text.substring(start, i) : acc)
        else scan(-1, i + 1, acc) )
    else scan(if start >= 0 then start else i, i + 1, acc)
  scan(-1, 0, [])

-- The words joined with single spaces.
def unwords([]) = ""
def unwords([w]) = w
def unwords(w:ws) = w + " " + unwords(ws)

-- The characters of a string, as strings of length 1.
def characters(s) =
  def down(i, acc) = if i <: 0 then acc else down(i - 1, s.substring(i, i + 1) : acc)
  down(s.length() - 1, [])
