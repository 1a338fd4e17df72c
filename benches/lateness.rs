//! Real-time timer lateness, in microseconds, with 0, 1,000 and 100,000
//! other timers pending.
//!
//! For each count, an Orc program starts that many tokens waiting an hour
//! (they stay pending in the wheel), and beside them one token waits 200
//! times in a row for 1 to 5 ms with `Rwait`, reading a host clock
//! (`Micros()`, microseconds) before and after each wait; the host
//! records how much later than asked each wait ended. A trim ends the run
//! when the measurements are done. Prints p50, p99 and max per count, and
//! the wall time of 1,000 sequential `Rwait(1)` beside tokio's own
//! `sleep(1 ms)` loop (the physical limit is 1.0 s). Run with `cargo bench --bench lateness`.

use orc::embed::arity;
use orc::{Engine, Events, RunOptions, RuntimeError, Value};
use std::sync::{Arc, Mutex};
use std::time::Instant;

struct Quiet;

impl Events for Quiet {
    fn publish(&mut self, _: &Value) {}
    fn print(&mut self, _: &str) {}
    fn error(&mut self, e: &RuntimeError) {
        eprintln!("error: {}", e.message);
    }
}

const PROGRAM: &str = "
  def measure(0) = signal
  def measure(k) =
    val d = 1 + k % 5
    Micros() >t0> Rwait(d) >> Micros() >t1> Late(t1 - t0 - d * 1000) >> measure(k - 1)
  {| (upto(__PENDING__) >> Rwait(3600000) >> stop) | measure(200) |}
";

const SEQUENTIAL: &str = "
  def loop(0) = signal
  def loop(n) = Rwait(1) >> loop(n - 1)
  loop(1000)
";

fn engine(late: Arc<Mutex<Vec<i64>>>) -> Engine {
    let origin = Instant::now();
    let mut engine = Engine::new();
    engine
        .register_fn("Micros", move |args| {
            arity::<0>(args)?;
            Ok(Value::from(origin.elapsed().as_micros() as i64))
        })
        .register_fn("Late", move |args| {
            let [us] = arity::<1>(args)?;
            if let Value::Int(us) = us {
                late.lock().unwrap().push(*us);
            }
            Ok(Value::Signal)
        });
    engine
}

fn main() {
    for pending in [0, 1_000, 100_000] {
        let late = Arc::new(Mutex::new(Vec::new()));
        let engine = engine(late.clone());
        let source = PROGRAM.replace("__PENDING__", &pending.to_string());
        let program = engine.compile("lateness.orc", &source).expect("compiles");
        let mut run = engine.start(&program, Box::new(Quiet), RunOptions::default());
        run.run_blocking();
        let mut l = late.lock().unwrap().clone();
        l.sort_unstable();
        let pct = |p: f64| l[((l.len() as f64 - 1.0) * p) as usize];
        println!(
            "{pending:>7} pending: lateness over {} waits (µs): min {}  p50 {}  p99 {}  max {}",
            l.len(),
            l[0],
            pct(0.5),
            pct(0.99),
            l.last().copied().unwrap_or(0),
        );
    }
    let engine = engine(Arc::new(Mutex::new(Vec::new())));
    let program = engine
        .compile("sequential.orc", SEQUENTIAL)
        .expect("compiles");
    let mut run = engine.start(&program, Box::new(Quiet), RunOptions::default());
    let start = Instant::now();
    run.run_blocking();
    let ours = start.elapsed();
    // The peer: tokio's own sleep, 1,000 times in a row on a current-thread
    // runtime.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let start = Instant::now();
    rt.block_on(async {
        for _ in 0..1000 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    });
    println!(
        "1,000 sequential 1 ms waits: Rwait {:.3} s, tokio::time::sleep {:.3} s (wall; the limit is 1.000 s)",
        ours.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
}
