{- patterns.orc: orchestrating real HTTP services that are slow, fail or
   flake, with the prelude's patterns (stdlib/services.orc).

   The services are a small server on 127.0.0.1 that the example
   `http_patterns` starts (examples/http_patterns.rs) before it runs this
   program with BASE bound to the server's address:

     cargo run --release --example http_patterns

   Each line prints what a pattern got and, for the patterns about time,
   when. -}

-- Runs f(), printing its first value and when it came.
def timed(label, f) =
  Rclock() >clock> f() >x> Println(label + ": " + x + " after " + clock.time() + " ms")

-- The first of three mirrors to answer, within 500 ms; the slow ones are
-- cancelled (the server sees them go).
def mirrors() =
  firstOf([HTTP(BASE + "/slow/400").get, HTTP(BASE + "/slow/100").get,
           HTTP(BASE + "/slow/2000").get], 500)

-- A hedged request: a second try 150 ms after the first, if the first has
-- not answered; the first answer wins (the server is slow only the first
-- time, 2 s).
def hedged() = hedge(HTTP(BASE + "/slow-once/hedge/2000").get, 150)

-- Retry with exponential backoff and jitter: the service fails twice with
-- 503 before it answers.
def retried() = retryBackoff(HTTP(BASE + "/flaky/retry/2").get, 5, 50)

-- Scatter-gather: the first two of four replicas to answer (one fails,
-- one is too slow), within 600 ms.
def gathered() =
  quorum([HTTP(BASE + "/slow/50").get, HTTP(BASE + "/status/500").get,
          HTTP(BASE + "/slow/300").get, HTTP(BASE + "/slow/5000").get], 2, 600)

-- A circuit breaker: after two failures in a row it fails fast, without
-- a request, for 10 s.
def broken() =
  val call = circuitBreaker(HTTP(BASE + "/status/500").get, 2, 10000) #
  (call() ; "failed") >a> (call() ; "failed") >b> (call() ; "refused fast") >c> [a, b, c]

-- A pipeline of processes: one command's output is the next one's input.
def pipeline() =
  Exec("printf", ["pear\napple\nfig\n"]) >listing>
  Exec("sort", [], listing.stdout) >sorted>
  lines(sorted.stdout)

timed("first mirror", mirrors) >>
timed("hedged", hedged) >>
retried() >x> Println("retried: " + x) >>
gathered() >x> Println("quorum: " + x) >>
broken() >x> Println("breaker: " + x) >>
pipeline() >x> Println("pipeline: " + x) >>
stop

{-
OUTPUT:
first mirror: Some("slept 100") after 100 ms
hedged: fast after 150 ms
retried: ok after 2
quorum: Some(["slept 50", "slept 300"])
breaker: ["failed", "failed", "refused fast"]
pipeline: ["apple", "fig", "pear"]
-}
