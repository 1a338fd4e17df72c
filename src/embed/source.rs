//! Compile errors for hosts: [`Engine::compile`] (and every other way of
//! compiling) fails with a [`CompileError`] that carries the diagnostics,
//! the source texts they point into and their rendering (with source
//! snippets), so that it can be printed or passed on with `?`. The engine
//! keeps no program's texts: the error holds the failed program's own.

use crate::diagnostics::{Diagnostic, SourceMap, MAX_REPORTED};
use crate::embed::Execution;
use crate::engine::Engine;
use crate::runtime::RunOptions;
use std::fmt;

/// A program did not compile: syntax errors, unbound or withheld names,
/// includes that could not be read.
#[derive(Clone, Debug)]
pub struct CompileError {
    /// The problems found, in order.
    pub diagnostics: Vec<Diagnostic>,
    sources: SourceMap,
    rendered: String,
}

impl CompileError {
    pub(crate) fn new(diagnostics: Vec<Diagnostic>, sources: SourceMap) -> CompileError {
        let mut rendered = diagnostics
            .iter()
            .take(MAX_REPORTED)
            .map(|d| d.render(&sources))
            .collect::<Vec<_>>()
            .join("\n");
        if diagnostics.len() > MAX_REPORTED {
            let more = diagnostics.len() - MAX_REPORTED;
            rendered.push_str(&format!("\n{more} more problem(s) not shown"));
        }
        CompileError {
            diagnostics,
            sources,
            rendered,
        }
    }

    /// The source texts the diagnostics point into (the program's files,
    /// as far as they were read, and the engine's shared ones): to render
    /// them another way, e.g. [`Diagnostic::report`] with colours.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
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
    /// Compiles `source` and starts running it (see [`Engine::execute`]).
    pub fn execute_str(
        &self,
        name: &str,
        source: &str,
        options: RunOptions,
    ) -> Result<Execution, CompileError> {
        let program = self.compile(name, source)?;
        Ok(self.execute(&program, options))
    }
}
