//! Resource limits as a host sets them in `RunOptions`: memory, steps,
//! output, and time, each holding wherever the program is (a busy loop, a
//! loop of expensive built-ins, simulated time), with the outcome that
//! names it. This binary installs the accounting allocator, as a host that
//! wants memory limits does.

use orc::{Engine, Events, KillSwitch, RunOptions, RunOutcome, RuntimeError, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: orc::MemoryAccounting = orc::MemoryAccounting;

/// Everything a run reported.
#[derive(Clone, Default)]
struct Log {
    out: Arc<Mutex<String>>,
    errors: Arc<Mutex<Vec<String>>>,
}

impl Log {
    fn out(&self) -> String {
        self.out.lock().unwrap().clone()
    }
    fn errors(&self) -> Vec<String> {
        self.errors.lock().unwrap().clone()
    }
}

impl Events for Log {
    fn publish(&mut self, value: &Value) {
        let mut out = self.out.lock().unwrap();
        out.push_str(&value.to_string());
        out.push('\n');
    }
    fn print(&mut self, text: &str) {
        self.out.lock().unwrap().push_str(text);
    }
    fn error(&mut self, error: &RuntimeError) {
        self.errors.lock().unwrap().push(error.message.clone());
    }
}

struct Ended {
    outcome: RunOutcome,
    log: Log,
    took: Duration,
    peak: u64,
    live_tokens: usize,
}

fn run(src: &str, options: RunOptions) -> Ended {
    let engine = Engine::new();
    let program = engine.compile("limits", src).unwrap();
    let log = Log::default();
    let mut run = engine.start(&program, Box::new(log.clone()), options);
    let started = Instant::now();
    let outcome = run.run_blocking();
    Ended {
        outcome,
        log,
        took: started.elapsed(),
        peak: run.peak_memory(),
        live_tokens: run.live_tokens(),
    }
}

const MIB: u64 = 1 << 20;

#[test]
fn runaway_recursion_stops_at_the_memory_limit() {
    let ended = run(
        "def f(x) = 1 + f(x)  f(1)",
        RunOptions::new().memory_limit(32 * MIB),
    );
    assert_eq!(ended.outcome, RunOutcome::MemoryLimit);
    // Within about a megabyte of the limit (the scheduler looks after
    // every megabyte allocated).
    assert!(ended.peak > 30 * MIB, "peak {}", ended.peak);
    assert!(ended.peak < 34 * MIB, "peak {}", ended.peak);
    assert_eq!(ended.live_tokens, 0);
}

#[test]
fn a_program_under_its_memory_limit_runs_to_the_end() {
    let ended = run(
        "def sum(0) = 0  def sum(n) = n + sum(n - 1)  sum(20000)",
        RunOptions::new().memory_limit(64 * MIB),
    );
    assert_eq!(ended.outcome, RunOutcome::Halted);
    assert_eq!(ended.log.out(), "200010000\n");
    assert!(ended.peak > 0, "the allocator counts");
}

#[test]
fn recursion_keeps_only_what_its_continuation_reads() {
    // Each level of `p : sieve(filter(..., xs))` waits for the levels
    // below it with only `p` left to read: its record drops the lists it
    // filtered (4 MiB at its peak). Kept, they add up to about 100 MiB
    // for the 1,754 primes below 15,000.
    let ended = run(
        "def sieve([]) = []
         def sieve(p:xs) = p : sieve(filter(lambda(x) = x % p /= 0, xs))
         length(sieve(range(2, 15000)))",
        RunOptions::new().memory_limit(256 * MIB),
    );
    assert_eq!(ended.outcome, RunOutcome::Halted);
    assert_eq!(ended.log.out(), "1754\n");
    assert!(ended.peak < 12 * MIB, "peak {} MiB", ended.peak / MIB);
}

#[test]
fn an_accumulating_argument_runs_in_constant_memory() {
    // `acc + get(n)` is an argument, so a pruning under each call: the
    // loop waits for nothing but is pure, and its publication needs the
    // accumulator, so fairness never makes those prunings tokens. When it
    // did, every level kept one (about 500 bytes each: 250 MiB here).
    let ended = run(
        "def get(n) = n % 7
         def loop(0, acc) = acc
         def loop(n, acc) = loop(n - 1, acc + get(n))
         loop(500000, 0)",
        RunOptions::new().memory_limit(256 * MIB),
    );
    assert_eq!(ended.outcome, RunOutcome::Halted);
    assert_eq!(ended.log.out(), "1499998\n");
    assert!(ended.peak < 8 * MIB, "peak {} MiB", ended.peak / MIB);
}

#[test]
fn a_loop_reading_an_array_keeps_its_accumulator_a_value() {
    // `total`'s left side reads the array, so it is not pure and fairness
    // may give it a token after a while. That token ran before the right
    // side `acc + a(i)?` could publish, so the next level found `acc` a
    // future, waited, and was made real too, and so on: a chain of
    // 300,000 tokens and futures (233 MiB). The right side now goes first.
    let ended = run(
        "val n = 300000
         val a = Array(n)
         def fill(i) = if i <: n then a(i) := i >> fill(i + 1) else signal
         def total(i, acc) = if i <: n then total(i + 1, acc + a(i)?) else acc
         fill(0) >> total(0, 0)",
        RunOptions::new().memory_limit(512 * MIB),
    );
    assert_eq!(ended.outcome, RunOutcome::Halted);
    assert_eq!(ended.log.out(), "44999850000\n");
    assert!(ended.peak < 24 * MIB, "peak {} MiB", ended.peak / MIB);
}

#[test]
fn a_big_allocation_is_refused_before_it_is_made() {
    let ended = run(
        "Array(100000000) >> \"made\" ; \"after\"",
        RunOptions::new().memory_limit(16 * MIB),
    );
    assert_eq!(ended.outcome, RunOutcome::MemoryLimit);
    assert!(ended.peak < 16 * MIB, "peak {}", ended.peak);
    // Nothing published after the limit was hit (not even the otherwise
    // branch of the failed call).
    assert_eq!(ended.log.out(), "");
    let errors = ended.log.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("memory limit"), "{errors:?}");
}

