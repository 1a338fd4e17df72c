//! From surface syntax to runnable code: desugaring into the core calculus
//! ([`core`], [`desugar`], with classes in [`classes`]) and name resolution
//! ([`resolve`]), which inlines small global definitions ([`inline`]) and
//! suggests names for unbound ones ([`suggest`]); [`lint`] finds what
//! deserves a warning.
//! None of these passes recurses on the Rust stack in proportion to the
//! program: they run on [`stackless`], or walk with worklists.

pub mod classes;
pub mod core;
pub mod desugar;
mod inline;
pub mod lint;
pub mod resolve;
mod stackless;
pub mod suggest;
