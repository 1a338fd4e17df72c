//! The prelude: library functions written in Orc (`stdlib/*.orc`), embedded
//! in the binary and evaluated once per process into global bindings.

use crate::compile::core::{Atom, Core};
use crate::compile::desugar::{declared_names, desugar_decls};
use crate::compile::resolve::{resolve, Globals};
use crate::diagnostics::{SourceMap, Span};
use crate::runtime::{Events, Run, RunOptions, RuntimeError};
use crate::syntax::parser::parse_program;
use crate::value::Value;
use std::sync::{Arc, Mutex, OnceLock};

/// The prelude files, in load order.
pub const PRELUDE: &[(&str, &str)] = &[
    ("stdlib/core.orc", include_str!("../stdlib/core.orc")),
    ("stdlib/idioms.orc", include_str!("../stdlib/idioms.orc")),
    ("stdlib/list.orc", include_str!("../stdlib/list.orc")),
    ("stdlib/time.orc", include_str!("../stdlib/time.orc")),
];

/// Built-in sites plus the prelude's definitions.
pub fn prelude_globals() -> &'static Globals {
    static GLOBALS: OnceLock<Globals> = OnceLock::new();
    GLOBALS.get_or_init(|| {
        let mut globals = crate::sites::builtins();
        for (name, text) in PRELUDE {
            if let Err(msg) = load_into(&mut globals, name, text) {
                // The prelude is part of the binary; a broken one is a bug
                // in this crate, reported loudly but without crashing.
                eprintln!("orc: internal error in the prelude ({name}): {msg}");
            }
        }
        globals
    })
}

struct Collect(Arc<Mutex<Vec<Value>>>, Arc<Mutex<Vec<String>>>);

impl Events for Collect {
    fn publish(&mut self, value: &Value) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(value.clone());
    }
    fn print(&mut self, _text: &str) {}
    fn error(&mut self, error: &RuntimeError) {
        self.1
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(error.message.clone());
    }
}

/// Evaluates declarations (no body) and adds the names they bind to
/// `globals`. Used for the prelude and for REPL declarations.
pub fn load_into(globals: &mut Globals, name: &str, text: &str) -> Result<(), String> {
    let mut sources = SourceMap::new();
    let id = sources.add(name, text);
    let program = parse_program(text, id).map_err(|d| d.render(&sources))?;
    if program.body.is_some() {
        return Err("expected only declarations".into());
    }
    let names = declared_names(&program.decls);
    let span = Span::default();
    let tuple = Core::Call {
        target: Atom::Const(Value::Site(Arc::new(crate::sites::structural::MakeTuple))),
        args: names.iter().map(|n| Atom::Var(n.clone(), span)).collect(),
        span,
    };
    let core = desugar_decls(&program.decls, tuple).map_err(|ds| render_all(&ds, &sources))?;
    let code = resolve(&core, globals).map_err(|ds| render_all(&ds, &sources))?;
    let published = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let mut run = Run::new(
        code,
        Box::new(Collect(published.clone(), errors.clone())),
        RunOptions {
            sim_time: true,
            ..RunOptions::default()
        },
    );
    run.run_blocking();
    if let Some(e) = errors.lock().unwrap_or_else(|e| e.into_inner()).first() {
        return Err(e.clone());
    }
    let values = published.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(first) = values.into_iter().next() else {
        return Err("the declarations did not evaluate".into());
    };
    let items = match (names.len(), first) {
        (1, v) => vec![v],
        (_, Value::Tuple(items)) => items.to_vec(),
        (0, _) => Vec::new(),
        (_, v) => vec![v],
    };
    for (n, v) in names.into_iter().zip(items) {
        globals.insert(n, v);
    }
    Ok(())
}

fn render_all(ds: &[crate::diagnostics::Diagnostic], sources: &SourceMap) -> String {
    ds.iter()
        .map(|d| d.render(sources))
        .collect::<Vec<_>>()
        .join("\n")
}
