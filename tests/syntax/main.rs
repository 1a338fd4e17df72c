//! Tests of the front end: lexer, parser, diagnostics, robustness.

mod diagnostics;
mod forms;
mod fuzz;
mod lexer;
mod nesting;
mod precedence;
mod sexpr;
mod spans;
