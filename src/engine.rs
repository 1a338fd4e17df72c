//! The embedding API: compile Orc programs and run them.
//!
//! An [`Engine`] owns the source texts (for diagnostics), the include path
//! and the global scope (built-in sites plus, by default, the prelude).
//! [`Engine::compile_str`] and [`Engine::compile_file`] produce a
//! [`Compiled`] program that can be run any number of times with
//! [`Engine::start`].

use crate::compile::desugar::desugar_program;
use crate::compile::resolve::{resolve, Globals};
use crate::diagnostics::{Diagnostic, SourceMap};
use crate::loader::Loader;
use crate::runtime::code::Code;
use crate::runtime::{Events, Run, RunOptions};
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

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the built-in sites and the standard prelude.
    pub fn new() -> Engine {
        Engine {
            // The prelude's code refers to its files by the first ids.
            sources: crate::stdlib::prelude_sources().clone(),
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

    /// Prepares a run of `program`; drive it with [`Run::run`] (async) or
    /// [`Run::run_blocking`].
    pub fn start(&self, program: &Compiled, events: Box<dyn Events>, options: RunOptions) -> Run {
        Run::new(program.code.clone(), events, options)
    }
}
