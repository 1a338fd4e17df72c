//! The runtime's timers seen from the host: cancellation leaves no wheel
//! entries, simulated time costs no wall time, and real timers never fire
//! early (real-time checks keep margins of 100 ms or more).

mod common;

use common::Capture;
use orc::{Engine, RunOptions, RunOutcome};

fn run(src: &str, sim_time: bool) -> (Vec<String>, orc::runtime::Run, RunOutcome) {
    let engine = Engine::new();
    let compiled = engine.compile("test.orc", src).expect("compiles");
    let capture = Capture::default();
    let mut run = engine.start(
        &compiled,
        Box::new(capture.clone()),
        RunOptions {
            sim_time,
            ..RunOptions::default()
        },
    );
    let outcome = run.run_blocking();
    let lines = capture
        .0
        .lock()
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    (lines, run, outcome)
}

#[test]
fn killing_waiting_tokens_removes_their_timers() {
    let (out, run, outcome) = run(
        "{| upto(100000) >i> Rwait(100000 + i) | Rwait(10) >> \"first\" |}",
        true,
    );
    assert_eq!(out, ["\"first\""]);
    assert_eq!(outcome, RunOutcome::Halted);
    // The run ended when the trim killed the waiters, not at their deadlines.
    assert_eq!(run.now_ms(), 10);
    assert_eq!(run.pending_timers(), 0);
    assert_eq!(run.live_tokens(), 0);
}

#[test]
fn simulated_time_jumps_to_deadlines() {
    let start = std::time::Instant::now();
    let (out, run, _) = run("Rwait(8000) >> Rtime()", true);
    assert_eq!(out, ["8000"]);
    assert_eq!(run.now_ms(), 8000);
    // No wall-clock waiting: far less than the simulated 8 s.
    assert!(start.elapsed().as_millis() < 4000);
}

#[test]
fn real_timers_fire_in_order_and_never_early() {
    let (out, _, _) = run(
        "Rwait(300) >> \"slow\" | Rwait(100) >> \"fast\" | Rwait(200) >> Rtime() >t> Ift(t >= 200) >> \"not early\"",
        false,
    );
    assert_eq!(out, ["\"fast\"", "\"not early\"", "\"slow\""]);
}

#[test]
fn timers_started_together_each_wait_their_whole_delay() {
    // The waits of one batch of turns count from one clock reading taken
    // after the batch (see `Run::start_timer`), never from an earlier one.
    // Each token reads a microsecond clock just before its wait and just
    // after. The waits start at several times, and a busy computation
    // runs between some of them starting and the next clock reading.
    let mut engine = Engine::new();
    let origin = std::time::Instant::now();
    engine.register_fn("Micros", move |_| {
        Ok((origin.elapsed().as_micros() as i64).into())
    });
    let src = "def fib(n) = if n <: 2 then n else fib(n - 1) + fib(n - 2)\n\
        upto(300) >i> Rwait(i % 7) >> Micros() >a> Rwait(1 + i % 5) >> Micros() >b> \
          (b - a >= 1000 * (1 + i % 5)) \
        | Rwait(3) >> fib(22) >> stop";
    let compiled = engine.compile("test.orc", src).expect("compiles");
    let capture = Capture::default();
    let mut run = engine.start(&compiled, Box::new(capture.clone()), RunOptions::default());
    assert_eq!(run.run_blocking(), RunOutcome::Halted);
    let out = capture.0.lock().unwrap().clone();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 300);
    assert!(
        lines.iter().all(|l| *l == "true"),
        "a timer fired early: {out}"
    );
}

#[test]
fn busy_tokens_do_not_starve_timers() {
    let (out, run, outcome) = run(
        "def spin(n) = spin(n + 1)\n{| spin(0) | Rwait(100) >> \"fired\" |}",
        false,
    );
    assert_eq!(out, ["\"fired\""]);
    assert_eq!(outcome, RunOutcome::Halted);
    assert_eq!(run.live_tokens(), 0);
}

#[test]
fn deadlock_is_reported_instead_of_waiting_forever() {
    // Nobody ever puts: the get can never complete.
    let (out, run, outcome) = run("Channel().get() | 1", true);
    assert_eq!(out, ["1"]);
    assert_eq!(outcome, RunOutcome::Deadlock { live_tokens: 1 });
    assert_eq!(run.pending_timers(), 0);
}

#[test]
fn a_deadlock_under_a_time_limit_is_still_a_deadlock() {
    let engine = Engine::new();
    let compiled = engine
        .compile("t.orc", "{| metronome(10) |} >> Channel().get()")
        .unwrap();
    let mut run = engine.start(
        &compiled,
        Box::new(Capture::default()),
        RunOptions {
            sim_time: true,
            time_limit_ms: Some(3_600_000),
            ..RunOptions::default()
        },
    );
    assert_eq!(run.run_blocking(), RunOutcome::Deadlock { live_tokens: 1 });
    // It ended when nothing could run any more, not at the limit.
    assert_eq!(run.now_ms(), 0);
}

/// A race (`{| (x, y) | Rwait(d) >> c |}`, run by one token) whose token
/// was woken by `x` but had not run yet when its timer fired: it must
/// still publish the timer's constant, though `y` never came in time. A
/// busy token running across the deadline makes that order likely: the
/// timer fires when the busy token hands its turn back, after `x`'s
/// binding queued the race's token behind it. (Whatever the order, the
/// answer is the same; only a race that forgot its timer had fired would
/// wait for `y`.)
#[test]
fn a_race_whose_timer_fires_while_it_is_queued_still_times_out() {
    let (out, _, outcome) = run(
        "def spin(n) = if n = 0 then signal else spin(n - 1)\n\
         Rwait(95) >> spin(3000000) >> stop\n\
         | ({| (x, y) | Rwait(108) >> \"late\" |} <x< Rwait(100) <y< Rwait(1000))",
        false,
    );
    assert_eq!(outcome, RunOutcome::Halted);
    assert_eq!(out, ["\"late\""]);
}
