//! The programs of the computation benchmark (`bench/*.orc`, beside their
//! Python versions in `bench/python/`), run at small sizes: each must
//! publish what its Python version prints for the same size (the expected
//! values below were printed by `python3 bench/python/NAME.py SIZE`).
//! `cargo bench --bench computation` checks the same agreement at full
//! size.

use orc::{Engine, RunOptions, RunOutcome};
use std::sync::{Arc, Mutex};

struct Publications(Arc<Mutex<Vec<String>>>);

impl orc::Events for Publications {
    fn publish(&mut self, v: &orc::Value) {
        self.0.lock().unwrap().push(v.to_string());
    }
    fn print(&mut self, _: &str) {}
    fn error(&mut self, e: &orc::RuntimeError) {
        self.0.lock().unwrap().push(format!("error: {}", e.message));
    }
}

fn check(file: &str, size: u64, python_printed: &str) {
    let path = format!("{}/bench/{file}.orc", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(&path)
        .unwrap()
        .replace("__N__", &size.to_string());
    let engine = Engine::new();
    let program = engine
        .compile(file, &source)
        .unwrap_or_else(|_| panic!("{file} compiles"));
    let out = Arc::new(Mutex::new(Vec::new()));
    let mut run = engine.start(
        &program,
        Box::new(Publications(out.clone())),
        RunOptions {
            time_limit_ms: Some(60_000),
            ..RunOptions::default()
        },
    );
    assert_eq!(run.run_blocking(), RunOutcome::Halted, "{file}");
    assert_eq!(
        *out.lock().unwrap(),
        vec![python_printed.to_string()],
        "{file}"
    );
}

#[test]
fn naive_recursion() {
    check("fib_naive", 15, "610");
    check("deep_sum", 20_000, "200010000");
}

#[test]
fn list_search_with_each() {
    check("sudoku", 0, "1");
}

#[test]
fn exact_decimal_arithmetic() {
    check("mandelbrot", 20, "98");
}

#[test]
fn objects_with_locks() {
    check(
        "kmeans",
        300,
        "[(7609, 7184), (2276, 2656), (7499, 2487), (2387, 7466)]",
    );
}

#[test]
fn list_sieve_and_sort() {
    check("sieve_lists", 2000, "303");
    check("quicksort_lists", 2000, "2000");
}

#[test]
fn array_sort() {
    check("quicksort_arrays", 2000, "true");
}

#[test]
fn channel_as_a_work_queue() {
    check("sssp_channel", 2000, "71877");
}
