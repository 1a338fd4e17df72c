//! Front end: lexing and parsing Orc source text into the surface [`ast`].
//!
//! `lexer` turns text into tokens (logos); `parser` runs the LALRPOP grammar
//! in `grammar/orc.lalrpop` over them and converts parse errors into
//! [`crate::diagnostics::Diagnostic`]s.

pub mod ast;
pub mod lexer;
pub mod parser;

pub use parser::{parse_expr, parse_module, parse_program};
