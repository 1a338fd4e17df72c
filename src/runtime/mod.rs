//! The Orc runtime: executes resolved code ([`code`]) with tokens
//! ([`token`]), groups and halting counters ([`groups`]) under a scheduler
//! ([`engine`]); one step of a token per node ([`eval`], calls in
//! [`call`], what runs without tokens in [`inplace`]); activation records
//! ([`act`]), bindings and futures ([`env`]), closures, pattern matching,
//! the site interface ([`site`]), the clock and timer wheel that `Rwait`
//! uses (and the [`binder`]s it fires for pruned calls), `timeout`'s trim
//! run by one token ([`race`]), and the light frames that let a token run
//! a combinator's watched part itself ([`light`]).

mod act;
mod binder;
mod call;
pub mod clock;
pub mod closure;
pub mod code;
pub mod engine;
pub mod env;
mod eval;
mod groups;
mod inplace;
mod light;
pub mod matching;
pub mod memory;
mod objects;
mod pool;
pub(crate) mod race;
pub mod site;
pub mod slab;
mod token;
pub mod trace;
pub mod vclock;
pub mod wheel;

pub use engine::{Events, KillSwitch, Run, RunOptions, RunOutcome, RuntimeError};
pub use memory::MemoryAccounting;
pub use pool::blocks_in_use;
