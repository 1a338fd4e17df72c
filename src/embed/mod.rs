//! Running Orc from Rust: the host supplies the sites (its services), Orc
//! supplies the orchestration (timeouts, races, fan-outs).
//!
//! 1. Make an [`Engine`](crate::Engine): [`Engine::new`](crate::Engine::new)
//!    for trusted programs (every built-in, `include` of files), or
//!    [`Engine::sandboxed`](crate::Engine::sandboxed) for untrusted ones
//!    ([`sandbox`]).
//! 2. Register host sites ([`host`]): synchronous closures
//!    ([`Engine::register_fn`](crate::Engine::register_fn)), closures that
//!    may halt silently, and async functions run on tokio
//!    ([`Engine::register_async`](crate::Engine::register_async)), whose
//!    futures are dropped when Orc no longer needs their answer.
//! 3. Compile a program once ([`Engine::compile`](crate::Engine::compile))
//!    and run it as often as needed, also concurrently. Compiling takes
//!    `&self`: share the engine (`Arc<Engine>`) between threads that
//!    compile at once. The [`Compiled`](crate::Compiled) program owns its
//!    source texts (for [`Compiled::render_error`](crate::Compiled::render_error));
//!    the engine keeps none, so dropping programs frees them.
//! 4. Run it with [`RunOptions`](crate::RunOptions) (limits, real or
//!    simulated time; [`options`]) as an async [`Stream`] of publications
//!    ([`Execution`]) or, without an async runtime, an iterator
//!    ([`BlockingExecution`]); either ends with a [`RunReport`].
//!
//! Values cross the boundary as [`Value`](crate::Value)s, with `From` and
//! `TryFrom` conversions for common Rust types ([`convert`]; with the
//! `serde` feature, `Value` also implements `Serialize` and `Deserialize`).
//!
//! ```
//! use orc::embed::arity;
//! use orc::{Engine, RunOptions, RunOutcome, Value};
//! use std::time::Duration;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let mut engine = Engine::sandboxed();
//! // A slow service: answers after the given number of milliseconds.
//! engine.register_async("Service", |args| async move {
//!     let [name, delay] = arity::<2>(&args)?;
//!     tokio::time::sleep(Duration::from_millis(u64::try_from(delay)?)).await;
//!     Ok(Value::from(format!("{} answered", String::try_from(name)?)))
//! });
//! // Ask two replicas, take the first answer, give up after 500 ms.
//! let program = engine
//!     .compile(
//!         "race",
//!         r#"{| Service("a", 300) | Service("b", 20) | Rwait(500) >> "timeout" |}"#,
//!     )
//!     .unwrap();
//! let report = engine.execute(&program, RunOptions::new()).finish().await;
//! assert_eq!(report.outcome, RunOutcome::Halted);
//! assert_eq!(report.publications, [Value::from("b answered")]);
//! # }
//! ```
//!
//! [`Stream`]: futures_core::Stream

#![warn(missing_docs)]

pub mod convert;
pub mod execution;
pub mod host;
pub mod options;
pub mod sandbox;
#[cfg(feature = "serde")]
pub mod serde;
pub mod source;

pub use convert::ConversionError;
pub use execution::{BlockingExecution, Event, Execution, RunReport};
pub use host::arity;
pub use sandbox::SANDBOX_BUILTINS;
pub use source::CompileError;
