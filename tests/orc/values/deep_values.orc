{- Values nest to any depth: building and dropping values nested hundreds
   of thousands deep, printing values nested 30,000 deep in full,
   comparing deep values, and writing and reading them back (as Orc
   literals and as JSON) recurse on no stack. (Each used to overflow the
   stack and abort the process.) -}

def nest(0, acc) = acc
def nest(n, acc) = nest(n - 1, [acc])

-- Each kind of value that holds values, nested in itself.
def tuples(0, acc) = acc
def tuples(n, acc) = tuples(n - 1, (n, acc))
def records(0, acc) = acc
def records(n, acc) = records(n - 1, {. inner = acc .})
def datas(0, acc) = acc
def datas(n, acc) = datas(n - 1, Some(acc))
def closures(0, acc) = acc
def closures(n, acc) = closures(n - 1, lambda() = acc)
def refs(0, acc) = acc
def refs(n, acc) = refs(n - 1, Ref(acc))
def arrays(0, acc) = acc
def arrays(n, acc) = val a = Array(1)  a(0) := acc >> arrays(n - 1, a)
def channels(0, acc) = acc
def channels(n, acc) = val c = Channel()  c.put(acc) >> channels(n - 1, c)
def objects(0, acc) = acc
def objects(n, acc) = objects(n - 1, new { val inner = acc })
def mixed(0, acc) = acc
def mixed(n, acc) = mixed(n - 1, [(n, {. a = acc .})])

-- Printed in full: the text reads back as the same value.
val list = nest(30000, [0])
val text = Write(list)
val value = mixed(30000, [])
val valueText = "" + value
val json = WriteJSON(nest(30000, [1]))

-- Each is dropped once built.
nest(300000, []) >> "list dropped"
| tuples(100000, 0) >> "tuples dropped"
| records(100000, 0) >> "records dropped"
| datas(100000, 0) >> "datatype values dropped"
| closures(100000, 0) >> "closures dropped"
| refs(100000, 0) >> "refs dropped"
| arrays(100000, 0) >> "arrays dropped"
| channels(100000, 0) >> "channels dropped"
| objects(30000, 0) >> "objects dropped"
| mixed(100000, 0) >> "mixed dropped"
| text.length()
| text.substring(0, 4) + " ... " + text.substring(60000, 60003)
| Read(text) = list
| valueText.length()
| Read(valueText) = value
| json.length()
| ReadJSON(json) = nest(30000, [1])
| Write(datas(30000, 0)).length()
| Write(objects(30000, 0)).length()
| Write(refs(30000, 0)).length()
| Write(arrays(30000, 0)).length()
| Write(channels(30000, 0)).length()
| nest(100000, []) = nest(100000, [])
| nest(100000, []) = nest(100000, [[]])
| nest(100000, [1]) /= nest(100000, [2])
| mixed(30000, []) = mixed(30000, [])
{-
OUTPUT:PERMUTABLE
"list dropped"
"tuples dropped"
"records dropped"
"datatype values dropped"
"closures dropped"
"refs dropped"
"arrays dropped"
"channels dropped"
"objects dropped"
"mixed dropped"
60003
"[[[[ ... ]]]"
true
618896
true
60003
true
180001
360001
150001
300001
360001
true
false
true
true
-}
