//! orc: an interpreter for the Orc orchestration language.
//!
//! The crate is a library first; the `orc` binary (CLI and REPL) and Rust
//! hosts that embed Orc are both clients of it. See `ARCHITECTURE.md` for the
//! map of modules and the life of a token.

pub mod diagnostics;
pub mod runtime;
pub mod syntax;
