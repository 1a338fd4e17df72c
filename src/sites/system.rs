//! Sites that talk to the system: randomness (`Random`, `URandom`,
//! `UUID`), `OrcVersion`, and `Prompt` (a line from standard input).
//!
//! Randomness comes from the operating system (`getrandom`), or for
//! `Random` and `URandom` from a seeded generator ([`seeded`]). `Prompt`
//! reads on a thread of its own, so a waiting prompt never holds up the
//! engine; a prompt killed while it waits leaves that thread to finish its
//! read, and the line it reads is dropped.

use super::site_value;
use super::util::{arity, expected, func, site, str_arg};
use crate::value::site::{Outcome, SiteCx, SiteError};
use crate::value::{Decimal, Value};
use std::sync::{Arc, Mutex};

/// Where `Random` and `URandom` take their bits: the operating system, or
/// a generator started from a seed (`orc --seed N`,
/// [`crate::Engine::seed_random`]), which gives the same numbers in the
/// same order of calls.
#[derive(Clone)]
enum Source {
    System,
    Seeded(Arc<Mutex<SplitMix64>>),
}

/// SplitMix64 (Steele, Lea and Flood): a 64-bit state stepped by a
/// constant and mixed; fast, and good enough for programs that want
/// reproducible choices (not for secrets).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Source {
    fn u64(&self, name: &str) -> Result<u64, SiteError> {
        match self {
            Source::System => getrandom::u64()
                .map_err(|e| SiteError::new(format!("{name}: no randomness available: {e}"))),
            Source::Seeded(g) => Ok(g.lock().unwrap_or_else(|e| e.into_inner()).next()),
        }
    }

    /// Uniform in `0..n` (`n > 0`), without modulo bias.
    fn below(&self, name: &str, n: u64) -> Result<u64, SiteError> {
        let zone = u64::MAX - (u64::MAX - n + 1) % n;
        loop {
            let x = self.u64(name)?;
            if x <= zone {
                return Ok(x % n);
            }
        }
    }
}

/// `Random()`: any 32-bit integer. `Random(n)`: uniform in `[0, n)`; halts
/// when `n` is 0, as the reference documents.
struct RandomSite(Source);

site!(impl RandomSite as "Random" {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        let r = match args {
            [] => self
                .0
                .u64("Random")
                .map(|x| Value::Int(x as u32 as i32 as i64)),
            [Value::Int(0)] => return Outcome::Halt,
            [Value::Int(n)] if *n > 0 => self
                .0
                .below("Random", *n as u64)
                .map(|x| Value::Int(x as i64)),
            [other] => Err(expected("Random", "a non-negative integer bound", other)),
            _ => Err(SiteError::new(format!(
                "Random expects 0 or 1 arguments, but was called with {}",
                args.len()
            ))),
        };
        r.into()
    }
});

/// `URandom()`: uniform in `[0, 1)`.
struct URandomSite(Source);

site!(impl URandomSite as "URandom" {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        let r = arity::<0>("URandom", args).and_then(|_| {
            // 53 random bits: every double in [0, 1) that is a multiple of 2^-53.
            let x = (self.0.u64("URandom")? >> 11) as f64 / (1u64 << 53) as f64;
            Decimal::from_f64(x)
                .map(Value::decimal)
                .ok_or_else(|| SiteError::new("URandom: no number"))
        });
        r.into()
    }
});

/// `Random` and `URandom` drawing from one generator started from `seed`.
pub fn seeded(seed: u64) -> Vec<(&'static str, Value)> {
    let source = Source::Seeded(Arc::new(Mutex::new(SplitMix64(seed))));
    vec![
        ("Random", site_value(RandomSite(source.clone()))),
        ("URandom", site_value(URandomSite(source))),
    ]
}

/// A random (version 4) UUID in its usual text form.
pub fn uuid_v4() -> Result<String, SiteError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| SiteError::new(format!("UUID: no randomness available: {e}")))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

fn orc_version(args: &[Value]) -> Result<Value, SiteError> {
    arity::<0>("OrcVersion", args)?;
    Ok(Value::str(&format!(
        "orc {}\nAn interpreter for the Orc orchestration language (Orc 2.1), written in Rust",
        env!("CARGO_PKG_VERSION")
    )))
}

/// `Prompt(message)`: shows the message and publishes the next line of
/// standard input (without its line ending); halts at end of input.
struct Prompt;

site!(impl Prompt as "Prompt" {
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        let msg = match arity::<1>("Prompt", args).and_then(|[m]| str_arg("Prompt", m)) {
            Ok(m) => m,
            Err(e) => return Outcome::Error(e),
        };
        let sep = if msg.is_empty() || msg.ends_with(char::is_whitespace) {
            ""
        } else {
            " "
        };
        cx.print(&format!("{msg}{sep}"));
        let (tx, rx) = tokio::sync::oneshot::channel();
        // A plain thread, not spawn_blocking: a read still waiting when the
        // run ends must not hold up the runtime's shutdown.
        let spawned = std::thread::Builder::new()
            .name("orc-prompt".into())
            .spawn(move || {
                let mut line = String::new();
                let got = match std::io::stdin().read_line(&mut line) {
                    Ok(0) | Err(_) => None,
                    Ok(_) => {
                        let end = line.trim_end_matches(['\n', '\r']).len();
                        line.truncate(end);
                        Some(line)
                    }
                };
                let _ = tx.send(got);
            });
        if let Err(e) = spawned {
            return Outcome::Error(SiteError::new(format!("Prompt: cannot read input: {e}")));
        }
        cx.spawn(async move {
            match rx.await {
                Ok(Some(line)) => Outcome::Publish(Value::str(&line)),
                _ => Outcome::Halt,
            }
        })
    }
});

pub fn sites() -> Vec<(&'static str, Value)> {
    vec![
        ("Random", site_value(RandomSite(Source::System))),
        ("URandom", site_value(URandomSite(Source::System))),
        func("UUID", |args| {
            arity::<0>("UUID", args)?;
            uuid_v4().map(|s| Value::str(&s))
        }),
        func("OrcVersion", orc_version),
        ("Prompt", site_value(Prompt)),
    ]
}
