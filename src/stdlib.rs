//! The prelude: library functions written in Orc (`stdlib/*.orc`), embedded
//! in the binary and evaluated once per process into global bindings.

use crate::compile::desugar::declared_names;
use crate::compile::resolve::Globals;
use crate::declare::{compile_decls, run_decls};
use crate::diagnostics::SourceMap;
use crate::runtime::{Events, RunOptions, RuntimeError};
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

/// Keeps the runtime errors of a prelude file's evaluation.
struct Collect(Arc<Mutex<Vec<String>>>);

impl Events for Collect {
    fn publish(&mut self, _value: &Value) {}
    fn print(&mut self, _text: &str) {}
    fn error(&mut self, error: &RuntimeError) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(error.message.clone());
    }
}

/// Evaluates declarations (no body) and adds the names they bind to
/// `globals`. Used for the prelude; hosts use [`crate::Engine::declare`].
pub fn load_into(globals: &mut Globals, name: &str, text: &str) -> Result<(), String> {
    let mut sources = SourceMap::new();
    let id = sources.add(name, text);
    let program = parse_program(text, id).map_err(|d| d.render(&sources))?;
    if program.body.is_some() {
        return Err("expected only declarations".into());
    }
    let names = declared_names(&program.decls);
    let code =
        compile_decls(&program.decls, &names, globals).map_err(|ds| render_all(&ds, &sources))?;
    let errors = Arc::new(Mutex::new(Vec::new()));
    let options = RunOptions {
        sim_time: true,
        ..RunOptions::default()
    };
    let values = run_decls(
        code,
        names.len(),
        Box::new(Collect(errors.clone())),
        options,
    );
    if let Some(e) = errors.lock().unwrap_or_else(|e| e.into_inner()).first() {
        return Err(e.clone());
    }
    let values = values.map_err(|_| "the declarations did not evaluate".to_string())?;
    for (n, v) in names.into_iter().zip(values) {
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
