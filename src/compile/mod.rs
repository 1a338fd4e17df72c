//! From surface syntax to runnable code: desugaring into the core calculus
//! ([`core`], [`desugar`], with classes in [`classes`]) and name resolution
//! ([`resolve`]), which inlines small global definitions ([`inline`]) and
//! suggests names for unbound ones ([`suggest`]), all against the
//! globals of a [`scope`]; [`lint`] finds what deserves a warning.
//!
//! # Large programs
//!
//! A program may be large in every direction: 300,000 `val`s (each nests
//! the rest of the program one level deeper in the core term), 100,000
//! `def`s in one group, a generated sum of 100,000 terms, an `else if`
//! chain, thousands of nested definitions. No pass recurses on the Rust
//! stack in proportion to the program, and none takes quadratic time:
//!
//! - the parser is table-driven (LALRPOP keeps its stack on the heap).
//!   Expressions nest without limit; patterns, types, class expressions
//!   and declarations nested in one another are bounded at
//!   `MAX_DEPTH` levels (`syntax/parser/build.rs`), since
//!   their passes (and the run-time matcher) recurse over them;
//! - desugaring ([`desugar`], [`classes`]) and resolution ([`resolve`])
//!   are written in continuation-passing style and run by [`stackless`]:
//!   where a pass would recurse it returns the subtree and a boxed
//!   continuation, kept on a heap stack, in the order the recursive code
//!   would have run (so fresh names and diagnostics come out the same);
//! - every other walk at compile time (printing core, `mentions`, the
//!   analyses of resolved code, splicing includes) uses a worklist; shape
//!   checks look at a bounded number of nodes; inlining copies bodies of
//!   at most 12 nodes;
//! - `Drop` of an `Expr`, a `Core` and a `Code` takes the tree apart with
//!   a worklist, with a fast path for nodes whose subtrees are leaves;
//! - names are resolved through one hash table of the bindings in scope,
//!   so a lookup does not scan the locals, siblings or captures;
//! - constant folding builds no value nested more than 200 deep and looks
//!   at no more than 4,096 parts of its arguments.
//!
//! `tests/large_programs.rs` compiles and runs such programs on 2 MiB
//! test threads; `tests/syntax/nesting.rs` checks the parser's bounds.

pub mod classes;
pub mod core;
pub mod desugar;
mod inline;
pub mod lint;
mod race;
pub mod resolve;
pub mod scope;
mod stackless;
pub mod suggest;
