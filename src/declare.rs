//! Evaluating declarations into global bindings, so that later programs
//! can use the names they bind: a REPL's inputs ([`crate::Engine::declare`])
//! and the prelude ([`crate::stdlib`]).
//!
//! Declarations are compiled into a program that publishes the values of
//! every name they bind (as one tuple), which is run to that publication.

use crate::compile::core::{Atom, Core};
use crate::compile::desugar::{declared_names, desugar_decls_in, desugar_expr_in};
use crate::compile::resolve::{resolve, Globals, Scope};
use crate::diagnostics::CompileError;
use crate::diagnostics::{Diagnostic, SourceMap, Span};
use crate::runtime::program::Program as Resolved;
use crate::runtime::{Events, Run, RunOptions, RunOutcome, RuntimeError};
use crate::syntax::ast::{Decl, DeclKind, Expr, ExprKind, Program};
use crate::value::Value;
use std::sync::{Arc, Mutex};

/// One parsed input for [`Engine::declare`](crate::Engine::declare), from
/// [`Engine::load_input`](crate::Engine::load_input): its declarations, its
/// source texts and what its scope adds to the engine's globals (the
/// prelude definitions it names).
pub struct Input {
    program: Program,
    sources: SourceMap,
    added: Globals,
}

/// Why [`Engine::declare`](crate::Engine::declare) bound nothing.
#[derive(Debug)]
pub enum DeclareError {
    /// The input does not compile.
    Compile(CompileError),
    /// The declarations ran but produced no values; the outcome says how
    /// their run ended (`Halted`: a `val`'s expression halted silently, or
    /// raised an error that was reported through the events).
    NoValue(RunOutcome),
}

/// [`DeclareError`] before the input's sources are attached.
pub(crate) enum Failure {
    Compile(Vec<Diagnostic>),
    NoValue(RunOutcome),
}

impl Failure {
    pub(crate) fn with_sources(self, sources: SourceMap) -> DeclareError {
        match self {
            Failure::Compile(diagnostics) => {
                DeclareError::Compile(CompileError::new(diagnostics, sources))
            }
            Failure::NoValue(outcome) => DeclareError::NoValue(outcome),
        }
    }
}

impl Input {
    pub(crate) fn new(program: Program, sources: SourceMap, added: Globals) -> Input {
        Input {
            program,
            sources,
            added,
        }
    }

    /// The input's source texts (its own files and the engine's shared
    /// ones): what runtime errors of its declarations point into.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    pub(crate) fn into_parts(self) -> (Program, SourceMap, Globals) {
        (self.program, self.sources, self.added)
    }
}

/// See [`crate::Engine::declare`]: binds the names `program` declares in
/// `globals` (seen under `added`, what the input's scope adds), and gives
/// them with the code of its expression, if any. `prelude`: the names its
/// diagnostics may suggest besides the globals (the prelude's, if the
/// engine has it).
pub(crate) fn declare(
    globals: &mut Globals,
    program: &Program,
    added: &mut Globals,
    prelude: &[&str],
    events: Box<dyn Events>,
    options: RunOptions,
) -> Result<(Vec<String>, Option<Arc<Resolved>>), Failure> {
    let names = declared_names(&program.decls);
    let decls = compile_decls(
        &program.decls,
        &names,
        Scope::layered(&[&*added, &*globals]).with_prelude_names(prelude),
    )
    .map_err(Failure::Compile)?;
    // Compile the expression before running anything, against placeholders
    // for the new names, so that a mistake in it leaves the globals as they
    // were.
    // Classes are not values, so no global holds them: the expression
    // gets the input's class declarations (a REPL's earlier ones among
    // them, see `Engine::load_input_after`) around it.
    let with_classes = program
        .body
        .as_ref()
        .and_then(|expr| with_classes(&program.decls, expr));
    let body = match with_classes.as_ref().or(program.body.as_ref()) {
        Some(expr) => {
            let placeholders: Globals = names.iter().map(|n| (n.clone(), Value::Signal)).collect();
            let layers = [&placeholders, &*added, &*globals];
            let scope = Scope::layered(&layers).with_prelude_names(prelude);
            let core = desugar_expr_in(expr, scope).map_err(Failure::Compile)?;
            resolve(&core, scope).map_err(Failure::Compile)?;
            Some(core)
        }
        None => None,
    };
    let values = run_decls(decls, names.len(), events, options).map_err(Failure::NoValue)?;
    for (n, v) in names.iter().zip(values) {
        // The input's own binding of a name wins over the prelude's.
        added.remove(n);
        globals.insert(n.clone(), v);
    }
    let body = match body {
        Some(core) => {
            Some(resolve(&core, Scope::layered(&[&*added, &*globals])).map_err(Failure::Compile)?)
        }
        None => None,
    };
    Ok((names, body))
}

/// `expr` in the scope of the class declarations among `decls` (those of
/// included files too), or `None` if there are none.
fn with_classes(decls: &[Decl], expr: &Expr) -> Option<Expr> {
    let mut classes = Vec::new();
    let mut todo: Vec<&Decl> = decls.iter().rev().collect();
    while let Some(d) = todo.pop() {
        match &d.kind {
            DeclKind::Included { decls, .. } => todo.extend(decls.iter().rev()),
            DeclKind::Class { .. } => classes.push(d),
            _ => {}
        }
    }
    if classes.is_empty() {
        return None;
    }
    let mut out = expr.clone();
    for class in classes.into_iter().rev() {
        let span = out.span;
        out = Expr {
            kind: ExprKind::Declare {
                decl: Box::new(class.clone()),
                body: Box::new(out),
            },
            span,
        };
    }
    Some(out)
}

/// Compiles declarations into a program that publishes the values of
/// `names` (a tuple, or the value itself for one name), or `None` when
/// there is nothing to evaluate.
pub(crate) fn compile_decls<'a>(
    decls: &'a [Decl],
    names: &[String],
    globals: impl Into<Scope<'a>>,
) -> Result<Option<Arc<Resolved>>, Vec<Diagnostic>> {
    let globals = globals.into();
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
) -> Result<Vec<Value>, RunOutcome> {
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
        None => Err(outcome),
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
    fn at(&mut self, now_ms: u64) {
        self.inner.at(now_ms);
    }
}
