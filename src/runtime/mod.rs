//! The Orc runtime: executes resolved code ([`code`]) with tokens, groups and
//! halting counters ([`engine`], [`eval`]), futures and environments
//! ([`env`]), closures, pattern matching, the site interface ([`site`]) and
//! the clock and timer wheel that `Rwait` uses, and a direct evaluator for
//! functional definitions ([`direct`]).

pub mod clock;
pub mod closure;
pub mod code;
pub mod direct;
pub mod engine;
pub mod env;
mod eval;
pub mod matching;
mod objects;
pub mod site;
pub mod slab;
pub mod vclock;
pub mod wheel;

pub use engine::{Events, KillSwitch, Run, RunOptions, RunOutcome, RuntimeError};
