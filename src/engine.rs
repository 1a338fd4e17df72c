//! The embedding API: compile Orc programs and run them.
//!
//! An [`Engine`] owns the source texts (for diagnostics), the include path
//! and the global scope (built-in sites plus, by default, the prelude).
//! [`Engine::compile_str`] and [`Engine::compile_file`] produce a
//! [`Compiled`] program that can be run any number of times with
//! [`Engine::start`]. [`Engine::declare`] evaluates declarations and keeps
//! the names they bind for later programs (what a REPL needs).
//!
//! The prelude's definitions join an engine's globals as its inputs name
//! them (see [`crate::stdlib`]): an engine pays only for what it uses.
//!
//! Rust hosts mostly use the methods that [`crate::embed`] adds: host sites
//! (`register_fn`, `register_async`), runs as streams or iterators
//! (`execute`, `execute_blocking`) and sandboxes (`sandboxed`).

use crate::compile::desugar::desugar_program_in;
use crate::compile::resolve::{resolve, Globals};
use crate::declare::{DeclareError, Declared, Input};
use crate::diagnostics::{Diagnostic, SourceMap};
use crate::loader::Loader;
use crate::runtime::code::Program;
use crate::runtime::{Events, Run, RunOptions};
use crate::value::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Compiles programs against a global scope and starts their runs. See
/// [`crate::embed`] for running Orc from a Rust program.
pub struct Engine {
    sources: SourceMap,
    pub(crate) globals: Globals,
    include_dirs: Vec<PathBuf>,
    /// Whether the prelude's definitions are in scope.
    prelude: bool,
    /// Whether `include` may read files (off in sandboxes).
    pub(crate) allow_files: bool,
}

