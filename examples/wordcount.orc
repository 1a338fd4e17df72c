{- wordcount.orc: counting words with map-reduce.

   map:     each document becomes a list of (word, 1) pairs; the mappers
            run in parallel, one per document (the prelude's map calls f
            on every element at once).
   shuffle: all pairs, sorted by word, grouped into (word, [1, 1, ...]).
   reduce:  each group is summed, again all in parallel.

   Nothing here waits for a clock; the parallelism is in map, and the
   joins are in the data: a list is complete when all its elements are.

   Run it:  cargo run --release -- run examples/wordcount.orc -}

val documents = [
  "The quick brown fox jumps over the lazy dog",
  "The dog sleeps",
  "A fox is quick and a dog is lazy",
  "the end"
]

def mapper(document) = map(lambda(w) = (w.toLowerCase(), 1), words(document))

def byWord((a, _), (b, _)) = a <: b
def shuffle(pairs) = group(sortBy(byWord, pairs))

def reducer((word, counts)) = (word, sum(counts))

def wordCount(docs) = map(reducer, shuffle(concat(map(mapper, docs))))

-- The most frequent first; sortBy is stable, so ties stay alphabetical.
def moreFrequent((_, m), (_, n)) = m :> n
val counts = sortBy(moreFrequent, wordCount(documents))

Println(length(counts) + " distinct words, " + sum(map(snd, counts)) + " in all") >>
Println("the words seen more than once:") >>
seqMap(lambda((word, n)) = Println("  " + word + ": " + n), filter(lambda((_, n)) = n :> 1, counts)) >>
stop

{-
OUTPUT:
13 distinct words, 23 in all
the words seen more than once:
  the: 4
  dog: 3
  a: 2
  fox: 2
  is: 2
  lazy: 2
  quick: 2
-}
