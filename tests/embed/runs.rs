//! Runs seen from the host: streams and iterators deliver publications in
//! order as they happen, limits stop a run with a clear outcome, one
//! compiled program runs many times and concurrently.

use crate::{shown, sim};
use orc::embed::arity;
use orc::{Engine, Execution, RunOptions, RunOutcome, Value};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The `Stream` implementation itself, without a stream extension crate.
async fn next_from_stream(execution: &mut Execution) -> Option<Value> {
    use futures_core::Stream;
    std::future::poll_fn(|cx| Pin::new(&mut *execution).poll_next(cx)).await
}

#[tokio::test]
async fn the_stream_delivers_publications_in_order() {
    let engine = Engine::new();
    let program = engine
        .compile("p", "upto(5) >n> Rwait(100 * (5 - n)) >> n")
        .unwrap();
    let mut execution = engine.execute(&program, sim());
    let mut got = Vec::new();
    while let Some(v) = next_from_stream(&mut execution).await {
        got.push(v);
    }
    assert_eq!(shown(&got), ["4", "3", "2", "1", "0"]);
    assert_eq!(execution.outcome(), Some(RunOutcome::Halted));
}

#[tokio::test]
async fn a_publication_arrives_when_it_happens_not_when_the_run_ends() {
    let engine = Engine::new();
    let program = engine
        .compile("p", r#""now" | Rwait(300) >> "later""#)
        .unwrap();
    let started = Instant::now();
    let mut execution = engine.execute(&program, RunOptions::new());
    assert_eq!(execution.next_publication().await, Some(Value::from("now")));
    let first = started.elapsed();
    assert_eq!(
        execution.next_publication().await,
        Some(Value::from("later"))
    );
    let second = started.elapsed();
    assert!(second >= Duration::from_millis(300), "{second:?}");
    assert!(
        first + Duration::from_millis(100) < second,
        "{first:?} {second:?}"
    );
    assert_eq!(execution.next_publication().await, None);
}

#[tokio::test]
async fn a_busy_program_still_delivers_and_can_be_killed() {
    let engine = Engine::new();
    // The second branch computes for far longer than the test waits.
    let program = engine
        .compile(
            "p",
            r#""early" | (def spin(n) = if n = 0 then "done" else spin(n - 1)  spin(1000000000))"#,
        )
        .unwrap();
    let started = Instant::now();
    let mut execution = engine.execute(&program, RunOptions::new());
    assert_eq!(
        execution.next_publication().await,
        Some(Value::from("early"))
    );
    assert_eq!(
        execution.outcome(),
        None,
        "the busy branch is still running"
    );
    execution.kill();
    assert_eq!(execution.next_publication().await, None);
    assert_eq!(execution.outcome(), Some(RunOutcome::Killed));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn the_blocking_iterator_delivers_publications_as_they_happen() {
    let engine = Engine::new();
    let program = engine
        .compile("p", r#"1 | Rwait(300) >> 2 | Rwait(600) >> 3"#)
        .unwrap();
    let started = Instant::now();
    let mut times = Vec::new();
    let mut values = Vec::new();
    let mut run = engine.execute_blocking(&program, RunOptions::new());
    for v in run.by_ref() {
        times.push(started.elapsed());
        values.push(v);
    }
    assert_eq!(shown(&values), ["1", "2", "3"]);
    assert!(
        times[0] + Duration::from_millis(100) < times[1],
        "{times:?}"
    );
    assert!(
        times[1] + Duration::from_millis(100) < times[2],
        "{times:?}"
    );
    assert!(times[2] >= Duration::from_millis(400));
    assert_eq!(run.finish().outcome, RunOutcome::Halted);
}

#[test]
fn the_time_limit_stops_a_run() {
    let engine = Engine::new();
    let program = engine.compile("p", r#"metronome(100) >> "tick""#).unwrap();
    let report = engine
        .execute_blocking(&program, sim().time_limit(Duration::from_millis(1050)))
        .finish();
    assert_eq!(report.outcome, RunOutcome::TimeLimit);
    // Ticks at 0, 100, ..., 1000 of simulated time.
    assert_eq!(report.publications.len(), 11);
}

#[test]
fn the_token_limit_stops_a_run() {
    let engine = Engine::new();
    let program = engine
        .compile("p", "def fork(n) = fork(n + 1) | fork(n + 1)  fork(0)")
        .unwrap();
    let report = engine
        .execute_blocking(&program, sim().max_tokens(1000))
        .finish();
    assert_eq!(report.outcome, RunOutcome::TokenLimit);
}

#[test]
fn the_publication_limit_stops_a_run_after_n_values() {
    let engine = Engine::new();
    let program = engine
        .compile(
            "p",
            r#"upto(1000) >n> Rwait(n) >> n ; Println("not reached")"#,
        )
        .unwrap();
    let report = engine
        .execute_blocking(&program, sim().max_publications(3))
        .finish();
    assert_eq!(report.outcome, RunOutcome::PublicationLimit);
    assert_eq!(shown(&report.publications), ["0", "1", "2"]);
    assert_eq!(report.output, "");
    // No publication at all is allowed: nothing runs.
    let report = engine
        .execute_blocking(&program, sim().max_publications(0))
        .finish();
    assert_eq!(report.outcome, RunOutcome::PublicationLimit);
    assert!(report.publications.is_empty());
}

#[tokio::test]
async fn the_first_answer_of_a_fan_out_cancels_the_others() {
    let mut engine = Engine::new();
    let cancelled = Arc::new(AtomicUsize::new(0));
    let count = cancelled.clone();
    engine.register_async("Replica", move |args| {
        let guard = CountOnDrop(count.clone());
        async move {
            let [delay] = arity::<1>(&args)?;
            tokio::time::sleep(Duration::from_millis(u64::try_from(delay)?)).await;
            std::mem::forget(guard); // answered: not cancelled
            Ok(args[0].clone())
        }
    });
    let program = engine
        .compile("p", "Replica(2000) | Replica(10) | Replica(3000)")
        .unwrap();
    let started = Instant::now();
    let report = engine
        .execute(&program, RunOptions::new().max_publications(1))
        .finish()
        .await;
    assert_eq!(shown(&report.publications), ["10"]);
    assert_eq!(report.outcome, RunOutcome::PublicationLimit);
    assert!(started.elapsed() < Duration::from_millis(1500));
    let deadline = Instant::now() + Duration::from_secs(5);
    while cancelled.load(Ordering::SeqCst) < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(cancelled.load(Ordering::SeqCst), 2);
}

struct CountOnDrop(Arc<AtomicUsize>);

impl Drop for CountOnDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn one_compiled_program_runs_many_times_with_fresh_state() {
    let mut engine = Engine::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    engine.register_fn("Seed", move |_| {
        Ok(Value::from(counted.fetch_add(1, Ordering::SeqCst)))
    });
    // Each run has its own Ref: state does not leak between runs.
    let program = engine
        .compile("p", "val r = Ref(0)  r := Seed() >> r? + 1")
        .unwrap();
    for i in 0..50 {
        let values: Vec<Value> = engine.execute_blocking(&program, sim()).collect();
        assert_eq!(shown(&values), [(i + 1).to_string()]);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_proceed_concurrently_on_a_multi_thread_runtime() {
    let mut engine = Engine::new();
    engine.register_async("Wait", |args| async move {
        let [ms, tag] = arity::<2>(&args)?;
        tokio::time::sleep(Duration::from_millis(u64::try_from(ms)?)).await;
        Ok(tag.clone())
    });
    engine.define("t", Value::from(0));
    let program = engine
        .compile("p", "Wait(300, t) | Wait(300, t + 1)")
        .unwrap();
    let engine = Arc::new(engine);
    let started = Instant::now();
    let runs: Vec<_> = (0..8)
        .map(|_| {
            let execution = engine.execute(&program, RunOptions::new());
            tokio::spawn(execution.finish())
        })
        .collect();
    for run in runs {
        let report = run.await.unwrap();
        assert!(report.is_clean());
        let mut got = shown(&report.publications);
        got.sort();
        assert_eq!(got, ["0", "1"]);
    }
    // Sixteen waits of 300 ms, done together.
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert!(took < Duration::from_millis(2000), "{took:?}");
}

#[tokio::test]
async fn runs_interleave_on_a_current_thread_runtime() {
    let engine = Engine::new();
    let program = engine
        .compile("p", r#"Rwait(200) >> "a" | Rwait(400) >> "b""#)
        .unwrap();
    let started = Instant::now();
    let (a, b, c) = tokio::join!(
        engine.execute(&program, RunOptions::new()).finish(),
        engine.execute(&program, RunOptions::new()).finish(),
        engine.execute(&program, RunOptions::new()).finish(),
    );
    for report in [a, b, c] {
        assert_eq!(shown(&report.publications), ["\"a\"", "\"b\""]);
    }
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1100), "{took:?}");
}

#[test]
fn an_execution_can_move_to_another_thread() {
    fn send<T: Send + 'static>(_: &T) {}
    let engine = Engine::new();
    let program = engine.compile("p", "1").unwrap();
    let execution = engine.execute(&program, sim());
    send(&execution);
    send(&execution.finish());
    send(&engine.execute_blocking(&program, sim()));
}

#[test]
fn a_run_from_source_uses_the_prelude() {
    let engine = Engine::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(async {
        engine
            .execute_str("p", "map(lambda(x) = x * x, [1, 2, 3])", sim())
            .unwrap()
            .finish()
            .await
    });
    assert_eq!(shown(&report.publications), ["[1, 4, 9]"]);
}

#[tokio::test]
async fn blocking_calls_also_work_inside_an_async_runtime() {
    // Declarations and the blocking iterator block this thread while a
    // helper thread runs them; tokio would refuse a nested runtime here.
    let mut engine = Engine::new();
    let input = engine.load_input("decl", "def twice(x) = x * 2").unwrap();
    let declared = engine
        .declare(input, Box::new(Quiet), sim())
        .map_err(|_| "declare failed")
        .unwrap();
    assert_eq!(declared.names, ["twice"]);
    let program = engine.compile("p", "twice(21)").unwrap();
    let values: Vec<Value> = engine.execute_blocking(&program, sim()).collect();
    assert_eq!(shown(&values), ["42"]);
}

struct Quiet;

impl orc::Events for Quiet {
    fn publish(&mut self, _: &Value) {}
    fn print(&mut self, _: &str) {}
    fn error(&mut self, _: &orc::RuntimeError) {}
}
