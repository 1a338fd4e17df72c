//! The embedding API that the `orc` command and REPL are built on:
//! declarations that persist in an engine, and stopping a run from outside
//! with a kill switch.

use orc::{DeclareError, Engine, Events, KillSwitch, RunOptions, RunOutcome, RuntimeError, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Everything a run reported, as text.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

impl Events for Log {
    fn publish(&mut self, value: &Value) {
        self.0.lock().unwrap().push(format!("{value}"));
    }
    fn print(&mut self, text: &str) {
        self.0
            .lock()
            .unwrap()
            .push(format!("print {}", text.trim_end()));
    }
    fn error(&mut self, error: &RuntimeError) {
        self.0
            .lock()
            .unwrap()
            .push(format!("Error: {}", error.message));
    }
}

fn sim() -> RunOptions {
    RunOptions {
        sim_time: true,
        ..RunOptions::default()
    }
}

/// Declares `text` in `engine` and runs its expression, if any.
fn enter(engine: &mut Engine, text: &str) -> Result<Vec<String>, DeclareError> {
    let input = engine
        .load_input("<test>", text)
        .map_err(DeclareError::Compile)?;
    let log = Log::default();
    let declared = engine.declare(input, Box::new(log.clone()), sim())?;
    if let Some(body) = declared.body {
        let mut run = engine.start(&body, Box::new(log.clone()), sim());
        assert_eq!(run.run_blocking(), RunOutcome::Halted);
    }
    Ok(log.lines())
}

#[test]
fn declarations_persist_for_later_inputs() {
    let mut engine = Engine::new();
    assert_eq!(
        enter(&mut engine, "def double(x) = x * 2").unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        enter(&mut engine, "val (a, b) = (20, 1)").unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(enter(&mut engine, "double(a + b)").unwrap(), ["42"]);
    // Declarations and an expression in one input.
    assert_eq!(
        enter(
            &mut engine,
            "type T = Box(_)  val k = Box(double(3))  k >Box(n)> n"
        )
        .unwrap(),
        ["6"]
    );
    assert_eq!(enter(&mut engine, "k").unwrap(), ["Box(6)"]);
    // Programs compiled later see the names too.
    let program = engine.compile("p", "double(b)").unwrap();
    let log = Log::default();
    engine
        .start(&program, Box::new(log.clone()), sim())
        .run_blocking();
    assert_eq!(log.lines(), ["2"]);
}

#[test]
fn a_declaration_can_be_redefined() {
    let mut engine = Engine::new();
    enter(&mut engine, "val x = 1").unwrap();
    enter(&mut engine, "val x = x + 1").unwrap();
    assert_eq!(enter(&mut engine, "x").unwrap(), ["2"]);
}

#[test]
fn an_input_that_does_not_compile_binds_nothing() {
    let mut engine = Engine::new();
    let err = enter(&mut engine, "val y = 1  nosuch(y)").unwrap_err();
    assert!(
        matches!(err, DeclareError::Compile(ds) if ds.diagnostics[0].message.contains("nosuch"))
    );
    assert!(!engine.globals().contains_key("y"));
}

#[test]
fn a_value_that_never_comes_binds_nothing() {
    let mut engine = Engine::new();
    let err = enter(&mut engine, "val z = stop").unwrap_err();
    assert!(matches!(err, DeclareError::NoValue(RunOutcome::Halted)));
    assert!(!engine.globals().contains_key("z"));
    // Errors and output of the declarations go to the host's events.
    let input = engine
        .load_input("<t>", "val q = Println(\"computing\") >> 1 / 0")
        .unwrap();
    let log = Log::default();
    let err = engine.declare(input, Box::new(log.clone()), sim());
    assert!(matches!(
        err,
        Err(DeclareError::NoValue(RunOutcome::Halted))
    ));
    assert_eq!(log.lines(), ["print computing", "Error: division by zero"]);
}

#[test]
fn a_kill_switch_stops_a_run_from_another_thread() {
    let engine = Engine::new();
    let program = engine.compile("p", "metronome(10) >> \"tick\"").unwrap();
    let kill = KillSwitch::new();
    let log = Log::default();
    let mut run = engine.start(
        &program,
        Box::new(log.clone()),
        RunOptions {
            kill: Some(kill.clone()),
            ..RunOptions::default()
        },
    );
    let killer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        kill.kill();
    });
    let started = Instant::now();
    assert_eq!(run.run_blocking(), RunOutcome::Killed);
    assert!(started.elapsed() < Duration::from_secs(10));
    killer.join().unwrap();
    assert!(!log.lines().is_empty(), "it ran before it was killed");
    assert_eq!(run.live_tokens(), 0);
    assert_eq!(run.pending_timers(), 0);
}

