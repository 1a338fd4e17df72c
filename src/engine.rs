//! The embedding API: compile Orc programs and run them.
//!
//! An [`Engine`] owns the source texts (for diagnostics), the include path
//! and the global scope (built-in sites plus, by default, the prelude).
//! [`Engine::compile_str`] and [`Engine::compile_file`] produce a
//! [`Compiled`] program that can be run any number of times with
//! [`Engine::start`]. [`Engine::declare`] evaluates declarations and keeps
//! the names they bind for later programs (what a REPL needs).

use crate::compile::desugar::desugar_program;
use crate::compile::resolve::{resolve, Globals};
use crate::declare::{DeclareError, Declared, Input};
use crate::diagnostics::{Diagnostic, SourceMap};
use crate::loader::Loader;
use crate::runtime::code::Code;
use crate::runtime::{Events, Run, RunOptions};
use crate::value::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct Engine {
    sources: SourceMap,
    globals: Globals,
    include_dirs: Vec<PathBuf>,
}

/// A compiled program, ready to run (cheap to clone).
#[derive(Clone)]
pub struct Compiled {
    pub(crate) code: Arc<Code>,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Compiled { .. }")
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the built-in sites and the standard prelude.
    pub fn new() -> Engine {
        Engine {
            sources: SourceMap::new(),
            globals: crate::stdlib::prelude_globals().clone(),
            include_dirs: Vec::new(),
        }
    }

    /// An engine with the built-in sites only.
    pub fn without_prelude() -> Engine {
        Engine {
            sources: SourceMap::new(),
            globals: crate::sites::builtins(),
            include_dirs: Vec::new(),
        }
    }

    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    pub fn globals(&self) -> &Globals {
        &self.globals
    }

    /// Binds a global name for programs compiled from now on (a host's
    /// own values or sites; the `orc` command binds `args` this way).
    pub fn define(&mut self, name: impl Into<String>, value: Value) {
        self.globals.insert(name.into(), value);
    }

    pub fn add_include_dir(&mut self, dir: impl Into<PathBuf>) {
        self.include_dirs.push(dir.into());
    }

    pub fn compile_str(&mut self, name: &str, text: &str) -> Result<Compiled, Vec<Diagnostic>> {
        let mut loader = Loader {
            sources: &mut self.sources,
            include_dirs: &self.include_dirs,
            allow_files: true,
        };
        let (_, program) = loader.load_source(name, text, None)?;
        let core = desugar_program(&program)?;
        let code = resolve(&core, &self.globals)?;
        Ok(Compiled { code })
    }

    pub fn compile_file(&mut self, path: &Path) -> Result<Compiled, Vec<Diagnostic>> {
        let mut loader = Loader {
            sources: &mut self.sources,
            include_dirs: &self.include_dirs,
            allow_files: true,
        };
        let (_, program) = loader.load_file(path)?;
        let core = desugar_program(&program)?;
        let code = resolve(&core, &self.globals)?;
        Ok(Compiled { code })
    }

    /// Reads one input of declarations and an optional expression (a REPL
    /// line, a file given to `:load`), splicing in its includes; the text
    /// joins [`Engine::sources`], so diagnostics about it show snippets.
    /// Pass the result to [`Engine::declare`].
    pub fn load_input(&mut self, name: &str, text: &str) -> Result<Input, Vec<Diagnostic>> {
        let mut loader = Loader {
            sources: &mut self.sources,
            include_dirs: &self.include_dirs,
            allow_files: true,
        };
        let (_, program) = loader.load_source(name, text, None)?;
        Ok(Input::new(program))
    }

    /// [`Engine::load_input`] for the contents of a file (its includes are
    /// looked up next to it first).
    pub fn load_input_file(&mut self, path: &Path) -> Result<Input, Vec<Diagnostic>> {
        let mut loader = Loader {
            sources: &mut self.sources,
            include_dirs: &self.include_dirs,
            allow_files: true,
        };
        let (_, program) = loader.load_file(path)?;
        Ok(Input::new(program))
    }

    /// Evaluates the declarations of an input (`val`, `def`, `type`,
    /// `site`, `include`) and adds the names they bind to the engine's
    /// globals, for later inputs and programs. An input that ends with an
    /// expression has it compiled against the new globals and returned, for
    /// the host to run. Either the whole input compiles and every name is
    /// bound, or nothing changes.
    ///
    /// The declarations run (each `val` to its first publication) on a fresh
    /// single-threaded runtime with `events` (their `Print` output and
    /// errors) and `options` (clock, limits, kill switch); so this must not
    /// be called from inside an async runtime.
    pub fn declare(
        &mut self,
        input: Input,
        events: Box<dyn Events>,
        options: RunOptions,
    ) -> Result<Declared, DeclareError> {
        crate::declare::declare(&mut self.globals, input, events, options)
    }

    /// Prepares a run of `program`; drive it with [`Run::run`] (async) or
    /// [`Run::run_blocking`].
    pub fn start(&self, program: &Compiled, events: Box<dyn Events>, options: RunOptions) -> Run {
        Run::new(program.code.clone(), events, options)
    }
}
