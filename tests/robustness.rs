//! Robustness: what a user or an untrusted program can do wrong ends in a
//! clear error or a limit, never a crash, a leak or exhausted memory.
//!
//! * size limits on values (`src/value/limits.rs`) report the operation;
//! * runs stopped from outside or by a limit leave no live tokens and no
//!   pending timers, and once dropped, every run has given back the
//!   objects, records, frames and futures it took;
//! * runtime errors carry the span of the call that failed;
//! * errors a user can cause (type errors in operators, wrong arity to a
//!   site or a definition, failed patterns) behave as documented.

use orc::{Engine, Events, KillSwitch, RunOptions, RunOutcome, RuntimeError, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a run reported: publications (printed), errors with their spans.
#[derive(Default)]
struct Report {
    published: Vec<String>,
    errors: Vec<RuntimeError>,
}

/// Records into a shared [`Report`]; throws `kill_after_first` (if given)
/// at the first publication.
#[derive(Clone, Default)]
struct Recorder {
    report: Arc<Mutex<Report>>,
    kill_after_first: Option<KillSwitch>,
}

impl Events for Recorder {
    fn publish(&mut self, value: &Value) {
        self.report
            .lock()
            .unwrap()
            .published
            .push(value.to_string());
        if let Some(k) = &self.kill_after_first {
            k.kill();
        }
    }
    fn print(&mut self, _: &str) {}
    fn error(&mut self, error: &RuntimeError) {
        self.report.lock().unwrap().errors.push(error.clone());
    }
}

struct Finished {
    outcome: RunOutcome,
    live_tokens: usize,
    pending_timers: usize,
    report: Report,
}

fn run_with(src: &str, options: RunOptions, kill_after_first: Option<KillSwitch>) -> Finished {
    let blocks_before = orc::runtime::blocks_in_use();
    let objects_before = orc::value::object::objects_alive();
    let engine = Engine::sandboxed();
    let program = engine
        .compile("test.orc", src)
        .unwrap_or_else(|e| panic!("{src:?} does not compile: {e}"));
    let recorder = Recorder {
        kill_after_first,
        ..Recorder::default()
    };
    let mut run = engine.start(&program, Box::new(recorder.clone()), options);
    let outcome = run.run_blocking();
    let report = std::mem::take(&mut *recorder.report.lock().unwrap());
    let (live_tokens, pending_timers) = (run.live_tokens(), run.pending_timers());
    drop((run, program, engine));
    let objects = orc::value::object::objects_alive() - objects_before;
    assert_eq!(objects, 0, "{src:?} left objects behind after {outcome:?}");
    let blocks = orc::runtime::blocks_in_use() - blocks_before;
    assert_eq!(blocks, 0, "{src:?} left blocks behind after {outcome:?}");
    Finished {
        outcome,
        live_tokens,
        pending_timers,
        report,
    }
}

/// Runs `src` under simulated time. The programs here wait for each
/// result (`e >y> f(y)`) before recursing: a lenient call `f(e)` would go
/// on recursing after `e` failed, each level a new token waiting for a
/// halted value (unbounded, as in the reference; the token limit stops it).
fn run_sim(src: &str) -> Finished {
    let f = run_with(
        src,
        RunOptions::new()
            .simulated_time()
            .time_limit(Duration::from_secs(3600))
            .max_tokens(100_000),
        None,
    );
    assert_eq!(f.outcome, RunOutcome::Halted, "{src}");
    f
}

/// The messages of the runtime errors of `src`.
fn errors(src: &str) -> Vec<String> {
    let f = run_sim(src);
    f.report.errors.into_iter().map(|e| e.message).collect()
}

fn assert_one_error(src: &str, expected: &str) {
    let errs = errors(src);
    assert_eq!(errs.len(), 1, "{src}: {errs:?}");
    assert!(errs[0].contains(expected), "{src}: {:?}", errs[0]);
}

// ---- size limits ----

#[test]
fn huge_integer_power_is_refused() {
    assert_one_error(
        "2 ** 100000000",
        "result too large: ** would exceed the limit of 1000000 decimal digits",
    );
    // Just under the limit is fine.
    let f = run_sim("(2 ** 1000000 :> 0) >> \"ok\"");
    assert_eq!(f.report.published, ["\"ok\""]);
}

#[test]
fn repeated_squaring_stops_at_the_limit() {
    assert_one_error(
        // Starts near the limit: squaring big numbers is slow in debug builds.
        "def sq(x) = x * x >y> sq(y)  sq(2 ** 1000000)",
        "result too large: * would exceed the limit of 1000000 decimal digits",
    );
}

#[test]
fn negative_and_decimal_powers_are_bounded() {
    assert_one_error("2 ** -100000000", "result too large: ** would exceed");
    assert_one_error(
        "1.5 ** 100000000",
        "result too large: ** would exceed the limit of 10^±1000000 for decimal exponents",
    );
    // Powers of 1 and -1 are small whatever the exponent.
    let f = run_sim("1 ** 100000000 | (-1) ** 4000000001");
    let mut p = f.report.published;
    p.sort();
    assert_eq!(p, ["-1", "1"]);
}

#[test]
fn string_doubling_stops_at_the_limit() {
    assert_one_error(
        "def dbl(s) = s + s >t> dbl(t)  dbl(\"ab\")",
        "result too large: string concatenation (+) would exceed the limit of 67108864 bytes",
    );
}

#[test]
fn string_methods_are_bounded() {
    assert_one_error(
        "\"ab\".repeat(100000000)",
        "result too large: String.repeat would exceed",
    );
    assert_one_error(
        "val s = \"x\".repeat(40000000)  s.concat(s)",
        "result too large: String.concat would exceed",
    );
    assert_one_error(
        "val s = \"x\".repeat(1000)  s.replace(\"\", s.repeat(1000))",
        "result too large: String.replace would exceed",
    );
    assert_one_error(
        "val s = \"x\".repeat(100000)  s.replaceAll(\"x\", s)",
        "result too large: String.replaceAll would exceed",
    );
}

#[test]
fn printing_a_value_into_a_string_is_bounded() {
    // Each step quadruples the text without quadrupling the list.
    assert_one_error(
        "def d(s) = Write([s, s, s, s]) >t> d(t)  d(\"x\".repeat(20000000))",
        "result too large: Write would exceed",
    );
    assert_one_error(
        "def d(s) = \"\" + [s, s, s, s] >t> d(t)  d(\"x\".repeat(20000000))",
        "result too large: string concatenation (+) would exceed",
    );
}

#[test]
fn decimal_literal_out_of_range_is_a_syntax_error() {
    let engine = Engine::sandboxed();
    let src = "1 + 1e2000000";
    let errs = engine.compile("test.orc", src).unwrap_err().diagnostics;
    assert_eq!(errs[0].message, "number `1e2000000` is out of range");
    let span = errs[0].span.expect("a span");
    assert_eq!(&src[span.start as usize..span.end as usize], "1e2000000");
    // At the limit, a literal is fine.
    assert!(engine.compile("ok.orc", "1e1000000 + 1e-1000000").is_ok());
}

#[test]
fn aligning_far_apart_decimals_is_refused() {
    assert_one_error("1e1000000 + 1e-1000000", "result too large: + would exceed");
}

// ---- no leaks when a run is stopped ----

/// Tokens busy computing, waiting on timers, on a channel and on a pruned
/// future: everything a stopped run must clean up.
const BUSY: &str = "
def loop(n) = loop(n + 1)
val c = Channel()
val never = Rwait(100000000) >> 1
  1
| Rwait(1000) >> 2
| Rwait(50000000) >> 3
| c.get()
| never
| loop(0)
";

fn assert_clean(f: &Finished, expected: RunOutcome) {
    assert_eq!(f.outcome, expected);
    assert_eq!(f.live_tokens, 0, "live tokens after {expected:?}");
    assert_eq!(f.pending_timers, 0, "pending timers after {expected:?}");
}

#[test]
fn killed_run_leaves_no_tokens_or_timers() {
    let kill = KillSwitch::new();
    let f = run_with(
        BUSY,
        RunOptions::new().simulated_time().kill_switch(kill.clone()),
        Some(kill),
    );
    assert_clean(&f, RunOutcome::Killed);
    assert_eq!(f.report.published, ["1"]);
}

#[test]
fn time_limited_run_leaves_no_tokens_or_timers() {
    // `loop` never lets simulated time advance, so no timer here is due.
    let src = BUSY.replace("| loop(0)\n", "");
    let f = run_with(
        &src,
        RunOptions::new()
            .simulated_time()
            .time_limit(Duration::from_secs(10)),
        None,
    );
    assert_clean(&f, RunOutcome::TimeLimit);
    assert_eq!(f.report.published, ["1", "2"]);
}

#[test]
fn time_limit_stops_a_busy_loop_in_real_time() {
    let f = run_with(
        BUSY,
        RunOptions::new()
            .real_time()
            .time_limit(Duration::from_millis(200)),
        None,
    );
    assert_clean(&f, RunOutcome::TimeLimit);
}

#[test]
fn token_limited_run_leaves_no_tokens_or_timers() {
    let src = format!("{BUSY}| (def fork(n) = fork(n + 1) | fork(n + 1)  fork(0))");
    let f = run_with(
        &src,
        RunOptions::new().simulated_time().max_tokens(1_000),
        None,
    );
    assert_clean(&f, RunOutcome::TokenLimit);
}

#[test]
fn publication_limited_run_leaves_no_tokens_or_timers() {
    let f = run_with(
        BUSY,
        RunOptions::new().simulated_time().max_publications(1),
        None,
    );
    assert_clean(&f, RunOutcome::PublicationLimit);
    assert_eq!(f.report.published, ["1"]);
}

// ---- runtime errors: messages and spans ----

/// The source text each runtime error of `src` points at.
fn error_spans(src: &str) -> Vec<(String, String)> {
    run_sim(src)
        .report
        .errors
        .into_iter()
        .map(|e| {
            let span = e
                .span
                .unwrap_or_else(|| panic!("no span on {:?}", e.message));
            (
                e.message,
                src[span.start as usize..span.end as usize].to_string(),
            )
        })
        .collect()
}

#[test]
fn runtime_error_span_covers_the_failing_call() {
    let src = "val zero = 0\nPrintln(\"a\") >> 10 / zero";
    assert_eq!(
        error_spans(src),
        [("division by zero".to_string(), "10 / zero".to_string())]
    );
}

#[test]
fn runtime_error_in_a_definition_points_into_its_body() {
    let src = "def half(x) = x / 0\nhalf(4) + 1";
    assert_eq!(
        error_spans(src),
        [("division by zero".to_string(), "x / 0".to_string())]
    );
}

#[test]
fn operator_type_errors_name_operator_and_operands() {
    assert_eq!(
        error_spans("1 + true"),
        [(
            "cannot apply + to Integer 1 and Boolean true".to_string(),
            "1 + true".to_string()
        )]
    );
    assert_eq!(
        error_spans("\"a\" <: 1"),
        [(
            "cannot apply <: to String \"a\" and Integer 1".to_string(),
            "\"a\" <: 1".to_string()
        )]
    );
}

#[test]
fn wrong_arity_to_a_site_and_to_a_def() {
    assert_eq!(
        error_spans("Ift(true, 2)"),
        [(
            "Ift expects 1 argument, but was called with 2".to_string(),
            "Ift(true, 2)".to_string()
        )]
    );
    assert_eq!(
        error_spans("def f(x) = x\nf()"),
        [(
            "f expects 1 argument, but was called with 0".to_string(),
            "f()".to_string()
        )]
    );
}

#[test]
fn a_failed_pattern_halts_silently() {
    // No error and no publication: the token halts, as in the reference;
    // `;` sees the halt.
    let f = run_sim("val (a, b) = (1, 2, 3)  a");
    assert!(f.report.errors.is_empty() && f.report.published.is_empty());
    assert_eq!(f.outcome, RunOutcome::Halted);
    let f = run_sim("(Some(1) >None()> 2) ; 3");
    assert!(f.report.errors.is_empty());
    assert_eq!(f.report.published, ["3"]);
}
