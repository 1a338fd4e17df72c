//! A host that runs programs it did not write (a grader, a notebook, a
//! playground): each in a sandbox (no stdin, files or processes), all at
//! once on one async runtime, each under memory, time, step, output and
//! token limits. Every run ends, whatever the program does, and the host
//! reports how.
//!
//! Run it:  cargo run --release --example embed_untrusted
//! (`cargo test --example embed_untrusted` checks each outcome.)

use orc::{Engine, RunOptions, RunOutcome};
use std::time::{Duration, Instant};

/// Memory limits need the accounting allocator: it charges every
/// allocation to the run executing on the thread that makes it.
#[global_allocator]
static ALLOCATOR: orc::MemoryAccounting = orc::MemoryAccounting;

/// The submissions: a name and the program.
const SUBMISSIONS: &[(&str, &str)] = &[
    (
        "fibonacci",
        "def fib(n) = if n <: 2 then n else fib(n - 1) + fib(n - 2)  fib(20)",
    ),
    ("runaway recursion", "def f(x) = 1 + f(x)  f(1)"),
    ("busy loop", "def spin(n) = spin(n + 1)  spin(0)"),
    (
        "big allocations",
        "def churn() = Array(100000) >> churn()  churn()",
    ),
    (
        "chatty",
        "def say(i) = Println(\"line \" + i) >> say(i + 1)  say(0)",
    ),
    ("fork bomb", "def bomb() = bomb() | bomb()  bomb()"),
    ("sleeper", "Rwait(60000) >> \"awake\""),
    ("reads stdin", "Prompt(\"password?\")"),
];

/// What every submission may use.
fn limits() -> RunOptions {
    RunOptions::new()
        .memory_limit(64 << 20)
        .time_limit(Duration::from_secs(1))
        .max_steps(5_000_000)
        .max_output(4 << 10)
        .max_tokens(10_000)
}

/// How one submission went.
struct Outcome {
    name: &'static str,
    /// How the run ended, or why the program was refused.
    ended: Result<RunOutcome, String>,
    peak_memory: u64,
    output_bytes: usize,
    took: Duration,
}

/// Compiles every submission and runs them all concurrently.
async fn judge() -> Vec<Outcome> {
    let engine = Engine::sandboxed();
    let mut runs = Vec::new();
    let mut refused = Vec::new();
    for &(name, source) in SUBMISSIONS {
        match engine.compile(name, source) {
            Ok(program) => {
                let execution = engine.execute(&program, limits());
                runs.push((
                    name,
                    tokio::spawn(async move {
                        let started = Instant::now();
                        let report = execution.finish().await;
                        (report, started.elapsed())
                    }),
                ));
            }
            Err(error) => refused.push(Outcome {
                name,
                ended: Err(error
                    .diagnostics
                    .first()
                    .map_or_else(|| error.to_string(), |d| d.message.clone())),
                peak_memory: 0,
                output_bytes: 0,
                took: Duration::ZERO,
            }),
        }
    }
    let mut outcomes = Vec::new();
    for (name, run) in runs {
        let (report, took) = run.await.expect("a run never panics");
        outcomes.push(Outcome {
            name,
            ended: Ok(report.outcome),
            peak_memory: report.peak_memory,
            output_bytes: report.output.len(),
            took,
        });
    }
    outcomes.extend(refused);
    outcomes
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let outcomes = judge().await;
    println!(
        "{:<18} {:<22} {:>10} {:>8} {:>8}",
        "submission", "outcome", "peak", "output", "time"
    );
    for o in &outcomes {
        let ended = match &o.ended {
            Ok(outcome) => format!("{outcome:?}"),
            Err(error) => format!("refused: {error}"),
        };
        println!(
            "{:<18} {:<22} {:>6} KiB {:>6} B {:>5} ms",
            o.name,
            match &o.ended {
                Ok(_) => ended.as_str(),
                Err(_) => "refused",
            },
            o.peak_memory >> 10,
            o.output_bytes,
            o.took.as_millis()
        );
    }
    for o in &outcomes {
        if let Err(why) = &o.ended {
            println!("{} was refused: {why}", o.name);
        }
    }
    println!("all {} judged in {:?}", outcomes.len(), started.elapsed());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_submission_ends_as_its_limits_say() {
        let outcomes = judge().await;
        let ended = |name: &str| {
            let o = outcomes.iter().find(|o| o.name == name).unwrap();
            (o.ended.clone(), o)
        };
        assert_eq!(ended("fibonacci").0, Ok(RunOutcome::Halted));
        let (runaway, o) = ended("runaway recursion");
        assert_eq!(runaway, Ok(RunOutcome::MemoryLimit));
        assert!(o.peak_memory < 66 << 20, "{}", o.peak_memory);
        // Five million steps take well under a second on our machines,
        // but a loaded one may reach the time limit first.
        assert!(matches!(
            ended("busy loop").0,
            Ok(RunOutcome::StepLimit | RunOutcome::TimeLimit)
        ));
        assert_eq!(ended("big allocations").0, Ok(RunOutcome::TimeLimit));
        let (chatty, o) = ended("chatty");
        assert_eq!(chatty, Ok(RunOutcome::OutputLimit));
        assert!(o.output_bytes <= 4 << 10);
        assert_eq!(ended("fork bomb").0, Ok(RunOutcome::TokenLimit));
        let (sleeper, o) = ended("sleeper");
        assert_eq!(sleeper, Ok(RunOutcome::TimeLimit));
        // Stopped by its limit, give or take the machine's noise.
        assert!(o.took < Duration::from_millis(2500), "{:?}", o.took);
        let (stdin, _) = ended("reads stdin");
        assert!(stdin.unwrap_err().contains("not available in this sandbox"));
    }
}
