//! Compiling source text for a host: [`Engine::compile`] returns a
//! [`CompileError`] that carries the diagnostics and their rendering (with
//! source snippets), so that it can be printed or passed on with `?`.

use crate::diagnostics::{Diagnostic, MAX_REPORTED};
use crate::embed::Execution;
use crate::engine::{Compiled, Engine};
use crate::runtime::RunOptions;
use std::fmt;

/// A program did not compile: syntax errors, unbound or withheld names,
/// includes that could not be read.
#[derive(Clone, Debug)]
pub struct CompileError {
    /// The problems found, in order.
    pub diagnostics: Vec<Diagnostic>,
    rendered: String,
}

impl CompileError {
    fn new(engine: &Engine, diagnostics: Vec<Diagnostic>) -> CompileError {
        let mut rendered = diagnostics
            .iter()
            .take(MAX_REPORTED)
            .map(|d| d.render(engine.sources()))
            .collect::<Vec<_>>()
            .join("\n");
        if diagnostics.len() > MAX_REPORTED {
            let more = diagnostics.len() - MAX_REPORTED;
            rendered.push_str(&format!("\n{more} more problem(s) not shown"));
        }
        CompileError {
            diagnostics,
            rendered,
        }
    }
}

impl fmt::Display for CompileError {
    /// Every diagnostic with its source snippet, as the `orc` command
    /// shows them (without colours): the first
    /// [`MAX_REPORTED`](crate::diagnostics::MAX_REPORTED), each bounded (see
    /// [`crate::diagnostics`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rendered.trim_end())
    }
}

impl std::error::Error for CompileError {}

impl Engine {
    /// Compiles `source` (named `name` in diagnostics) against the engine's
    /// globals: the prelude, built-ins and host sites registered so far.
    /// The result can be run any number of times.
    ///
    /// ```
    /// use orc::Engine;
    ///
    /// let mut engine = Engine::new();
    /// assert!(engine.compile("ok", "1 + 2").is_ok());
    /// let err = engine.compile("bad", "1 + nosuch").unwrap_err();
    /// assert!(err.to_string().contains("unbound variable `nosuch`"));
    /// ```
    pub fn compile(&mut self, name: &str, source: &str) -> Result<Compiled, CompileError> {
        self.compile_str(name, source)
            .map_err(|ds| CompileError::new(self, ds))
    }

    /// Compiles `source` and starts running it (see [`Engine::execute`]).
    pub fn execute_str(
        &mut self,
        name: &str,
        source: &str,
        options: RunOptions,
    ) -> Result<Execution, CompileError> {
        let program = self.compile(name, source)?;
        Ok(self.execute(&program, options))
    }
}
