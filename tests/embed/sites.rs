//! Host sites: synchronous closures, closures that may halt, async
//! functions, their errors, and cancellation reaching the host.

use crate::{eventually, hanging_site, shown, sim};
use orc::embed::arity;
use orc::{Engine, Event, RunOptions, RunOutcome, SiteError, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[test]
fn a_sync_site_is_called_with_the_arguments_and_publishes_its_value() {
    let mut engine = Engine::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    engine.register_fn("Add", move |args| {
        counted.fetch_add(1, Ordering::SeqCst);
        let [a, b] = arity::<2>(args)?;
        Ok(Value::from(i64::try_from(a)? + i64::try_from(b)?))
    });
    let program = engine.compile("p", "Add(1, 2) >x> Add(x, 10)").unwrap();
    let report = engine.execute_blocking(&program, sim()).finish();
    assert_eq!(shown(&report.publications), ["13"]);
    assert!(report.is_clean());
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn a_site_error_is_a_runtime_error_that_names_the_site() {
    let mut engine = Engine::new();
    engine.register_fn("Half", |args| {
        let [n] = arity::<1>(args)?;
        let n = i64::try_from(n)?;
        if n % 2 == 1 {
            return Err(SiteError::new(format!("{n} is odd")));
        }
        Ok(Value::from(n / 2))
    });
    let program = engine
        .compile("p", r#"Half(4) | Half(3) | Half("x") | Half(1, 2)"#)
        .unwrap();
    let report = engine.execute_blocking(&program, sim()).finish();
    // The failing calls halt; the rest of the program goes on.
    assert_eq!(shown(&report.publications), ["2"]);
    assert_eq!(report.outcome, RunOutcome::Halted);
    let mut messages: Vec<String> = report.errors.iter().map(|e| e.message.clone()).collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "Half: 3 is odd",
            "Half: expected an integer in the range of i64, but got String \"x\"",
            "Half: expects 1 argument, but was called with 2",
        ]
    );
    assert!(
        report.errors.iter().all(|e| e.span.is_some()),
        "errors point at the call"
    );
    assert!(!report.is_clean());
}

#[test]
fn a_site_may_halt_without_a_value() {
    let mut engine = Engine::new();
    engine.register_fn_or_halt("Lookup", |args| {
        let [key] = arity::<1>(args)?;
        Ok(match String::try_from(key)?.as_str() {
            "a" => Some(Value::from(1)),
            _ => None,
        })
    });
    let program = engine
        .compile("p", r#"(Lookup("a") ; 0) + (Lookup("b") ; 100)"#)
        .unwrap();
    let report = engine.execute_blocking(&program, sim()).finish();
    assert_eq!(shown(&report.publications), ["101"]);
    assert!(report.is_clean());
}

#[test]
fn registered_sites_are_seen_only_by_programs_compiled_afterwards() {
    let mut engine = Engine::new();
    let err = engine.compile("p", "Later()").unwrap_err();
    assert!(
        err.to_string().contains("unbound variable `Later`"),
        "{err}"
    );
    engine.register_fn("Later", |_| Ok(Value::from("here")));
    let program = engine.compile("p", "Later()").unwrap();
    let values: Vec<Value> = engine.execute_blocking(&program, sim()).collect();
    assert_eq!(shown(&values), ["\"here\""]);
}

#[tokio::test]
async fn an_async_site_runs_on_the_hosts_runtime() {
    let mut engine = Engine::new();
    engine.register_async("Fetch", |args| async move {
        let [key] = arity::<1>(&args)?;
        tokio::time::sleep(Duration::from_millis(5)).await;
        Ok(Value::from(format!("value of {}", String::try_from(key)?)))
    });
    engine.register_async_or_halt("Maybe", |args| async move {
        Ok(bool::try_from(&args[0])?.then(|| Value::from("yes")))
    });
    let program = engine
        .compile(
            "p",
            r#"Fetch("k") | (Maybe(false) ; "no") | Maybe(true) | Fetch(1)"#,
        )
        .unwrap();
    let report = engine.execute(&program, sim()).finish().await;
    let mut got = shown(&report.publications);
    got.sort();
    assert_eq!(got, ["\"no\"", "\"value of k\"", "\"yes\""]);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(
        report.errors[0].message,
        "Fetch: expected a string, but got Integer 1"
    );
}

#[tokio::test]
async fn a_pruned_async_call_drops_the_hosts_future() {
    let mut engine = Engine::new();
    let dropped = hanging_site(&mut engine);
    // The right side publishes at once: the pending call is killed.
    let program = engine.compile("p", r#"x <x< (Hang() | "fast")"#).unwrap();
    let started = Instant::now();
    let report = engine.execute(&program, sim()).finish().await;
    assert_eq!(shown(&report.publications), ["\"fast\""]);
    assert_eq!(report.outcome, RunOutcome::Halted);
    assert!(eventually(&dropped).await, "the host's future was dropped");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_timeout_in_orc_cancels_the_slow_host_call() {
    let mut engine = Engine::new();
    let dropped = hanging_site(&mut engine);
    let program = engine
        .compile("p", r#"{| Hang() | Rwait(100) >> "timeout" |}"#)
        .unwrap();
    let started = Instant::now();
    let report = engine.execute(&program, RunOptions::new()).finish().await;
    let took = started.elapsed();
    assert_eq!(shown(&report.publications), ["\"timeout\""]);
    assert!(took >= Duration::from_millis(100), "{took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(eventually(&dropped).await);
}

#[tokio::test]
async fn dropping_an_execution_cancels_its_host_calls() {
    let mut engine = Engine::new();
    let dropped = hanging_site(&mut engine);
    let program = engine.compile("p", r#""first" | Hang()"#).unwrap();
    let mut execution = engine.execute(&program, sim());
    assert_eq!(
        execution.next_publication().await,
        Some(Value::from("first"))
    );
    // Let the call start, then walk away from the run.
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(!dropped.load(Ordering::SeqCst));
    drop(execution);
    assert!(eventually(&dropped).await);
}

#[tokio::test]
async fn killing_a_run_cancels_its_host_calls() {
    let mut engine = Engine::new();
    let dropped = hanging_site(&mut engine);
    let program = engine.compile("p", "Hang()").unwrap();
    let execution = engine.execute(&program, RunOptions::new());
    let kill = execution.kill_switch();
    let run = tokio::spawn(execution.finish());
    tokio::time::sleep(Duration::from_millis(50)).await;
    kill.kill();
    let report = run.await.unwrap();
    assert_eq!(report.outcome, RunOutcome::Killed);
    assert!(eventually(&dropped).await);
}

#[tokio::test]
async fn output_errors_and_publications_arrive_as_events_in_order() {
    let engine = Engine::new();
    let program = engine
        .compile(
            "p",
            r#"Println("start") >> 1 >> (2 | Rwait(10) >> Error("boom")) ; Println("never")"#,
        )
        .unwrap();
    let mut execution = engine.execute(&program, sim());
    let mut events = Vec::new();
    while let Some(e) = execution.next_event().await {
        events.push(match e {
            Event::Publication(v) => format!("publish {v}"),
            Event::Output(text) => format!("print {}", text.trim_end()),
            Event::Error(e) => format!("error {}", e.message),
        });
    }
    assert_eq!(events, ["print start", "publish 2", "error boom"]);
    let report = execution.finish().await;
    assert_eq!(report.output, "start\n");
    assert_eq!(report.errors.len(), 1);
    assert!(report.publications.is_empty(), "all were taken as events");
}

/// A host site's body that panics with `message`.
fn boom(message: &str) -> Result<Value, SiteError> {
    panic!("{message}")
}

#[test]
fn a_sync_site_that_panics_is_a_runtime_error_at_its_call() {
    let mut engine = Engine::new();
    engine.register_fn("Boom", |_| boom("kaboom"));
    engine.register_fn_or_halt("Maybe", |args| {
        let [n] = arity::<1>(args)?;
        // A panic with a formatted (owned) message.
        panic!("no {} here", i64::try_from(n)?)
    });
    engine.register_fn("Opaque", |_| std::panic::panic_any(42));
    let program = engine
        .compile(
            "p",
            r#"Boom() | Maybe(7) | Opaque() | Rwait(10) >> "goes on""#,
        )
        .unwrap();
    let report = engine.execute_blocking(&program, sim()).finish();
    assert_eq!(shown(&report.publications), ["\"goes on\""]);
    assert_eq!(report.outcome, RunOutcome::Halted);
    let mut messages: Vec<String> = report.errors.iter().map(|e| e.message.clone()).collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "Boom panicked: kaboom",
            "Maybe panicked: no 7 here",
            "Opaque panicked"
        ]
    );
    assert!(report.errors.iter().all(|e| e.span.is_some()));
}

#[test]
fn an_async_site_that_panics_is_a_runtime_error_and_the_run_ends() {
    let mut engine = Engine::new();
    // While its future is polled, after waiting.
    engine.register_async("Later", |_| async {
        tokio::time::sleep(Duration::from_millis(5)).await;
        boom("async kaboom")
    });
    // While the closure makes the future.
    engine.register_async(
        "Early",
        |_| -> std::future::Ready<Result<Value, SiteError>> { panic!("no future") },
    );
    engine.register_async_or_halt("Halting", |_| async { boom("halting kaboom").map(Some) });
    let program = engine
        .compile(
            "p",
            r#"(Later() ; "after Later") | Early() | Halting() | "goes on""#,
        )
        .unwrap();
    // On a regression the calls would stay pending: the time limit ends
    // the run instead of the test hanging.
    let options = RunOptions::new().time_limit(Duration::from_secs(10));
    let started = Instant::now();
    let report = engine.execute_blocking(&program, options).finish();
    assert_eq!(report.outcome, RunOutcome::Halted, "{report:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // A failed call halts: `;` goes on to its right side.
    let mut got = shown(&report.publications);
    got.sort();
    assert_eq!(got, ["\"after Later\"", "\"goes on\""]);
    let mut messages: Vec<String> = report.errors.iter().map(|e| e.message.clone()).collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "Early panicked: no future",
            "Halting panicked: halting kaboom",
            "Later panicked: async kaboom",
        ]
    );
}

#[test]
fn site_errors_are_std_errors() {
    fn host_code() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        Err(SiteError::new("it failed"))?
    }
    let e = host_code().unwrap_err();
    assert_eq!(e.to_string(), "it failed");
    assert!(e.downcast_ref::<SiteError>().is_some());
}