#[test]
fn nothing_is_published_once_a_call_has_passed_the_memory_limit() {
    // A host site that answers with 24 MiB at once: no site is called
    // after it, so only the publication itself can notice the limit.
    let mut engine = Engine::new();
    engine.register_fn("Big", |_| Ok(Value::from("x".repeat(24 << 20))));
    let program = engine.compile("limits", "Big()").unwrap();
    let log = Log::default();
    let mut run = engine.start(
        &program,
        Box::new(log.clone()),
        RunOptions::new().memory_limit(16 * MIB),
    );
    assert_eq!(run.run_blocking(), RunOutcome::MemoryLimit);
    assert_eq!(log.out(), "", "published past the limit");
}

#[test]
fn a_string_that_doubles_stops_at_the_memory_limit() {
    let ended = run(
        "def grow(s) = grow(s + s)  grow(\"abcdefgh\")",
        RunOptions::new().memory_limit(16 * MIB),
    );
    assert_eq!(ended.outcome, RunOutcome::MemoryLimit);
    assert!(ended.peak < 17 * MIB, "peak {}", ended.peak);
}

#[test]
fn a_list_that_doubles_stops_at_the_memory_limit() {
    // `append` copies its first list natively, and `filter` runs an
    // in-place predicate over a list natively: each looks at the limits
    // every few thousand elements. Without that, the last doubling ran to
    // its end past the limit (a copy of a list as big as all before it:
    // 33 MiB here).
    for program in [
        "def grow(xs) = grow(append(xs, xs))  grow([1])",
        "def grow(xs) = grow(append(filter(lambda(x) = x >= 0, xs), xs))  grow([1])",
    ] {
        let ended = run(program, RunOptions::new().memory_limit(24 * MIB));
        assert_eq!(ended.outcome, RunOutcome::MemoryLimit, "{program}");
        assert!(ended.peak < 27 * MIB, "{program}: peak {}", ended.peak);
    }
}

#[test]
fn memory_held_by_many_tokens_counts() {
    // A million waiting tokens, each holding its own frame.
    let ended = run(
        "upto(1000000) >i> Rwait(1000) >> i",
        RunOptions::new().simulated_time().memory_limit(8 * MIB),
    );
    assert_eq!(ended.outcome, RunOutcome::MemoryLimit);
}

#[test]
fn the_step_limit_stops_at_the_same_place_every_time() {
    let src = "def count(i) = Println(i) >> count(i + 1)  count(0)";
    let first = run(src, RunOptions::new().max_steps(5_000));
    let second = run(src, RunOptions::new().max_steps(5_000));
    let more = run(src, RunOptions::new().max_steps(50_000));
    assert_eq!(first.outcome, RunOutcome::StepLimit);
    assert_eq!(more.outcome, RunOutcome::StepLimit);
    assert_eq!(first.log.out(), second.log.out());
    let printed = |e: &Ended| e.log.out().lines().count();
    assert!(printed(&first) > 100, "{}", printed(&first));
    assert!(printed(&first) < 5_000);
    assert!(printed(&more) > 5 * printed(&first));
    assert_eq!(first.live_tokens, 0);
}

