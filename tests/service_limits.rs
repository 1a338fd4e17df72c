//! What a service call reads counts against its run's memory limit: a
//! body larger than the limit stops the run with `MemoryLimit`, not the
//! process. (This binary installs the accounting allocator, as a host
//! that wants memory limits does.)

#[path = "common/services.rs"]
mod services;

use orc::services::Capability;
use orc::{Engine, RunOptions, RunOutcome};
use services::Server;

#[global_allocator]
static ALLOCATOR: orc::MemoryAccounting = orc::MemoryAccounting;

fn run_with_limit(program: &str, limit: u64) -> RunOutcome {
    let mut engine = Engine::new();
    engine.grant(Capability::Net);
    let compiled = engine.compile("big", program).expect("compiles");
    let mut run = engine.execute_blocking(
        &compiled,
        RunOptions {
            memory_limit: Some(limit),
            time_limit_ms: Some(20_000),
            ..RunOptions::default()
        },
    );
    while run.next().is_some() {}
    run.finish().outcome
}

#[test]
fn a_body_past_the_memory_limit_stops_the_run() {
    let server = Server::start();
    // 40 MB (under the 64 MB limit of a string) against a 16 MB run.
    let program = format!(r#"HTTP("{}").get() >s> length(s)"#, server.url("/big/40"));
    assert_eq!(run_with_limit(&program, 16 << 20), RunOutcome::MemoryLimit);
    // The same body within a limit that holds it.
    assert_eq!(run_with_limit(&program, 512 << 20), RunOutcome::Halted);
}