#[test]
fn a_kill_switch_stops_a_busy_loop() {
    let engine = Engine::new();
    let program = engine.compile("p", "def f() = f()  f()").unwrap();
    let kill = KillSwitch::new();
    let mut run = engine.start(
        &program,
        Box::new(Log::default()),
        RunOptions {
            kill: Some(kill.clone()),
            ..RunOptions::default()
        },
    );
    let killer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        kill.kill();
    });
    assert_eq!(run.run_blocking(), RunOutcome::Killed);
    killer.join().unwrap();
    assert_eq!(run.live_tokens(), 0);
}

#[test]
fn a_thrown_switch_stops_the_run_at_once() {
    let engine = Engine::new();
    let program = engine.compile("p", "Rwait(60000) >> 1").unwrap();
    let kill = KillSwitch::new();
    kill.kill();
    let log = Log::default();
    let mut run = engine.start(
        &program,
        Box::new(log.clone()),
        RunOptions {
            kill: Some(kill),
            ..RunOptions::default()
        },
    );
    let started = Instant::now();
    assert_eq!(run.run_blocking(), RunOutcome::Killed);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(log.lines().is_empty());
}

#[test]
fn the_time_limit_stops_a_busy_loop() {
    let engine = Engine::new();
    let program = engine.compile("p", "def f() = f()  f()").unwrap();
    let mut run = engine.start(
        &program,
        Box::new(Log::default()),
        RunOptions {
            time_limit_ms: Some(100),
            ..RunOptions::default()
        },
    );
    let started = Instant::now();
    assert_eq!(run.run_blocking(), RunOutcome::TimeLimit);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(run.live_tokens(), 0);
}

/// Runs `src` under simulated time: its publications (and prints), and
/// how many tokens it started.
fn run_counting_tokens(src: &str) -> (Vec<String>, u64) {
    let engine = Engine::new();
    let program = engine.compile("p", src).unwrap();
    let log = Log::default();
    let mut run = engine.start(
        &program,
        Box::new(log.clone()),
        RunOptions::new().simulated_time(),
    );
    assert_eq!(run.run_blocking(), RunOutcome::Halted);
    assert_eq!(run.live_tokens(), 0);
    (log.lines(), run.tokens_started())
}

#[test]
fn functional_recursion_runs_in_the_calling_token() {
    // Each `fib(n - 1) + fib(n - 2)` is two prunings whose right sides
    // the token runs itself, under light frames: no token is started.
    let (out, tokens) =
        run_counting_tokens("def fib(n) = if n <: 2 then n else fib(n - 1) + fib(n - 2)  fib(20)");
    assert_eq!(out, ["6765"]);
    assert_eq!(tokens, 1, "fib started tokens of its own");
}

#[test]
fn higher_order_functional_code_runs_in_the_calling_token() {
    // Quicksort with `filter` given lambdas and `append`: every left side
    // either waits for its variable first or is pure and publishes only
    // once the variable is bound (`append(smaller, p : larger)`), so
    // fairness never needs to give one a token of its own, however long
    // the sort runs (20,000 numbers take hundreds of turns). Before
    // `filter` counted as pure given a pure predicate, the sort's levels
    // became tokens and ran side by side: twice the memory.
    let (out, tokens) = run_counting_tokens(
        "def randoms(0, _) = []
         def randoms(n, seed) =
           val next = (seed * 1103515245 + 12345) % 2147483648
           next % 1000000 : randoms(n - 1, next)
         def quicksort([]) = []
         def quicksort(p:xs) =
           val smaller = quicksort(filter(lambda(x) = x <: p, xs))
           val larger = quicksort(filter(lambda(x) = x >= p, xs))
           append(smaller, p : larger)
         def sorted(a:b:rest) = a <= b && sorted(b:rest)
         def sorted(_) = true
         val xs = quicksort(randoms(20000, 42))
         (length(xs), sorted(xs))",
    );
    assert_eq!(out, ["(20000, true)"]);
    assert!(tokens <= 2, "the sort started {tokens} tokens");
}

#[test]
fn a_wait_under_light_frames_makes_them_real() {
    // `sum` recurses 5,000 deep, each level's `i + sum(i - 1)` a pruning
    // run light; at the bottom it reads a reference written only later,
    // so every level's pruning becomes a real one (a token for its left
    // side), and the sum still comes out.
    let (out, tokens) = run_counting_tokens(
        "val r = Ref()
         def sum(i) = if i = 0 then r? else i + sum(i - 1)
         sum(5000) | Rwait(10) >> r := 1 >> stop",
    );
    assert_eq!(out, ["12502501"]);
    assert!(tokens > 5000, "{tokens} tokens");
}

