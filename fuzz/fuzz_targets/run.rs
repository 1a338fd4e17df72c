//! Fuzzes the whole interpreter: compile arbitrary text in a sandboxed
//! engine (no files, stdin or processes) and run what compiles under tight
//! limits. Compile errors, runtime errors and limits are all fine; a panic,
//! an allocation beyond libFuzzer's memory limit or a hang is a bug. A run
//! stopped by a limit must leave no live tokens and no pending timers, and
//! once dropped, a run must have freed every object it made (cycles
//! included: the run's cycle collector frees them, see
//! `src/value/cycles.rs`) and given back every record, frame and future
//! it took.

#![no_main]

use libfuzzer_sys::fuzz_target;
use orc::{Engine, Events, RunOptions, RunOutcome, RuntimeError, Value};
use std::time::Duration;

/// Throws away everything the program reports.
struct Discard;

impl Events for Discard {
    fn publish(&mut self, _: &Value) {}
    fn print(&mut self, _: &str) {}
    fn error(&mut self, _: &RuntimeError) {}
}

/// Memory limits need the accounting allocator (it wraps the system's,
/// which the sanitizers instrument as before).
#[global_allocator]
static ALLOCATOR: orc::MemoryAccounting = orc::MemoryAccounting;

fuzz_target!(|text: &str| {
    let blocks_before = orc::runtime::blocks_in_use();
    let objects_before = orc::value::object::objects_alive();
    let engine = Engine::sandboxed();
    let Ok(program) = engine.compile("fuzz.orc", text) else {
        return;
    };
    // Under simulated time the time limit also bounds the wall clock, so
    // a busy loop stops after two seconds without a watchdog.
    let options = RunOptions::new()
        .simulated_time()
        .time_limit(Duration::from_secs(2))
        .max_tokens(10_000)
        .max_publications(1_000)
        .max_output(1 << 20)
        .memory_limit(256 << 20);
    let mut run = engine.start(&program, Box::new(Discard), options);
    let outcome = run.run_blocking();
    if !matches!(outcome, RunOutcome::Deadlock { .. }) {
        assert_eq!(run.live_tokens(), 0, "live tokens after {outcome:?}");
        assert_eq!(run.pending_timers(), 0, "pending timers after {outcome:?}");
    }
    drop((run, program, engine));
    let objects = orc::value::object::objects_alive() - objects_before;
    assert_eq!(objects, 0, "objects left behind after {outcome:?}");
    let leaked = orc::runtime::blocks_in_use() - blocks_before;
    assert_eq!(leaked, 0, "blocks left behind after {outcome:?}");
});
