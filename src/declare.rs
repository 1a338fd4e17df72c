//! Evaluating declarations into global bindings, so that later programs
//! can use the names they bind: a REPL's inputs ([`crate::Engine::declare`])
//! and the prelude ([`crate::stdlib`]).
//!
//! Declarations are compiled into a program that publishes the values of
//! every name they bind (as one tuple), which is run to that publication.

use crate::compile::core::{Atom, Core};
use crate::compile::desugar::{declared_names, desugar_decls_in, desugar_expr_in};
use crate::compile::resolve::{resolve, Globals};
use crate::diagnostics::{Diagnostic, Span};
use crate::engine::Compiled;
use crate::runtime::code::Program as Resolved;
use crate::runtime::{Events, Run, RunOptions, RunOutcome, RuntimeError};
use crate::syntax::ast::{Decl, Program};
use crate::value::Value;
use std::sync::{Arc, Mutex};

/// One parsed input for [`Engine::declare`](crate::Engine::declare), from [`Engine::load_input`](crate::Engine::load_input).
pub struct Input {
    program: Program,
}

/// What [`Engine::declare`](crate::Engine::declare) did with one input.
pub struct Declared {
    /// The names the input's declarations bound, now globals of the engine.
    pub names: Vec<String>,
    /// The input's final expression, if any, compiled against the new
    /// globals and ready for [`Engine::start`](crate::Engine::start).
    pub body: Option<Compiled>,
}

/// Why [`Engine::declare`](crate::Engine::declare) bound nothing.
#[derive(Debug)]
pub enum DeclareError {
    /// The input does not compile.
    Compile(Vec<Diagnostic>),
    /// The declarations ran but produced no values; the outcome says how
    /// their run ended (`Halted`: a `val`'s expression halted silently, or
    /// raised an error that was reported through the events).
    NoValue(RunOutcome),
}

impl Input {
    pub(crate) fn new(program: Program) -> Input {
        Input { program }
    }
}

/// See [`crate::Engine::declare`].
pub(crate) fn declare(
    globals: &mut Globals,
    input: Input,
    events: Box<dyn Events>,
    options: RunOptions,
) -> Result<Declared, DeclareError> {
    let program = input.program;
    let names = declared_names(&program.decls);
    let decls = compile_decls(&program.decls, &names, globals).map_err(DeclareError::Compile)?;
    // Compile the expression before running anything, against placeholders
    // for the new names, so that a mistake in it leaves the globals as they
    // were.
    let body = match &program.body {
        Some(expr) => {
            let core = desugar_expr_in(expr, globals).map_err(DeclareError::Compile)?;
            let mut scope = globals.clone();
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
        globals.insert(n.clone(), v);
    }
    let body = match body {
        Some(core) => Some(Compiled {
            code: resolve(&core, globals).map_err(DeclareError::Compile)?,
        }),
        None => None,
    };
    Ok(Declared { names, body })
}

/// Compiles declarations into a program that publishes the values of
/// `names` (a tuple, or the value itself for one name), or `None` when
/// there is nothing to evaluate.
pub(crate) fn compile_decls(
    decls: &[Decl],
    names: &[String],
    globals: &Globals,
) -> Result<Option<Arc<Resolved>>, Vec<Diagnostic>> {
    let span = Span::default();
    let tuple = Core::Call {
        target: Atom::Const(Value::Site(Arc::new(crate::sites::structural::MakeTuple))),
        args: names.iter().map(|n| Atom::Var(n.clone(), span)).collect(),
        span,
    };
    let core = desugar_decls_in(decls, tuple, globals)?;
    let code = resolve(&core, globals)?;
    Ok((!names.is_empty()).then_some(code))
}

/// Runs compiled declarations (see [`compile_decls`]) to their first
/// publication and returns the `count` values it holds.
pub(crate) fn run_decls(
    code: Option<Arc<Resolved>>,
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