#[test]
fn a_program_within_its_step_limit_runs_to_the_end() {
    let ended = run(
        "def count(0) = 0  def count(n) = count(n - 1)  count(100)",
        RunOptions::new().max_steps(10_000),
    );
    assert_eq!(ended.outcome, RunOutcome::Halted);
    assert_eq!(ended.log.out(), "0\n");
}

#[test]
fn the_output_limit_stops_before_the_text_that_passes_it() {
    let ended = run(
        "def say(i) = Println(\"line \" + i) >> say(i + 1)  say(0)",
        RunOptions::new().max_output(100),
    );
    assert_eq!(ended.outcome, RunOutcome::OutputLimit);
    let out = ended.log.out();
    assert!(out.len() <= 100, "{}", out.len());
    assert!(out.len() > 80, "{}", out.len());
    assert!(out.starts_with("line 0\nline 1\n"));
}

#[test]
fn the_time_limit_holds_in_a_loop_of_big_built_ins() {
    let ended = run(
        "def loop() = Array(100000) >> loop()  loop()",
        RunOptions::new().time_limit(Duration::from_millis(200)),
    );
    assert_eq!(ended.outcome, RunOutcome::TimeLimit);
    assert!(ended.took < Duration::from_millis(1200), "{:?}", ended.took);
    assert_eq!(ended.live_tokens, 0);
}

#[test]
fn under_simulated_time_the_time_limit_bounds_a_busy_program() {
    let ended = run(
        "def spin(n) = spin(n + 1)  spin(0)",
        RunOptions::new()
            .simulated_time()
            .time_limit(Duration::from_millis(200)),
    );
    assert_eq!(ended.outcome, RunOutcome::TimeLimit);
    assert!(ended.took < Duration::from_millis(1200), "{:?}", ended.took);
}

#[test]
fn under_simulated_time_the_time_limit_is_still_on_the_programs_clock() {
    // Ten simulated seconds of waiting take no wall-clock time at all.
    let ended = run(
        "Rwait(10000) >> \"late\" | Rwait(100) >> \"early\"",
        RunOptions::new()
            .simulated_time()
            .time_limit(Duration::from_secs(5)),
    );
    assert_eq!(ended.outcome, RunOutcome::TimeLimit);
    assert_eq!(ended.log.out(), "\"early\"\n");
}

#[test]
fn a_kill_switch_stops_a_loop_of_big_built_ins() {
    let engine = Engine::new();
    let program = engine
        .compile("p", "def loop() = Array(200000) >> loop()  loop()")
        .unwrap();
    let kill = KillSwitch::new();
    let mut run = engine.start(
        &program,
        Box::new(Log::default()),
        RunOptions::new().kill_switch(kill.clone()),
    );
    let killer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        let thrown = Instant::now();
        kill.kill();
        thrown
    });
    assert_eq!(run.run_blocking(), RunOutcome::Killed);
    let thrown = killer.join().unwrap();
    assert!(
        thrown.elapsed() < Duration::from_millis(500),
        "{:?}",
        thrown.elapsed()
    );
}

#[test]
fn pruning_stops_a_loop_of_big_built_ins_promptly() {
    // The timer side wins after 100 ms; the loop's turn must not hold it
    // up (a turn ends once it has allocated a megabyte).
    let ended = run(
        "def churn() = Array(100000) >> churn()  {| churn() | Rwait(100) >> \"timer\" |}",
        RunOptions::new(),
    );
    assert_eq!(ended.outcome, RunOutcome::Halted);
    assert_eq!(ended.log.out(), "\"timer\"\n");
    assert!(ended.took < Duration::from_millis(400), "{:?}", ended.took);
}

#[test]
fn turns_cut_short_keep_light_calls_light() {
    // A look (every megabyte allocated, every time slice) may end a
    // token's turn early. Cutting a turn with light frames made each
    // later light call of the token a token of its own, all held to the
    // end: a run of 200,000 calls went over 100 live tokens.
    let ended = run(
        "def get(Some(x)) = x  def get(None()) = 0 \
         def loop(0, acc) = acc  def loop(n, acc) = loop(n - 1, acc + get(Some(n))) \
         loop(200000, 0)",
        RunOptions::new().simulated_time().max_tokens(100),
    );
    assert_eq!(ended.outcome, RunOutcome::Halted);
    assert_eq!(ended.log.out(), "20000100000\n");
}
