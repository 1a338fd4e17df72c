//! Orc as the orchestration language of a Rust program: the host supplies
//! a slow, unreliable service (an async site with random latency), and an
//! Orc script asks three replicas at once, takes the first answer and
//! gives up after a deadline. Replicas still working when the answer
//! arrives are cancelled: their futures are dropped, which the host sees.
//!
//! Run it:  cargo run --example embed_fanout

use orc::embed::arity;
use orc::{Engine, RunOptions, SiteError, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The orchestration: ask every replica, keep the first answer, or say
/// that none came within `deadline` milliseconds.
const SCRIPT: &str = r#"
def first_of(replicas, deadline) =
  {| each(replicas) >r> Query(r, key) >answer> Some(answer)
   | Rwait(deadline) >> None() |}

first_of(["eu-1", "eu-2", "us-1"], 250) >result>
( result >Some(answer)> answer
| result >None()> "no replica answered in time" )
"#;

/// Counts the queries the runtime cancelled: dropped before they were
/// done.
struct CancelCounter {
    count: Arc<AtomicUsize>,
    done: bool,
}

impl Drop for CancelCounter {
    fn drop(&mut self) {
        if !self.done {
            self.count.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// One query of a replica: waits for its random latency; one in ten fails.
async fn query(args: Vec<Value>) -> Result<Value, SiteError> {
    let [replica, key] = arity::<2>(&args)?;
    let (replica, key) = (String::try_from(replica)?, String::try_from(key)?);
    let latency = 50 + random_below(400);
    tokio::time::sleep(Duration::from_millis(latency)).await;
    if random_below(10) == 0 {
        return Err(SiteError::new(format!("{replica} is down")));
    }
    Ok(Value::from(format!(
        "{key} from {replica} after {latency} ms"
    )))
}

/// A random number below `n` from the operating system.
fn random_below(n: u64) -> u64 {
    getrandom::u64().map_or(n / 2, |x| x % n)
}

#[tokio::main]
async fn main() {
    let cancelled = Arc::new(AtomicUsize::new(0));
    // Untrusted scripts would get `Engine::sandboxed()`; the host's own
    // sites are available either way.
    let mut engine = Engine::sandboxed();
    let counter = cancelled.clone();
    engine.register_async("Query", move |args| {
        let guard = CancelCounter {
            count: counter.clone(),
            done: false,
        };
        async move {
            // Move the whole guard in (not just the field set below), so
            // that dropping the future drops it.
            let mut guard = guard;
            let answer = query(args).await;
            // Reached only if the query was not cancelled meanwhile.
            guard.done = true;
            answer
        }
    });

    for key in ["alpha", "beta", "gamma"] {
        engine.define("key", Value::from(key));
        // Compiled once per key here; a fixed script could be compiled once
        // and run many times.
        let program = match engine.compile("fanout.orc", SCRIPT) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        let started = Instant::now();
        let report = engine
            .execute(
                &program,
                RunOptions::new().time_limit(Duration::from_secs(5)),
            )
            .finish()
            .await;
        for answer in &report.publications {
            println!(
                "{key}: {} ({} ms)",
                answer.to_plain_string(),
                started.elapsed().as_millis()
            );
        }
        for error in &report.errors {
            println!("{key}: a replica failed: {error}");
        }
    }
    // Give the runtime a moment to drop the aborted queries.
    tokio::time::sleep(Duration::from_millis(20)).await;
    println!(
        "queries cancelled because another replica answered first: {}",
        cancelled.load(Ordering::SeqCst)
    );
}
