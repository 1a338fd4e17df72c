//! The Orc workloads of `bench/*.orc`, each measured side by side with the
//! equivalent hand-written tokio program where there is one.
//!
//! Every measurement runs in a fresh child process (this same binary, with
//! the workload's name as argument), which reports its CPU time (user +
//! system, from `getrusage`), its peak resident memory and its wall time.
//! The parent runs each several times (5, or 11 for programs under 300 ms),
//! the Orc and tokio programs taking turns, and prints medians and the
//! ratio to tokio. Run with `cargo bench
//! --bench workloads` (about a minute); pass a workload name to run only
//! that one, e.g. `cargo bench --bench workloads -- ring`.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs of each program: more for the short ones, whose times vary most
/// with the shared machine's load.
const REPEATS: usize = 5;
const SHORT_REPEATS: usize = 11;
const SHORT: Duration = Duration::from_millis(300);

/// A workload: its name, its Orc program, and its tokio equivalent.
type Workload = (&'static str, &'static str, Option<fn()>);

const WORKLOADS: &[Workload] = &[
    ("timers_100k", "bench/timers.orc", Some(tokio_timers)),
    ("timeouts_20k", "bench/timeouts.orc", Some(tokio_timeouts)),
    ("pending_1m", "bench/pending_1m.orc", Some(tokio_pending)),
    ("ring_503x100k", "bench/ring.orc", Some(tokio_ring)),
    ("channel_200k", "bench/channel.orc", Some(tokio_channel)),
    ("fib_25", "bench/fib.orc", None),
    ("quicksort_20k", "bench/quicksort.orc", None),
    ("startup", "bench/startup.orc", None),
];

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio runtime")
}

/// 100,000 tasks, each sleeping (i % 500) ms, counted down to zero.
fn tokio_timers() {
    current_thread().block_on(async {
        let left = Arc::new(AtomicUsize::new(100_000));
        let done = Arc::new(tokio::sync::Notify::new());
        for i in 0..100_000u64 {
            let (left, done) = (left.clone(), done.clone());
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(i % 500)).await;
                if left.fetch_sub(1, Ordering::AcqRel) == 1 {
                    done.notify_one();
                }
            });
        }
        done.notified().await;
    });
}

/// 1,000,000 tasks sleeping 1000 + (i % 1000) ms, all pending at once.
fn tokio_pending() {
    current_thread().block_on(async {
        let tasks: Vec<_> = (0..1_000_000u64)
            .map(|i| {
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(1000 + i % 1000)).await;
                })
            })
            .collect();
        for t in tasks {
            let _ = t.await;
        }
    });
}

/// 20,000 timeouts of 200 ms around sleeps of 100 or 300 ms.
fn tokio_timeouts() {
    let timed_out = current_thread().block_on(async {
        let mut tasks = Vec::with_capacity(20_000);
        for i in 0..20_000u64 {
            let d = if i % 2 == 0 { 100 } else { 300 };
            tasks.push(tokio::spawn(async move {
                tokio::time::timeout(
                    Duration::from_millis(200),
                    tokio::time::sleep(Duration::from_millis(d)),
                )
                .await
                .is_err()
            }));
        }
        let mut n = 0;
        for t in tasks {
            n += t.await.unwrap_or(false) as usize;
        }
        n
    });
    assert_eq!(timed_out, 10_000);
}

/// A ring of 503 tasks and channels passing a counter 100,000 times.
fn tokio_ring() {
    current_thread().block_on(async {
        let n = 503;
        let (txs, rxs): (Vec<_>, Vec<_>) = (0..n)
            .map(|_| tokio::sync::mpsc::unbounded_channel::<u64>())
            .unzip();
        let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
        for (i, mut rx) in rxs.into_iter().enumerate() {
            let next = txs[(i + 1) % n].clone();
            let done = done_tx.clone();
            tokio::spawn(async move {
                while let Some(k) = rx.recv().await {
                    if k == 0 {
                        let _ = done.send(());
                        return;
                    }
                    let _ = next.send(k - 1);
                }
            });
        }
        let _ = txs[0].send(100_000);
        done_rx.recv().await;
    });
}

