//! From surface syntax to runnable code: desugaring into the core calculus
//! ([`core`], [`desugar`]) and name resolution ([`resolve`]).

pub mod core;
pub mod desugar;
pub mod resolve;