#[test]
fn definitions_with_effects_fall_back_to_tokens() {
    // `show` looks functional but calls Println: the direct attempt gives
    // up before any effect, and the tokens print exactly once.
    let (out, _) = run_counting_tokens(
        "def show(x) = Println(x) >> x + 1  def go(n) = if n = 0 then 0 else show(n) >> go(n - 1)  go(3)",
    );
    assert_eq!(out, ["print 3", "print 2", "print 1", "0"]);
}

#[test]
fn a_pure_endless_loop_does_not_hold_up_a_timer() {
    // Real time: the loop hands its work back every time slice, so the
    // timer fires and the trim ends the loop.
    let engine = Engine::new();
    let program = engine
        .compile(
            "p",
            r#"def spin(n) = spin(n + 1)  {| spin(0) | Rwait(100) >> "timer" |}"#,
        )
        .unwrap();
    let log = Log::default();
    let started = Instant::now();
    let mut run = engine.start(
        &program,
        Box::new(log.clone()),
        RunOptions::new().time_limit(Duration::from_secs(20)),
    );
    assert_eq!(run.run_blocking(), RunOutcome::Halted);
    assert_eq!(log.lines(), ["\"timer\""]);
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(run.live_tokens(), 0);
    assert_eq!(run.pending_timers(), 0);
}

