//! From surface syntax to runnable code: desugaring into the core calculus
//! ([`core`], [`desugar`], with classes in [`classes`]) and name resolution
//! ([`resolve`]).

pub mod classes;
pub mod core;
pub mod desugar;
pub mod resolve;