/// A compiled program, ready to run (cheap to clone).
#[derive(Clone)]
pub struct Compiled {
    pub(crate) code: Arc<Program>,
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
            // The prelude's code refers to its files by the first ids.
            sources: crate::stdlib::prelude_sources().clone(),
            globals: crate::sites::builtins(),
            include_dirs: Vec::new(),
            prelude: true,
            allow_files: true,
        }
    }

    /// An engine with the built-in sites only.
    pub fn without_prelude() -> Engine {
        Engine {
            sources: SourceMap::new(),
            globals: crate::sites::builtins(),
            include_dirs: Vec::new(),
            prelude: false,
            allow_files: true,
        }
    }

    /// The source texts compiled so far (to render diagnostics).
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// The global scope so far. Prelude definitions appear once an input
    /// has named them; [`Engine::names`] lists every name in scope.
    pub fn globals(&self) -> &Globals {
        &self.globals
    }

    /// Every global name programs can use: the globals and, unless the
    /// engine runs without it, the whole prelude.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let prelude = self
            .prelude
            .then(crate::stdlib::prelude_names)
            .into_iter()
            .flatten()
            .map(|n| -> &str { n })
            .filter(|n| !self.globals.contains_key(*n));
        self.globals.keys().map(String::as_str).chain(prelude)
    }

    /// Adds the prelude definitions named in the source files loaded since
    /// there were `first` files (a program and its includes).
    fn add_prelude_for(&mut self, first: usize) {
        if !self.prelude {
            return;
        }
        // Each name once, read token by token: a table of the tokens
        // would take 25 times the text of a long list of numbers.
        let mut names = std::collections::BTreeSet::new();
        for id in first..self.sources.len() {
            let Some(file) = self.sources.get(crate::diagnostics::SourceId(id as u32)) else {
                continue;
            };
            // The loader has lexed these files already, so this meets no
            // error (and would stop at one).
            for token in crate::syntax::lexer::Lexer::new(&file.text, file_id(id)) {
                if let Ok((_, crate::syntax::lexer::Token::Ident(n), _)) = token {
                    names.insert(n);
                }
            }
        }
        crate::stdlib::add_prelude_defs(&mut self.globals, names.iter().map(String::as_str));
    }

    /// Binds a global name for programs compiled from now on (a host's
    /// own values or sites; the `orc` command binds `args` this way). Any
    /// [`Value`] will do, e.g. `Value::from(vec![1, 2])`, or a site of
    /// your own: `Value::Site(Arc::new(my_site))` (see
    /// [`crate::runtime::site::Site`]).
    pub fn define(&mut self, name: impl Into<String>, value: Value) {
        self.globals.insert(name.into(), value);
    }

    /// Also look for included files in `dir`.
    pub fn add_include_dir(&mut self, dir: impl Into<PathBuf>) {
        self.include_dirs.push(dir.into());
    }

    /// Compiles a program from source text; diagnostics refer to
    /// [`Engine::sources`] (see also [`Engine::compile`], whose error
    /// renders them).
    pub fn compile_str(&mut self, name: &str, text: &str) -> Result<Compiled, Vec<Diagnostic>> {
        let first = self.sources.len();
        let mut loader = Loader {
            sources: &mut self.sources,
            include_dirs: &self.include_dirs,
            allow_files: self.allow_files,
        };
        let (_, program) = loader.load_source(name, text, None)?;
        self.add_prelude_for(first);
        self.lower(program)
    }

    /// Compiles a program from a file (its includes are looked up next to
    /// it first).
    pub fn compile_file(&mut self, path: &Path) -> Result<Compiled, Vec<Diagnostic>> {
        let first = self.sources.len();
        let mut loader = Loader {
            sources: &mut self.sources,
            include_dirs: &self.include_dirs,
            allow_files: self.allow_files,
        };
        let (_, program) = loader.load_file(path)?;
        self.add_prelude_for(first);
        self.lower(program)
    }

    /// Desugars and resolves a loaded program, letting go of each form as
    /// soon as the next is made (a large program's trees are large).
    fn lower(&self, program: crate::syntax::ast::Program) -> Result<Compiled, Vec<Diagnostic>> {
        let core = desugar_program_in(&program, &self.globals)?;
        drop(program);
        let code = resolve(&core, &self.globals)?;
        Ok(Compiled { code })
    }

    /// Reads one input of declarations and an optional expression (a REPL
    /// line, a file given to `:load`), splicing in its includes; the text
    /// joins [`Engine::sources`], so diagnostics about it show snippets.
    /// Pass the result to [`Engine::declare`].
    pub fn load_input(&mut self, name: &str, text: &str) -> Result<Input, Vec<Diagnostic>> {
        let first = self.sources.len();
        let mut loader = Loader {
            sources: &mut self.sources,
            include_dirs: &self.include_dirs,
            allow_files: self.allow_files,
        };
        let (_, program) = loader.load_source(name, text, None)?;
        self.add_prelude_for(first);
        Ok(Input::new(program))
    }

    /// [`Engine::load_input`] for the contents of a file (its includes are
    /// looked up next to it first).
    pub fn load_input_file(&mut self, path: &Path) -> Result<Input, Vec<Diagnostic>> {
        let first = self.sources.len();
        let mut loader = Loader {
            sources: &mut self.sources,
            include_dirs: &self.include_dirs,
            allow_files: self.allow_files,
        };
        let (_, program) = loader.load_file(path)?;
        self.add_prelude_for(first);
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
    /// errors) and `options` (clock, limits, kill switch), blocking the
    /// caller (see [`Run::run_blocking`]).
    pub fn declare(
        &mut self,
        input: Input,
        events: Box<dyn Events>,
        options: RunOptions,
    ) -> Result<Declared, DeclareError> {
        crate::declare::declare(&mut self.globals, input, events, options)
    }

    /// Prepares a run of `program` that reports to `events`; drive it with
    /// [`Run::run`] (async) or [`Run::run_blocking`]. [`Engine::execute`]
    /// wraps this in a stream of publications.
    pub fn start(&self, program: &Compiled, events: Box<dyn Events>, options: RunOptions) -> Run {
        Run::new(program.code.clone(), events, options)
    }
}

fn file_id(id: usize) -> crate::diagnostics::SourceId {
    crate::diagnostics::SourceId(id as u32)
}
