//! The prelude: library functions written in Orc (`stdlib/*.orc`), embedded
//! in the binary and loaded on demand.
//!
//! Parsing all of the prelude costs more than starting the process, so it
//! is split into chunks, one per top-level definition (all its clauses),
//! and a chunk is parsed, resolved and evaluated the first time a program
//! names it (together with the chunks it names, transitively). Loaded
//! definitions are kept process-wide; each compile adds the ones its
//! program names to that program's scope ([`prelude_defs`]). A prelude
//! error is a bug in this crate: it is printed as
//! "orc: internal error in the prelude" and the names stay unbound.
//!
//! What each definition is built on (the globals its code names, as the
//! resolver sees them) is worked out from the same chunks, on demand
//! ([`deps`]), so that a host that withholds a site withholds every
//! prelude function built on it ([`withheld_through`]).

pub mod deps;

use crate::compile::desugar::declared_names;
use crate::compile::resolve::{Globals, Scope};
use crate::declare::{compile_decls, run_decls};
use crate::diagnostics::{SourceId, SourceMap};
use crate::runtime::{Events, RunOptions, RuntimeError};
use crate::syntax::ast::Decl;
use crate::syntax::lexer::{tokenize, Token};
use crate::syntax::parser::parse_program;
use crate::value::Value;
use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

/// The prelude files, grouped as the reference groups its prelude.
pub const PRELUDE: &[(&str, &str)] = &[
    ("stdlib/core.orc", include_str!("../stdlib/core.orc")),
    ("stdlib/idioms.orc", include_str!("../stdlib/idioms.orc")),
    ("stdlib/list.orc", include_str!("../stdlib/list.orc")),
    ("stdlib/util.orc", include_str!("../stdlib/util.orc")),
    ("stdlib/state.orc", include_str!("../stdlib/state.orc")),
    ("stdlib/time.orc", include_str!("../stdlib/time.orc")),
    ("stdlib/text.orc", include_str!("../stdlib/text.orc")),
    (
        "stdlib/services.orc",
        include_str!("../stdlib/services.orc"),
    ),
];

/// One top-level definition of a prelude file: the text from its first
/// `def` (or `val`) line up to the next definition of another name.
struct Chunk {
    name: String,
    source: SourceId,
    /// Preceded by as many newlines as the file has lines before it, so
    /// that diagnostics give the file's line numbers.
    text: Arc<str>,
    /// The global names the definition uses ([`deps::uses`]), once asked.
    uses: OnceLock<Box<[String]>>,
}

struct Library {
    chunks: Vec<Chunk>,
    by_name: HashMap<String, usize>,
    /// One source file per chunk, with the chunk's (permanent) id.
    sources: Arc<SourceMap>,
}

/// The prelude split into chunks (cheap: no parsing).
fn library() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let mut lib = Library {
            chunks: Vec::new(),
            by_name: HashMap::new(),
            sources: Arc::default(),
        };
        let mut sources = SourceMap::new();
        for (file, text) in PRELUDE {
            for (line, name, body) in split_definitions(text) {
                let padded: Arc<str> = format!("{}{body}", "\n".repeat(line)).into();
                let source = sources.add_as(SourceId::permanent(), *file, padded.clone());
                if lib.by_name.insert(name.clone(), lib.chunks.len()).is_some() {
                    let _ = writeln!(
                        std::io::stderr(),
                        "orc: internal error in the prelude: `{name}` is defined in two places"
                    );
                }
                lib.chunks.push(Chunk {
                    name,
                    source,
                    text: padded,
                    uses: OnceLock::new(),
                });
            }
        }
        lib.sources = Arc::new(sources);
        lib
    })
}

/// Splits a prelude file at the lines that start (in column 0) a
/// definition of a new name: `(first line index, name, text)` for each.
/// The `--` comment lines just above a definition go with it (they show in
/// diagnostics); text before the first definition is dropped.
fn split_definitions(text: &str) -> Vec<(usize, String, &str)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut offsets = Vec::with_capacity(lines.len() + 1);
    let mut offset = 0;
    for line in &lines {
        offsets.push(offset);
        offset += line.len();
    }
    offsets.push(offset);
    // (first line, name) of each chunk
    let mut starts: Vec<(usize, String)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(name) = defined_name(line) else {
            continue;
        };
        if starts.last().is_some_and(|(_, current)| *current == name) {
            continue;
        }
        let floor = starts.last().map_or(0, |(l, _)| l + 1);
        let mut first = index;
        while first > floor && lines[first - 1].starts_with("--") {
            first -= 1;
        }
        starts.push((first, name));
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, (first, name)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |(l, _)| *l);
        out.push((*first, name.clone(), &text[offsets[*first]..offsets[end]]));
    }
    out
}

