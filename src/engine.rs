//! The embedding API: compile Orc programs and run them.
//!
//! An [`Engine`] owns the source texts (for diagnostics), the include path
//! and the global scope (built-in sites plus, by default, the prelude).
//! [`Engine::compile_str`] and [`Engine::compile_file`] produce a
//! [`Compiled`] program that can be run any number of times with
//! [`Engine::start`]. [`Engine::declare`] evaluates declarations and keeps
//! the names they bind for later programs (what a REPL needs).

use crate::compile::core::{Atom, Core};
use crate::compile::desugar::{declared_names, desugar_decls, desugar_expr, desugar_program};
use crate::compile::resolve::{resolve, Globals};
use crate::diagnostics::{Diagnostic, SourceMap, Span};
use crate::loader::Loader;
use crate::runtime::code::Code;
use crate::runtime::{Events, Run, RunOptions, RunOutcome, RuntimeError};
use crate::syntax::ast::{Decl, Program};
use crate::value::Value;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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

/// One parsed input for [`Engine::declare`], from [`Engine::load_input`].
pub struct Input {
    program: Program,
}

/// What [`Engine::declare`] did with one input.
pub struct Declared {
    /// The names the input's declarations bound, now globals of the engine.
    pub names: Vec<String>,
    /// The input's final expression, if any, compiled against the new
    /// globals and ready for [`Engine::start`].
    pub body: Option<Compiled>,
}

/// Why [`Engine::declare`] bound nothing.
#[derive(Debug)]
pub enum DeclareError {
    /// The input does not compile.
    Compile(Vec<Diagnostic>),
    /// The declarations ran but produced no values; the outcome says how
    /// their run ended (`Halted`: a `val`'s expression halted silently, or
    /// raised an error that was reported through the events).
    NoValue(RunOutcome),
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
        Ok(Input { program })
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
        Ok(Input { program })
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
        self.declare_program(input.program, events, options)
    }

    fn declare_program(
        &mut self,
        program: Program,
        events: Box<dyn Events>,
        options: RunOptions,
    ) -> Result<Declared, DeclareError> {
        let names = declared_names(&program.decls);
        let decls =
            compile_decls(&program.decls, &names, &self.globals).map_err(DeclareError::Compile)?;
        // Compile the expression before running anything, against
        // placeholders for the new names, so that a mistake in it leaves
        // the engine as it was.
        let body = match &program.body {
            Some(expr) => {
                let core = desugar_expr(expr).map_err(DeclareError::Compile)?;
                let mut scope = self.globals.clone();
                for n in &names {
                    scope.insert(n.clone(), Value::Signal);
                }
                resolve(&core, &scope).map_err(DeclareError::Compile)?;
                Some(core)
            }
            None => None,
        };
        let values = run_decls(decls, names.len(), events, options)?;
        for (n, v) in names.iter().zip(values) {
            self.globals.insert(n.clone(), v);
        }
        let body = match body {
            Some(core) => Some(Compiled {
                code: resolve(&core, &self.globals).map_err(DeclareError::Compile)?,
            }),
            None => None,
        };
        Ok(Declared { names, body })
    }

    /// Prepares a run of `program`; drive it with [`Run::run`] (async) or
    /// [`Run::run_blocking`].
    pub fn start(&self, program: &Compiled, events: Box<dyn Events>, options: RunOptions) -> Run {
        Run::new(program.code.clone(), events, options)
    }
}

/// Compiles declarations into a program that publishes the values of
/// `names` (a tuple, or the value itself for one name), or `None` when
/// there is nothing to evaluate.
pub(crate) fn compile_decls(
    decls: &[Decl],
    names: &[String],
    globals: &Globals,
) -> Result<Option<Arc<Code>>, Vec<Diagnostic>> {
    let span = Span::default();
    let tuple = Core::Call {
        target: Atom::Const(Value::Site(Arc::new(crate::sites::structural::MakeTuple))),
        args: names.iter().map(|n| Atom::Var(n.clone(), span)).collect(),
        span,
    };
    let core = desugar_decls(decls, tuple)?;
    let code = resolve(&core, globals)?;
    Ok((!names.is_empty()).then_some(code))
}

/// Runs compiled declarations (see [`compile_decls`]) to their first
/// publication and returns the `count` values it holds.
pub(crate) fn run_decls(
    code: Option<Arc<Code>>,
    count: usize,
    events: Box<dyn Events>,
    options: RunOptions,
) -> Result<Vec<Value>, DeclareError> {
    let Some(code) = code else {
        return Ok(Vec::new());
    };
    let first = Arc::new(Mutex::new(None));
    let capture = Capture {
        first: first.clone(),
        inner: events,
    };
    let outcome = Run::new(code, Box::new(capture), options).run_blocking();
    let value = first.lock().unwrap_or_else(|e| e.into_inner()).take();
    // Once the values are published the declarations are done, however the
    // rest of the run ended.
    match value {
        Some(v) => Ok(match (count, v) {
            (1, v) => vec![v],
            (_, Value::Tuple(items)) => items.to_vec(),
            (_, v) => vec![v],
        }),
        None => Err(DeclareError::NoValue(outcome)),
    }
}

/// Keeps the first publication of a declarations run and passes output and
/// errors on to the host.
struct Capture {
    first: Arc<Mutex<Option<Value>>>,
    inner: Box<dyn Events>,
}

impl Events for Capture {
    fn publish(&mut self, value: &Value) {
        let mut first = self.first.lock().unwrap_or_else(|e| e.into_inner());
        if first.is_none() {
            *first = Some(value.clone());
        }
    }
    fn print(&mut self, text: &str) {
        self.inner.print(text);
    }
    fn error(&mut self, error: &RuntimeError) {
        self.inner.error(error);
    }
}
