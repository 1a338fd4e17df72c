//! What the service tests share: a local HTTP server (the examples' own,
//! `examples/support/http_server.rs`), runs on an engine granting every
//! service, and temporary directories.

#![allow(dead_code)]

#[path = "../../examples/support/http_server.rs"]
mod http_server;

pub use http_server::Server;
use orc::services::Capability;
use orc::{Engine, RunOptions, RunOutcome};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// One server for the tests of a binary.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(Server::start)
}

#[derive(Default)]
pub struct Seen {
    pub published: Vec<String>,
    pub errors: Vec<String>,
}

struct Collect(Arc<Mutex<Seen>>);

impl orc::Events for Collect {
    fn publish(&mut self, v: &orc::Value) {
        self.0.lock().unwrap().published.push(v.to_string());
    }
    fn print(&mut self, _: &str) {}
    fn error(&mut self, e: &orc::RuntimeError) {
        self.0.lock().unwrap().errors.push(e.message.clone());
    }
}

/// Runs `program` (with `BASE` replaced by the shared server's URL) on an
/// engine granting every service: what it published and the errors, and
/// how long it took.
pub fn run(program: &str) -> (Seen, Duration) {
    let mut engine = Engine::new();
    for cap in Capability::ALL {
        engine.grant(cap);
    }
    let source = if program.contains("BASE") {
        program.replace("BASE", &server().url(""))
    } else {
        program.to_string()
    };
    let compiled = engine
        .compile("services", &source)
        .unwrap_or_else(|e| panic!("{program} compiles: {e}"));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut run = engine.start(
        &compiled,
        Box::new(Collect(seen.clone())),
        RunOptions {
            time_limit_ms: Some(20_000),
            ..RunOptions::default()
        },
    );
    let start = Instant::now();
    assert_eq!(run.run_blocking(), RunOutcome::Halted, "{program}");
    let took = start.elapsed();
    drop(run);
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    (seen, took)
}

/// What `program` published; it must have reported no error.
pub fn published(program: &str) -> Vec<String> {
    let (seen, _) = run(program);
    assert!(seen.errors.is_empty(), "{program}: {:?}", seen.errors);
    seen.published
}

/// What `program` published; the errors of the calls that failed on the
/// way are not looked at.
pub fn published_despite_errors(program: &str) -> Vec<String> {
    run(program).0.published
}

/// A fresh directory under the system's temporary directory.
pub fn tempdir() -> std::path::PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "orc-services-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