/// `name` if the line starts a top-level `def name` or `val name`.
fn defined_name(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("def ")
        .or_else(|| line.strip_prefix("val "))?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '\'')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Every name the prelude defines.
pub fn prelude_names() -> impl Iterator<Item = &'static str> {
    library().chunks.iter().map(|c| c.name.as_str())
}

/// [`prelude_names`] as a slice: what an engine with the prelude hands the
/// compiler for its suggestions
/// ([`Scope::with_prelude_names`](crate::compile::resolve::Scope::with_prelude_names)).
pub fn prelude_name_list() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| prelude_names().collect())
}

/// The prelude's source files, one per chunk, with ids of their own
/// ([`SourceId::permanent`]). Every program compiled with the prelude
/// shares them, so that the spans in the prelude's code name the right
/// file.
pub fn prelude_sources() -> &'static Arc<SourceMap> {
    &library().sources
}

/// The global names the prelude's definition of `name` uses directly
/// (`["Rwait", "Some", "None"]` for `timeout`), or, for a built-in, the
/// built-ins it hands out ([`Site::built_on`](crate::value::site::Site::built_on)).
/// Empty for other names.
pub fn built_on(name: &str) -> Vec<String> {
    let lib = library();
    if let Some(&i) = lib.by_name.get(name) {
        let chunk = &lib.chunks[i];
        return chunk
            .uses
            .get_or_init(|| {
                // A chunk that does not parse does not load either: its
                // name stays unbound, whatever it would have used.
                match parse_program(&chunk.text, chunk.source) {
                    Ok(program) => deps::uses(&program.decls, Scope::from(deps::scope()))
                        .into_iter()
                        .collect(),
                    Err(_) => Box::default(),
                }
            })
            .to_vec();
    }
    match deps::scope().get(name) {
        Some(Value::Site(site)) => site.built_on().iter().map(|n| n.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// Whether the prelude's `name`, or the built-in `name`, is built on a
/// name that `withheld` holds (directly or through other names, never
/// `name` itself): the chain of names that leads there, shortest first,
/// ending with the withheld one (see [`deps::path_to`]).
pub fn withheld_through(name: &str, withheld: impl Fn(&str) -> bool) -> Option<Vec<String>> {
    deps::path_to(name, built_on, withheld)
}

/// What has been loaded so far in this process.
struct Loaded {
    /// Built-in sites and the loaded definitions: the scope chunks are
    /// resolved in.
    scope: Globals,
    /// The loaded definitions (and chunks that failed: `None`).
    defs: HashMap<usize, Option<Vec<(String, Value)>>>,
}

fn loaded() -> &'static Mutex<Loaded> {
    static LOADED: OnceLock<Mutex<Loaded>> = OnceLock::new();
    LOADED.get_or_init(|| {
        Mutex::new(Loaded {
            scope: crate::services::builtins_and_services(),
            defs: HashMap::new(),
        })
    })
}

/// Whether the prelude defines `name`.
pub fn defines(name: &str) -> bool {
    library().by_name.contains_key(name)
}

/// The prelude's definitions of those of `names` that it defines, loading
/// them first if needed.
pub fn prelude_defs<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<(String, Value)> {
    let lib = library();
    let wanted: Vec<usize> = names
        .into_iter()
        .filter_map(|n| lib.by_name.get(n).copied())
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut state = loaded().lock().unwrap_or_else(|e| e.into_inner());
    load_chunks(&mut state, &wanted);
    let mut out = Vec::new();
    for i in wanted {
        if let Some(Some(defs)) = state.defs.get(&i) {
            out.extend(defs.iter().cloned());
        }
    }
    out
}

/// Adds to `globals` the prelude's definitions of those of `names` that
/// the prelude defines and `globals` does not bind yet (a host's or
/// REPL's own definition of the name wins), loading them first if needed.
pub fn add_prelude_defs<'a>(globals: &mut Globals, names: impl IntoIterator<Item = &'a str>) {
    let names: Vec<&str> = names
        .into_iter()
        .filter(|n| !globals.contains_key(*n))
        .collect();
    for (n, v) in prelude_defs(names) {
        globals.entry(n).or_insert(v);
    }
}

/// Built-in sites plus every definition of the prelude (loads it all).
pub fn prelude_globals() -> &'static Globals {
    static GLOBALS: OnceLock<Globals> = OnceLock::new();
    GLOBALS.get_or_init(|| {
        let mut globals = crate::services::builtins_and_services();
        add_prelude_defs(&mut globals, prelude_names());
        globals
    })
}

