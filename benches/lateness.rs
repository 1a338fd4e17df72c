//! Real-time timer lateness with 100,000 pending timers.
//!
//! An Orc program starts 100,000 tokens; each reads the clock, waits
//! 1000 + (i mod 1000) ms with `Rwait` and reports how late it woke (in
//! whole milliseconds, the resolution of the wheel and of `Rtime`). Prints
//! the distribution; the target is p99 ≤ 2 ms. Run with
//! `cargo bench --bench lateness`.

use orc::{Engine, Events, RunOptions, RuntimeError, Value};
use std::sync::{Arc, Mutex};

struct Collect(Arc<Mutex<Vec<i64>>>);

impl Events for Collect {
    fn publish(&mut self, value: &Value) {
        if let Value::Int(n) = value {
            self.0.lock().unwrap().push(*n);
        }
    }
    fn print(&mut self, _: &str) {}
    fn error(&mut self, e: &RuntimeError) {
        eprintln!("error: {}", e.message);
    }
}

const PROGRAM: &str = "
  upto(100000) >i> 1000 + i % 1000 >d>
  Rtime() >t0> Rwait(d) >> Rtime() >t1> t1 - t0 - d
";

fn main() {
    let engine = Engine::new();
    let program = engine.compile("lateness.orc", PROGRAM).expect("compiles");
    let lateness = Arc::new(Mutex::new(Vec::new()));
    let mut run = engine.start(
        &program,
        Box::new(Collect(lateness.clone())),
        RunOptions::default(),
    );
    let start = std::time::Instant::now();
    run.run_blocking();
    let wall = start.elapsed();
    let mut l = lateness.lock().unwrap().clone();
    l.sort_unstable();
    let pct = |p: f64| l[((l.len() as f64 - 1.0) * p) as usize];
    println!(
        "lateness over {} timers (ms): p50 {}  p90 {}  p99 {}  max {}  (wall {:.2} s for a longest deadline of 1.999 s)",
        l.len(),
        pct(0.5),
        pct(0.9),
        pct(0.99),
        l.last().copied().unwrap_or(0),
        wall.as_secs_f64()
    );
}
