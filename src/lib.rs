//! orc: an interpreter for the Orc orchestration language.
//!
//! The crate is a library first; the `orc` binary (CLI and REPL) and Rust
//! hosts that embed Orc are both clients of it. See `ARCHITECTURE.md` for the
//! map of modules and the life of a token, and [`embed`] for running Orc
//! from a Rust program with host sites.

pub mod compile;
pub mod declare;
pub mod diagnostics;
pub mod embed;
pub mod engine;
pub mod loader;
pub mod memory;
pub mod runtime;
pub mod services;
pub mod sites;
pub mod stdlib;
pub mod syntax;
pub mod value;

pub use declare::{DeclareError, Input};
pub use embed::{BlockingExecution, CompileError, ConversionError, Event, Execution, RunReport};
pub use engine::{Compiled, Declared, Engine};
pub use runtime::{Events, KillSwitch, MemoryAccounting, RunOptions, RunOutcome, RuntimeError};
pub use value::site::SiteError;
pub use value::Value;
