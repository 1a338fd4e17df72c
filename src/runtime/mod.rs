//! The Orc runtime: executes resolved code ([`code`]) with tokens
//! ([`token`]), groups and halting counters ([`groups`]) under a scheduler
//! ([`engine`]); one step of a token per node ([`eval`], calls in
//! [`call`], what runs without tokens in [`inplace`]); activation records
//! ([`act`]), bindings and futures ([`env`]), closures, pattern matching,
//! the site interface ([`site`]), the clock and timer wheel that `Rwait`
//! uses (and the [`binder`]s it fires for pruned calls), `timeout`'s trim
//! run by one token ([`race`]), and the light frames that let a token run
//! a combinator's watched part itself ([`light`]).
//!
//! Below the run ([`engine`]) and the files that add methods to it lie
//! what they share: the running token's operands (`operands`), the
//! entries of its tables of groups, counters and clocks (`scopes`) and
//! its register code for the expressions it runs in place (`shapes`). The
//! data model that values hold and that holds values (resolved code,
//! closures, bindings and futures, the site interface, the handles a run
//! gives out, and the slab and block pool behind them) lives in
//! [`crate::value`], below the runtime. The [`program`] a run executes
//! is the runtime's.
//!
//! The life of a token is told in `ARCHITECTURE.md`; what follows are the
//! shortcuts that make it cheap.
//!
//! **In place.** A pruning whose right side is a call of an *immediate*
//! site (operators, constructors: pure, never pending) with ready
//! arguments binds its variable directly. More generally an *immediate
//! expression* (constants, variables, conditionals, prunings, matches
//! needing no site and calls of immediate sites, nested at most 32 deep)
//! runs in one pass, as register code (`value/flat.rs`, made by
//! `value/flatten.rs`: for a definition's body as it is resolved, for an
//! expression inside a body the first time the run meets it, with the
//! calls it makes of closures whose bodies are such code and its element
//! reads `a(i)?`, `Site::peek_read`), on the right
//! of a pruning, as an argument and on the left of `>x>`; it gives
//! up, to run with tokens from the start, at the first operand still
//! pending, and reports its errors only if it ran to the end. Integer
//! operator trees skip even that; a member read of a ready value and a definition
//! whose body is one array read `a(i)?` read at once. A method call
//! `v.m(args)` on a library object with ready arguments calls the method
//! directly (`Site::call_member`), and the call's node keeps a
//! `MemberHint` of where the method was found. Operators on two machine
//! integers or two booleans skip building an argument list
//! (`Site::call_ints`, `Site::call_bools`).
//!
//! **Store forwarding.** On the hottest paths a value just written is
//! moved in its parts, not whole: a 16-byte load of an enum just stored
//! as tag and payload waits until the stores reach the cache. So an
//! integer result is written straight into its slot, a site's `Outcome`
//! is matched where the site wrote it, and a loop's argument is moved by
//! its parts. (Instruction counts do not show this; `perf annotate` on
//! cpu-clock samples does.)
//!
//! **`site` definitions.** A call of a `site` definition waits for its
//! arguments like a site call, then runs the body in the *declaring*
//! scope (its group and counter), not the caller's: killing the caller
//! does not stop the body, each publication of the body is one of the
//! call, and when the body halts the call halts. A `site` declaration
//! holds its scope's counter while its group lives; a run whose only
//! obligations left are such holds ends.

mod act;
mod binder;
mod call;
pub mod clock;
pub mod engine;
mod eval;
mod groups;
mod inplace;
mod light;
pub mod matching;
pub use crate::memory;
pub mod objects;
mod operands;
pub mod program;
pub(crate) mod race;
mod scopes;
mod shapes;
mod token;
pub mod trace;
pub mod vclock;
pub mod wheel;

pub use crate::memory::pool::blocks_in_use;
pub use engine::{Events, KillSwitch, Run, RunOptions, RunOutcome, RuntimeError};
pub use memory::MemoryAccounting;
