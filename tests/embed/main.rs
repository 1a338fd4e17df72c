//! The embedding API from a host's side: host sites (sync and async) and
//! the cancellation of their calls, runs as streams and iterators, limits,
//! sandboxes and value conversions.

mod capabilities;
mod runs;
mod sandbox;
mod sharing;
mod sites;
mod values;

use orc::{Engine, RunOptions};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Simulated time: deterministic, no waiting.
pub fn sim() -> RunOptions {
    RunOptions::new().simulated_time()
}

/// Sets its flag when dropped: put one in a host future to see whether
/// the runtime dropped it.
pub struct DropGuard(pub Arc<AtomicBool>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Registers `Hang()`: an async site that never answers by itself (it
/// sleeps for an hour) and sets the returned flag when its future is
/// dropped.
pub fn hanging_site(engine: &mut Engine) -> Arc<AtomicBool> {
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = dropped.clone();
    engine.register_async("Hang", move |_args| {
        let guard = DropGuard(flag.clone());
        async move {
            let _guard = guard;
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(orc::Value::from("too late"))
        }
    });
    dropped
}

/// Waits (up to 5 s of real time) for `flag` to be set.
pub async fn eventually(flag: &AtomicBool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if flag.load(Ordering::SeqCst) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    flag.load(Ordering::SeqCst)
}

/// The values as their Orc text.
pub fn shown(values: &[orc::Value]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// Events that go nowhere.
pub struct Ignore;

impl orc::Events for Ignore {
    fn publish(&mut self, _value: &orc::Value) {}
    fn print(&mut self, _text: &str) {}
    fn error(&mut self, _error: &orc::RuntimeError) {}
}