/// Loads the chunks `wanted` and those they name, transitively.
fn load_chunks(state: &mut Loaded, wanted: &[usize]) {
    let lib = library();
    let mut needed = Vec::new();
    let mut seen = vec![false; lib.chunks.len()];
    let mut todo: Vec<usize> = wanted.to_vec();
    while let Some(i) = todo.pop() {
        if seen[i] || state.defs.contains_key(&i) {
            continue;
        }
        seen[i] = true;
        needed.push(i);
        // Every identifier counts (a local that happens to share a prelude
        // name only loads a chunk too many).
        let chunk = &lib.chunks[i];
        if let Ok(tokens) = tokenize(&chunk.text, chunk.source) {
            for (_, token, _) in tokens {
                if let Token::Ident(name) = token {
                    if let Some(&j) = lib.by_name.get(&name) {
                        todo.push(j);
                    }
                }
            }
        }
    }
    if needed.is_empty() {
        return;
    }
    needed.sort_unstable();
    let result = if tokio::runtime::Handle::try_current().is_ok() {
        // Evaluating runs its own runtime, which cannot start inside
        // another one: do it on a thread of its own.
        let scope = &state.scope;
        std::thread::scope(|s| {
            s.spawn(|| evaluate_chunks(scope, &needed))
                .join()
                .unwrap_or_else(|_| Err("the prelude's evaluation panicked".into()))
        })
    } else {
        evaluate_chunks(&state.scope, &needed)
    };
    match result {
        Ok(values) => {
            for (n, v) in &values {
                state.scope.insert(n.clone(), v.clone());
            }
            for &i in &needed {
                let name = &lib.chunks[i].name;
                let defs = values.iter().filter(|(n, _)| n == name).cloned().collect();
                state.defs.insert(i, Some(defs));
            }
        }
        Err(msg) => {
            let _ = writeln!(
                std::io::stderr(),
                "orc: internal error in the prelude: {msg}"
            );
            for &i in &needed {
                state.defs.insert(i, None);
            }
        }
    }
}

/// Parses chunks and evaluates them as one group of declarations in
/// `scope`: the names they bind and their values.
fn evaluate_chunks(scope: &Globals, chunks: &[usize]) -> Result<Vec<(String, Value)>, String> {
    let lib = library();
    let mut decls: Vec<Decl> = Vec::new();
    for &i in chunks {
        let chunk = &lib.chunks[i];
        let program =
            parse_program(&chunk.text, chunk.source).map_err(|d| d.render(&lib.sources))?;
        if program.body.is_some() {
            return Err(format!("`{}` is followed by an expression", chunk.name));
        }
        decls.extend(program.decls);
    }
    evaluate_decls(scope, &decls, &lib.sources).map_err(|msg| {
        let names: Vec<&str> = chunks
            .iter()
            .map(|&i| lib.chunks[i].name.as_str())
            .collect();
        format!("loading {}: {msg}", names.join(", "))
    })
}

/// Resolves declarations in `scope` and runs them (under simulated time):
/// the names they bind and their values. Diagnostics are rendered from
/// `sources`.
fn evaluate_decls(
    scope: &Globals,
    decls: &[Decl],
    sources: &SourceMap,
) -> Result<Vec<(String, Value)>, String> {
    let names = declared_names(decls);
    let code = compile_decls(decls, &names, scope).map_err(|ds| {
        ds.iter()
            .map(|d| d.render(sources))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
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
    Ok(names.into_iter().zip(values).collect())
}

/// Loads whole files of declarations at once, as one group (each sees the
/// names of the others), into `globals`; the files are added to `sources`.
/// For measuring and checking the prelude as a whole.
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
    let bound = evaluate_decls(globals, &decls, sources)?;
    globals.extend(bound);
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_each_new_definition() {
        let text = "{- header -}\ndef f(0) = 1\ndef f(n) = n\n\n-- g\n-- (twice)\n\
                    def g() =\n  def h() = 1\n  h()\n";
        let parts = split_definitions(text);
        let names: Vec<&str> = parts.iter().map(|(_, n, _)| n.as_str()).collect();
        assert_eq!(names, ["f", "g"]);
        assert_eq!(parts[0].0, 1);
        assert_eq!(parts[0].2, "def f(0) = 1\ndef f(n) = n\n\n");
        assert_eq!(parts[1].0, 4);
        assert_eq!(
            parts[1].2,
            "-- g\n-- (twice)\ndef g() =\n  def h() = 1\n  h()\n"
        );
    }

    #[test]
    fn chunk_names_are_unique() {
        let lib = library();
        assert_eq!(lib.by_name.len(), lib.chunks.len());
    }
}
