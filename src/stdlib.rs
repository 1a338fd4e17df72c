//! The prelude: library functions written in Orc (`stdlib/*.orc`), embedded
//! in the binary and evaluated once per process into global bindings.
//!
//! All files are parsed separately (for diagnostics) but desugared,
//! resolved and run as one sequence of declarations, so start-up pays for
//! one resolution and one run. A prelude error is a bug in this crate.

use crate::compile::desugar::declared_names;
use crate::compile::resolve::Globals;
use crate::declare::{compile_decls, run_decls};
use crate::diagnostics::SourceMap;
use crate::runtime::site::{Outcome, Site, SiteCx, SiteError};
use crate::runtime::{Events, RunOptions, RuntimeError};
use crate::syntax::ast::Decl;
use crate::syntax::parser::parse_program;
use crate::value::Value;
use std::any::Any;
use std::sync::{Arc, Mutex, OnceLock};

/// The prelude files, in load order (a file may use names of earlier ones;
/// as the definitions form one recursive group, later ones work too).
pub const PRELUDE: &[(&str, &str)] = &[
    ("stdlib/core.orc", include_str!("../stdlib/core.orc")),
    ("stdlib/idioms.orc", include_str!("../stdlib/idioms.orc")),
    ("stdlib/list.orc", include_str!("../stdlib/list.orc")),
    ("stdlib/util.orc", include_str!("../stdlib/util.orc")),
    ("stdlib/state.orc", include_str!("../stdlib/state.orc")),
    ("stdlib/time.orc", include_str!("../stdlib/time.orc")),
    ("stdlib/text.orc", include_str!("../stdlib/text.orc")),
];

/// Sites the prelude's code calls that a build may lack. A missing one is
/// bound, for the prelude only, to a stand-in that fails when called, so
/// that the rest of the prelude still loads; programs do not see it.
pub const PRELUDE_SITES: &[&str] = &["Channel", "Semaphore", "Array"];

/// Built-in sites plus the prelude's definitions.
pub fn prelude_globals() -> &'static Globals {
    &prelude().0
}

/// The prelude's source files. An engine with the prelude starts its own
/// source map with these, so that the spans in the prelude's code (ids
/// 0, 1, ...) name the right file when an error inside it is reported.
pub fn prelude_sources() -> &'static SourceMap {
    &prelude().1
}

fn prelude() -> &'static (Globals, SourceMap) {
    static PRELUDE_STATE: OnceLock<(Globals, SourceMap)> = OnceLock::new();
    PRELUDE_STATE.get_or_init(|| {
        let mut globals = crate::sites::builtins();
        let missing: Vec<&str> = PRELUDE_SITES
            .iter()
            .copied()
            .filter(|n| !globals.contains_key(*n))
            .collect();
        for name in &missing {
            globals.insert(name.to_string(), Value::Site(Arc::new(Missing(name))));
        }
        let mut sources = SourceMap::new();
        if let Err(msg) = load_files(&mut globals, &mut sources, PRELUDE) {
            // The prelude is part of the binary; a broken one is a bug
            // in this crate, reported loudly but without crashing.
            eprintln!("orc: internal error in the prelude: {msg}");
        }
        for name in missing {
            globals.remove(name);
        }
        (globals, sources)
    })
}

/// Stands in for a site this build does not provide.
struct Missing(&'static str);

impl Site for Missing {
    fn name(&self) -> &str {
        self.0
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn call(&self, _args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Error(SiteError::new(format!(
            "the site {} is not available in this build",
            self.0
        )))
    }
}

/// Keeps the runtime errors of the prelude's evaluation.
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
/// `globals`. Hosts use [`crate::Engine::declare`].
pub fn load_into(globals: &mut Globals, name: &str, text: &str) -> Result<(), String> {
    load_files(globals, &mut SourceMap::new(), &[(name, text)])
}

/// Evaluates the declarations of several files as one sequence (each file
/// sees the names of the earlier ones) and adds the names they bind to
/// `globals`. The files are added to `sources`, which their spans refer to.
pub fn load_files(
    globals: &mut Globals,
    sources: &mut SourceMap,
    files: &[(&str, &str)],
) -> Result<(), String> {
    let mut decls: Vec<Decl> = Vec::new();
    for &(name, text) in files {
        let id = sources.add(name, text);
        let program = parse_program(text, id).map_err(|d| d.render(sources))?;
        if program.body.is_some() {
            return Err(format!("{name}: expected only declarations"));
        }
        decls.extend(program.decls);
    }
    let names = declared_names(&decls);
    let code = compile_decls(&decls, &names, globals).map_err(|ds| render_all(&ds, sources))?;
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
