//! Orchestrating real HTTP services: starts a small server on 127.0.0.1
//! whose endpoints answer fast, slowly, with errors or flakily
//! (`examples/support/http_server.rs`), then runs
//! `examples/services/patterns.orc` against it, with `BASE` bound to the
//! server's address: the first of several mirrors within a deadline, a
//! hedged request, retry with backoff and jitter, scatter-gather with a
//! quorum, a circuit breaker, and a pipeline of processes.
//!
//! Run it:  cargo run --release --example http_patterns

#[path = "support/http_server.rs"]
mod http_server;

use orc::services::Capability;
use orc::{Engine, RunOptions, Value};
use std::sync::{Arc, Mutex};

const PROGRAM: &str = "examples/services/patterns.orc";

/// Runs the program against a fresh server: the lines it printed, and
/// the server.
fn run() -> (Vec<String>, http_server::Server) {
    let server = http_server::Server::start();
    let mut engine = Engine::new();
    for cap in Capability::ALL {
        engine.grant(cap);
    }
    engine.define("BASE", Value::from(server.url("")));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PROGRAM);
    let program = engine.compile_file(&path).unwrap_or_else(|e| panic!("{e}"));
    struct Lines(Arc<Mutex<String>>);
    impl orc::Events for Lines {
        fn publish(&mut self, _: &Value) {}
        fn print(&mut self, text: &str) {
            print!("{text}");
            self.0.lock().unwrap().push_str(text);
        }
        fn error(&mut self, _: &orc::RuntimeError) {
            // The failures the patterns are about (503s, 500s) are
            // reported as errors; the patterns handle them.
        }
    }
    let text = Arc::new(Mutex::new(String::new()));
    let mut run = engine.start(
        &program,
        Box::new(Lines(text.clone())),
        RunOptions::new().time_limit(std::time::Duration::from_secs(20)),
    );
    run.run_blocking();
    drop(run);
    let lines = text.lock().unwrap().lines().map(str::to_string).collect();
    (lines, server)
}

fn main() {
    let (_, server) = run();
    std::thread::sleep(std::time::Duration::from_millis(100));
    println!(
        "(the server saw {} clients give up on slow answers)",
        server.gone()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The program's OUTPUT block.
    fn expected() -> Vec<String> {
        let source =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PROGRAM))
                .unwrap();
        let block = source.split("OUTPUT:\n").nth(1).unwrap();
        block
            .split("-}")
            .next()
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// `text` with its "after N ms" time taken out.
    fn time_of(line: &str) -> (String, Option<i64>) {
        match line.rsplit_once(" after ") {
            Some((text, time)) => (text.to_string(), time.trim_end_matches(" ms").parse().ok()),
            None => (line.to_string(), None),
        }
    }

    #[test]
    fn the_patterns_get_what_they_should_when_they_should() {
        let (lines, server) = run();
        let expected = expected();
        assert_eq!(lines.len(), expected.len(), "{lines:?}");
        for (actual, want) in lines.iter().zip(&expected) {
            let ((a, at), (w, wt)) = (time_of(actual), time_of(want));
            assert_eq!(a, w);
            if let (Some(at), Some(wt)) = (at, wt) {
                // Margins for a busy machine: never early, at most 150 ms
                // late.
                assert!((wt..=wt + 150).contains(&at), "{actual} (expected {want})");
            }
        }
        // The two slow mirrors, the hedge's slow first try and the slow
        // replica were cancelled, and the server saw them go.
        std::thread::sleep(std::time::Duration::from_millis(200));
        let gone = server.gone();
        assert!(gone >= 3, "the server saw {gone} clients give up");
    }
}
