//! Computation next to CPython: deep non-tail recursion, a functional
//! quicksort on lists, and a suite of real programs of the kinds the
//! reference's research compiler was measured on (list search with
//! `each`, exact-decimal arithmetic, objects with locks, list and Array
//! sorts and sieves, a channel as a work queue, naive recursion), each Orc
//! program beside the same algorithm written the way a Python user would
//! (`bench/python/*.py`).
//!
//! Every measurement is a fresh process: for Orc, this same binary with
//! `--child` (it compiles and runs the program with the library, as
//! `orc run` does, with the same allocator, which charges each run its
//! memory, and no other thread); for Python, `python3` (or `$PYTHON`). The parent waits
//! for each with `wait4`, which gives the child's CPU time (user + system)
//! and peak resident memory. Each is run 5 times, Orc and Python taking
//! turns, and the medians are printed with the ratios. Run with `cargo
//! bench --bench computation` (a minute or two); pass a name to run only
//! the cases containing it, e.g. `cargo bench --bench computation -- sum`.
//! The depth rows also check that time grows linearly with depth: the
//! time at 300,000 should be at most 12 times the time at 30,000. The
//! suite's rows (`suite: true`) end with their geometric mean.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

const REPEATS: usize = 5;

/// As in the `orc` binary: what the Orc programs are measured with.
#[global_allocator]
static ALLOCATOR: orc::MemoryAccounting = orc::MemoryAccounting;

/// A case: its name, the Orc program (with `__N__` for its size), the
/// Python program (taking the size as its argument), the size, and
/// whether it counts in the suite's geometric mean.
struct Case {
    name: &'static str,
    orc: &'static str,
    python: &'static str,
    n: u64,
    suite: bool,
}

/// A case of the suite: `bench/NAME.orc` beside `bench/python/NAME.py`.
macro_rules! suite {
    ($name:literal, $file:literal, $n:expr) => {
        Case {
            name: $name,
            orc: concat!("bench/", $file, ".orc"),
            python: concat!("bench/python/", $file, ".py"),
            n: $n,
            suite: true,
        }
    };
}

const CASES: &[Case] = &[
    Case {
        name: "deep_sum_30k",
        orc: "bench/deep_sum.orc",
        python: "bench/python/deep_sum.py",
        n: 30_000,
        suite: false,
    },
    Case {
        name: "deep_sum_300k",
        orc: "bench/deep_sum.orc",
        python: "bench/python/deep_sum.py",
        n: 300_000,
        suite: false,
    },
    Case {
        name: "deep_sum_1m",
        orc: "bench/deep_sum.orc",
        python: "bench/python/deep_sum.py",
        n: 1_000_000,
        suite: true,
    },
    Case {
        name: "quicksort_lists_100k",
        orc: "bench/quicksort_lists.orc",
        python: "bench/python/quicksort_lists.py",
        n: 100_000,
        suite: true,
    },
    suite!("fib_naive_30", "fib_naive", 30),
    suite!("sudoku_each", "sudoku", 2),
    suite!("mandelbrot_decimal_200", "mandelbrot", 200),
    suite!("kmeans_locks_20k", "kmeans", 20_000),
    suite!("sieve_lists_30k", "sieve_lists", 30_000),
    suite!("quicksort_arrays_100k", "quicksort_arrays", 100_000),
    suite!("sssp_channel_100k", "sssp_channel", 100_000),
];

/// In the child: compile and run one Orc program, printing what it
/// publishes.
fn child(file: &str, n: &str) {
    let source = std::fs::read_to_string(file)
        .expect("benchmark program")
        .replace("__N__", n);
    let engine = orc::Engine::new();
    let program = engine
        .compile("bench", &source)
        .expect("benchmark compiles");
    struct Print;
    impl orc::Events for Print {
        fn publish(&mut self, v: &orc::Value) {
            println!("{v}");
        }
        fn print(&mut self, _: &str) {}
        fn error(&mut self, e: &orc::RuntimeError) {
            eprintln!("error: {}", e.message);
        }
    }
    let mut run = engine.start(&program, Box::new(Print), orc::RunOptions::default());
    run.run_blocking();
}

struct Sample {
    cpu: Duration,
    max_rss_kb: u64,
    output: String,
}

/// Runs `cmd` to its end: what it printed, its CPU time and peak memory.
/// (The child is waited for with `wait4`, for its resource usage, which
/// `Child::wait` does not give.)
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> Sample {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .spawn()
        .expect("child starts");
    let mut output = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut output).expect("child output");
    }
    let mut status = 0;
    // SAFETY: wait4 only writes into the status and the struct we pass,
    // for a child of ours that std will not wait for again.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut u) };
    assert_eq!(got, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child failed"
    );
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Sample {
        cpu: tv(u.ru_utime) + tv(u.ru_stime),
        max_rss_kb: u.ru_maxrss as u64,
        output: output.trim().to_string(),
    }
}

fn median(mut xs: Vec<Sample>) -> Sample {
    xs.sort_by_key(|s| s.cpu);
    xs.swap_remove(xs.len() / 2)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1], &args[i + 2]);
        return;
    }
    let filter: Vec<&String> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let exe = std::env::current_exe().expect("own path");
    println!("| case | orc CPU ms | orc peak MB | CPython CPU ms | CPython peak MB | CPU ratio | memory ratio |");
    println!("|---|---|---|---|---|---|---|");
    let mut depth = Vec::new();
    let mut ratios = Vec::new();
    for case in CASES {
        if !filter.is_empty() && !filter.iter().any(|f| case.name.contains(f.as_str())) {
            continue;
        }
        let n = case.n.to_string();
        let (mut orcs, mut pys) = (Vec::new(), Vec::new());
        for _ in 0..REPEATS {
            orcs.push(measure(Command::new(&exe).args(["--child", case.orc, &n])));
            pys.push(measure(Command::new(&python).args([case.python, &n])));
        }
        let (orc, py) = (median(orcs), median(pys));
        assert_eq!(orc.output, py.output, "{}: the two disagree", case.name);
        let mb = |kb: u64| format!("{:.1}", kb as f64 / 1024.0);
        let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
        println!(
            "| {} | {} | {} | {} | {} | {:.2} | {:.2} |",
            case.name,
            ms(orc.cpu),
            mb(orc.max_rss_kb),
            ms(py.cpu),
            mb(py.max_rss_kb),
            orc.cpu.as_secs_f64() / py.cpu.as_secs_f64().max(1e-9),
            orc.max_rss_kb as f64 / py.max_rss_kb.max(1) as f64
        );
        if case.suite {
            ratios.push(orc.cpu.as_secs_f64() / py.cpu.as_secs_f64().max(1e-9));
        }
        if case.name.starts_with("deep_sum") {
            depth.push((case.n, orc.cpu));
        }
    }
    if !ratios.is_empty() {
        let mean = (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp();
        let worst = ratios.iter().cloned().fold(0.0, f64::max);
        println!(
            "\nsuite: geometric mean of the CPU ratios {mean:.2} over {} programs, worst {worst:.2} (target: below 1.0, none above 3.0)",
            ratios.len()
        );
    }
    let at = |n: u64| depth.iter().find(|d| d.0 == n).map(|d| d.1);
    if let (Some(a), Some(b)) = (at(30_000), at(300_000)) {
        println!(
            "\ndepth scaling: 300,000 deep takes {:.1}x the time of 30,000 deep (linear: 10x; target at most 12x)",
            b.as_secs_f64() / a.as_secs_f64().max(1e-9)
        );
    }
}