/// 200,000 messages from a producer task to a consumer task.
fn tokio_channel() {
    let sum = current_thread().block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<u64>();
        tokio::spawn(async move {
            for i in 0..200_000u64 {
                let _ = tx.send(i);
            }
        });
        let mut sum = 0;
        while let Some(x) = rx.recv().await {
            sum += x;
        }
        sum
    });
    assert_eq!(sum, 19_999_900_000);
}

fn run_orc(file: &str) {
    let engine = orc::Engine::new();
    let program = engine
        .compile_file(std::path::Path::new(file))
        .expect("benchmark compiles");
    struct Quiet;
    impl orc::Events for Quiet {
        fn publish(&mut self, _: &orc::Value) {}
        fn print(&mut self, _: &str) {}
        fn error(&mut self, e: &orc::RuntimeError) {
            eprintln!("error: {}", e.message);
        }
    }
    let mut run = engine.start(&program, Box::new(Quiet), orc::RunOptions::default());
    run.run_blocking();
}

struct Sample {
    cpu: Duration,
    wall: Duration,
    max_rss_kb: u64,
}

fn rusage() -> (Duration, u64) {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (tv(u.ru_utime) + tv(u.ru_stime), u.ru_maxrss as u64)
}

/// In the child: run one workload once and print its measurements.
fn child(which: &str, imp: &str) {
    let (name, file, tokio_fn) = WORKLOADS
        .iter()
        .find(|w| w.0 == which)
        .expect("known workload");
    let (cpu0, _) = rusage();
    let start = Instant::now();
    match imp {
        "orc" => run_orc(file),
        _ => tokio_fn.expect("has a tokio version")(),
    }
    let wall = start.elapsed();
    let (cpu1, rss) = rusage();
    println!(
        "{name} {} {} {rss}",
        (cpu1 - cpu0).as_micros(),
        wall.as_micros()
    );
}

fn measure(which: &str, imp: &str) -> Sample {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .args(["--child", which, imp])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    let f: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    if f.len() != 3 {
        panic!(
            "child {which}/{imp} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Sample {
        cpu: Duration::from_micros(f[0]),
        wall: Duration::from_micros(f[1]),
        max_rss_kb: f[2],
    }
}

fn median(mut xs: Vec<Sample>) -> Sample {
    xs.sort_by_key(|s| s.cpu);
    xs.swap_remove(xs.len() / 2)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
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
    println!("| workload | orc CPU ms | orc wall ms | orc peak MB | tokio CPU ms | tokio wall ms | tokio peak MB | CPU ratio | memory ratio |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, _, tokio_fn) in WORKLOADS {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        // The two programs take turns, so that a change in the machine's
        // load (it is shared) falls on both alike.
        let (mut orcs, mut tokios) = (Vec::new(), Vec::new());
        let mut repeats = REPEATS;
        while orcs.len() < repeats {
            orcs.push(measure(name, "orc"));
            if tokio_fn.is_some() {
                tokios.push(measure(name, "tokio"));
            }
            if orcs.len() == 1 && orcs[0].wall < SHORT {
                repeats = SHORT_REPEATS;
            }
        }
        let orc = median(orcs);
        let mb = |kb: u64| format!("{:.1}", kb as f64 / 1024.0);
        match tokio_fn {
            Some(_) => {
                let tk = median(tokios);
                println!(
                    "| {name} | {} | {} | {} | {} | {} | {} | {:.2} | {:.2} |",
                    ms(orc.cpu),
                    ms(orc.wall),
                    mb(orc.max_rss_kb),
                    ms(tk.cpu),
                    ms(tk.wall),
                    mb(tk.max_rss_kb),
                    orc.cpu.as_secs_f64() / tk.cpu.as_secs_f64().max(1e-9),
                    orc.max_rss_kb as f64 / tk.max_rss_kb.max(1) as f64
                );
            }
            None => println!(
                "| {name} | {} | {} | {} | – | – | – | – | – |",
                ms(orc.cpu),
                ms(orc.wall),
                mb(orc.max_rss_kb)
            ),
        }
    }
}