#[test]
fn a_long_argument_does_not_hold_up_a_timeout() {
    // `timeout(x, 100)` with a long computation for `x`: the argument runs
    // first, in the calling token, under a light frame; the call (which
    // starts the timer) gets a token of its own once the computation has
    // run for a while, so the timeout still fires.
    let engine = Engine::new();
    let program = engine
        .compile(
            "p",
            r#"def spin(0) = "done"  def spin(n) = spin(n - 1)
               timeout(spin(2000000000), 100)"#,
        )
        .unwrap();
    let log = Log::default();
    let started = Instant::now();
    let mut run = engine.start(
        &program,
        Box::new(log.clone()),
        RunOptions::new()
            .time_limit(Duration::from_secs(30))
            .max_publications(1),
    );
    assert_eq!(run.run_blocking(), RunOutcome::PublicationLimit);
    assert_eq!(log.lines(), ["None()"]);
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[test]
fn reads_of_references_and_arrays_in_functional_code() {
    // `get` reads an array and a reference in the calling token while the
    // reference holds a value, and waits (its light frames made real)
    // while it is empty.
    let (out, _) = run_counting_tokens(
        "val a = Array(3)  val r = Ref()
         def get(i) = if i <: 3 then a(i)? else r?
         def sum(i) = if i = 3 then 0 else get(i) + sum(i + 1)
         a(0) := 10 >> a(1) := 20 >> a(2) := 30 >>
         (sum(0) | get(7) >x> (\"ref\", x) | Rwait(100) >> r := 7 >> stop)",
    );
    assert_eq!(out, ["60", "(\"ref\", 7)"]);
}

/// A pruned `Rwait` whose token went on (see `runtime::binder`) still
/// goes with the run when the run is stopped: no timer, future or token
/// is left behind, whether the run hits its time limit or is dropped
/// before it ends.
#[test]
fn stopping_a_run_ends_its_pruned_waits() {
    let engine = Engine::new();
    let program = engine
        .compile(
            "p",
            "((stop <x< Rwait(60000)) ; \"late\") | (x <x< Rwait(50000)) | Rwait(10) >> \"early\"",
        )
        .unwrap();
    let before = orc::runtime::blocks_in_use();
    stop_at_100_ms_leaving_nothing(&engine, &program, "a stopped run");

    // Dropped while its waits are pending: run a little, then give up.
    let mut run = engine.start(
        &program,
        Box::new(Log::default()),
        RunOptions {
            time_limit_ms: Some(5),
            ..sim()
        },
    );
    assert_eq!(run.run_blocking(), RunOutcome::TimeLimit);
    drop(run);
    assert_eq!(
        orc::runtime::blocks_in_use(),
        before,
        "blocks left by a dropped run"
    );
}

/// A race (a `timeout` run by one token, waiting on its value and its
/// timer) that is killed cancels its timer: the run ends when the outer
/// trim publishes, with no timer left; stopped by its time limit while
/// races wait, a run leaves no token, timer or block behind.
#[test]
fn killing_a_race_cancels_its_timer() {
    let engine = Engine::new();
    let program = engine
        .compile(
            "p",
            "{| timeout(Rwait(300) >> 1, 400) | Rwait(120) >> \"cut\" |}",
        )
        .unwrap();
    let log = Log::default();
    let mut run = engine.start(&program, Box::new(log.clone()), sim());
    assert_eq!(run.run_blocking(), RunOutcome::Halted);
    assert_eq!(log.lines(), ["\"cut\""]);
    assert_eq!(
        run.now_ms(),
        120,
        "the run waited for a killed race's timer"
    );
    assert_eq!(run.pending_timers(), 0);

    let program = engine
        .compile(
            "q",
            "upto(100) >i> timeout(Rwait(60000 + i) >> i, 50000 + i) | Rwait(10) >> \"early\"",
        )
        .unwrap();
    stop_at_100_ms_leaving_nothing(&engine, &program, "races");
}

/// Runs `program` under simulated time with a 100 ms limit: it must
/// publish only `"early"`, stop at the limit and leave no token, timer or
/// block behind (`what` names the run in the message).
fn stop_at_100_ms_leaving_nothing(engine: &Engine, program: &orc::Compiled, what: &str) {
    let before = orc::runtime::blocks_in_use();
    let log = Log::default();
    let mut run = engine.start(
        program,
        Box::new(log.clone()),
        RunOptions {
            time_limit_ms: Some(100),
            ..sim()
        },
    );
    assert_eq!(run.run_blocking(), RunOutcome::TimeLimit);
    assert_eq!(log.lines(), ["\"early\""]);
    assert_eq!(run.live_tokens(), 0);
    assert_eq!(run.pending_timers(), 0);
    drop(run);
    assert_eq!(
        orc::runtime::blocks_in_use(),
        before,
        "blocks left by {what}"
    );
}

#[test]
fn a_memory_limit_without_the_accounting_allocator_refuses_to_run() {
    // This test binary keeps the system allocator.
    let engine = Engine::new();
    let program = engine.compile("p", "Println(\"ran\")").unwrap();
    let log = Log::default();
    let mut run = engine.start(
        &program,
        Box::new(log.clone()),
        RunOptions::new().memory_limit(1 << 30),
    );
    assert_eq!(run.run_blocking(), RunOutcome::MemoryLimit);
    let lines = log.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("orc::MemoryAccounting"), "{lines:?}");
    assert_eq!(run.live_tokens(), 0);
}

/// Keeps the trace events a run tells as it goes ([`Events::traced`]),
/// and when each batch came (the program's publications so far).
#[derive(Clone, Default)]
struct Traced {
    events: Arc<Mutex<Vec<orc::runtime::trace::TraceEvent>>>,
    /// Trace events told before each publication.
    before_publication: Arc<Mutex<Vec<usize>>>,
}

impl Events for Traced {
    fn publish(&mut self, _: &Value) {
        let told = self.events.lock().unwrap().len();
        self.before_publication.lock().unwrap().push(told);
    }
    fn print(&mut self, _: &str) {}
    fn error(&mut self, _: &RuntimeError) {}
    fn traced(&mut self, events: &[orc::runtime::trace::TraceEvent]) {
        self.events.lock().unwrap().extend_from_slice(events);
    }
}

#[test]
fn a_runs_trace_is_told_as_it_goes_each_event_once() {
    let engine = Engine::new();
    let program = engine
        .compile(
            "main",
            "Rwait(100) >> 1 | Rwait(200) >> 2 | Rwait(300) >> 3",
        )
        .unwrap();
    let traced = Traced::default();
    // Real time: a simulated-time run may go from wait to wait without
    // pausing (and so tell everything at its end).
    let options = RunOptions {
        trace: true,
        ..RunOptions::new()
    };
    let mut run = engine.start(&program, Box::new(traced.clone()), options);
    assert_eq!(run.run_blocking(), RunOutcome::Halted);
    // Everything, in order, once.
    let told = traced.events.lock().unwrap().clone();
    assert_eq!(told, run.trace().unwrap().events());
    // As it went: the wait for 100 ms had been told (made and answered)
    // before the third publication, 200 ms later.
    let before = traced.before_publication.lock().unwrap().clone();
    assert_eq!(before.len(), 3);
    assert!(
        before[2] > 0 && before[2] < told.len(),
        "{before:?} of {}",
        told.len()
    );
    // Without a trace, nothing is told.
    let quiet = Traced::default();
    let mut run = engine.start(
        &program,
        Box::new(quiet.clone()),
        RunOptions::new().simulated_time(),
    );
    assert_eq!(run.run_blocking(), RunOutcome::Halted);
    assert!(quiet.events.lock().unwrap().is_empty());
}
