//! The embedding API: compile Orc programs and run them.
//!
//! An [`Engine`] owns the include path and the global scope (built-in
//! sites plus, by default, the prelude). [`Engine::compile`] and
//! [`Engine::compile_file`] produce a [`Compiled`] program that can be run
//! any number of times with [`Engine::start`]; they take `&self`, so one
//! engine serves many threads. A program owns its source texts (for its
//! diagnostics), sharing the prelude's with every other: the engine does
//! not grow as it compiles. [`Engine::declare`] evaluates declarations and
//! keeps the names they bind, and their texts, for later programs (what a
//! REPL needs).
//!
//! The prelude's definitions join a program's scope as the program names
//! them (see [`crate::stdlib`]): an engine pays only for what it uses.
//!
//! Rust hosts mostly use the methods that [`crate::embed`] adds: host sites
//! (`register_fn`, `register_async`), runs as streams or iterators
//! (`execute`, `execute_blocking`) and sandboxes (`sandboxed`).

use crate::compile::desugar::desugar_program_warning;
use crate::compile::resolve::{resolve, Globals, Scope};
use crate::declare::{DeclareError, Input};
use crate::diagnostics::CompileError;
use crate::diagnostics::{Diagnostic, Phase, SourceId, SourceMap};
use crate::loader::Loader;
use crate::runtime::program::Program;
use crate::runtime::{Events, Run, RunOptions, RuntimeError};
use crate::sites::withheld::Withheld;
use crate::syntax::ast;
use crate::value::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What [`Engine::declare`](crate::Engine::declare) did with one input.
pub struct Declared {
    /// The names the input's declarations bound, now globals of the engine.
    pub names: Vec<String>,
    /// The input's final expression, if any, compiled against the new
    /// globals and ready for [`Engine::start`](crate::Engine::start).
    pub body: Option<Compiled>,
}

/// Compiles programs against a global scope and starts their runs. See
/// [`crate::embed`] for running Orc from a Rust program.
///
/// Compiling takes `&self` and changes nothing in the engine: an engine
/// is `Send + Sync`, so an `Arc<Engine>` may compile on many threads at
/// once. Changing the scope ([`Engine::define`], [`Engine::declare`],
/// [`Engine::withhold`], the `register_*` methods) takes `&mut self`.
pub struct Engine {
    /// The source texts every program of this engine shares: the
    /// prelude's, and those of the inputs whose declarations joined the
    /// globals (their code points there). A program's own files are not
    /// kept here but in its [`Compiled`].
    sources: Arc<SourceMap>,
    pub(crate) globals: Globals,
    include_dirs: Vec<PathBuf>,
    /// Whether the prelude's definitions are in scope.
    prelude: bool,
    /// Whether `include` may read files (off in sandboxes).
    pub(crate) allow_files: bool,
}

/// A compiled program, ready to run (cheap to clone). It holds the source
/// texts its diagnostics point into ([`Compiled::sources`]): dropping the
/// last clone frees the program's own files.
#[derive(Clone)]
pub struct Compiled {
    pub(crate) code: Arc<Program>,
    sources: Arc<SourceMap>,
    /// What [`crate::compile::lint`] found: the program runs, but likely
    /// not as meant.
    warnings: Arc<[Diagnostic]>,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Compiled { .. }")
    }
}

impl Compiled {
    pub(crate) fn new(code: Arc<Program>, sources: Arc<SourceMap>) -> Compiled {
        Compiled {
            code,
            sources,
            warnings: Arc::new([]),
        }
    }

    /// Warnings about the program (render them with [`Compiled::sources`]):
    /// calls of its definitions and constructors with the wrong number of
    /// arguments, constructor patterns with the wrong number of fields, and
    /// clauses of a definition that are not adjacent.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The source texts of the program's diagnostics: its own files (the
    /// program and its includes) and those it shares with its engine (the
    /// prelude's, declared inputs'). Render a runtime error of its runs
    /// with them ([`Compiled::render_error`]).
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// A runtime error of a run of this program as text, with the source
    /// snippet of the call that failed (bounded, see
    /// [`crate::diagnostics`]).
    ///
    /// ```
    /// use orc::{Engine, RunOptions};
    ///
    /// let engine = Engine::new();
    /// let program = engine.compile("main.orc", "1 + \"a\" * 2").unwrap();
    /// let report = engine.execute_blocking(&program, RunOptions::new()).finish();
    /// let text = program.render_error(&report.errors[0]);
    /// assert!(text.contains("main.orc:1:"), "{text}");
    /// ```
    pub fn render_error(&self, error: &RuntimeError) -> String {
        Diagnostic::new(Phase::Runtime, error.message.clone(), error.span)
            .with_label("in this call")
            .render(&self.sources)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// What a compile adds to the engine's globals for one program, and the
/// program as loaded.
struct Loaded {
    program: ast::Program,
    sources: SourceMap,
    added: Globals,
}

impl Engine {
    /// An engine with the built-in sites and the standard prelude.
    pub fn new() -> Engine {
        Engine {
            // The prelude's code refers to its files.
            sources: Arc::new(SourceMap::sharing(crate::stdlib::prelude_sources().clone())),
            globals: base_globals(),
            include_dirs: Vec::new(),
            prelude: true,
            allow_files: true,
        }
    }

    /// An engine with the built-in sites only.
    pub fn without_prelude() -> Engine {
        Engine {
            sources: Arc::default(),
            globals: base_globals(),
            include_dirs: Vec::new(),
            prelude: false,
            allow_files: true,
        }
    }

    /// The source texts every program of this engine shares: the
    /// prelude's and those of declared inputs ([`Engine::declare`]). It
    /// does not grow as programs are compiled: a program's own files are in
    /// its [`Compiled::sources`] (or its [`CompileError::sources`]).
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// The global scope the host built: built-in sites, its own
    /// definitions, declared names and withheld markers. The prelude's
    /// definitions are not in it: each compile adds those its program
    /// names; [`Engine::names`] lists every name in scope.
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

    /// Binds a global name for programs compiled from now on (a host's
    /// own values or sites; the `orc` command binds `args` this way). Any
    /// [`Value`] will do, e.g. `Value::from(vec![1, 2])`, or a site of
    /// your own: `Value::Site(Arc::new(my_site))` (see
    /// [`crate::value::site::Site`]).
    pub fn define(&mut self, name: impl Into<String>, value: Value) {
        self.globals.insert(name.into(), value);
    }

    /// Makes `Random` and `URandom` of programs compiled from now on draw
    /// from one generator started from `seed`: the same calls in the same
    /// order give the same numbers (under simulated time, where the order
    /// of a program's steps is fixed, the same run). `UUID` stays random.
    pub fn seed_random(&mut self, seed: u64) {
        for (name, site) in crate::sites::system::seeded(seed) {
            self.define(name, site);
        }
    }

    /// Also look for included files in `dir`.
    pub fn add_include_dir(&mut self, dir: impl Into<PathBuf>) {
        self.include_dirs.push(dir.into());
    }

    /// Compiles `source` (named `name` in diagnostics) against the
    /// engine's globals: the prelude, built-ins and host sites registered
    /// so far. The result can be run any number of times; it holds its
    /// source text, the engine keeps nothing of it. The error renders the
    /// diagnostics with their source snippets.
    ///
    /// ```
    /// use orc::Engine;
    ///
    /// let engine = Engine::new();
    /// assert!(engine.compile("ok", "1 + 2").is_ok());
    /// let err = engine.compile("bad", "1 + nosuch").unwrap_err();
    /// assert!(err.to_string().contains("unbound variable `nosuch`"));
    /// ```
    pub fn compile(&self, name: &str, source: &str) -> Result<Compiled, CompileError> {
        let loaded = self.load(|loader| loader.load_source(name, source, None))?;
        self.lower(loaded)
    }

    /// Compiles a program from a file (its includes are looked up next to
    /// it first).
    pub fn compile_file(&self, path: &Path) -> Result<Compiled, CompileError> {
        let loaded = self.load(|loader| loader.load_file(path))?;
        self.lower(loaded)
    }

    /// Reads a program and its includes into a source map of its own (that
    /// sees the engine's shared files), and works out what its scope adds
    /// to the engine's globals.
    fn load(
        &self,
        read: impl FnOnce(&mut Loader<'_>) -> Result<(SourceId, ast::Program), Vec<Diagnostic>>,
    ) -> Result<Loaded, CompileError> {
        let mut sources = SourceMap::sharing(self.sources.clone());
        let mut loader = Loader {
            sources: &mut sources,
            include_dirs: &self.include_dirs,
            allow_files: self.allow_files,
        };
        let program = match read(&mut loader) {
            Ok((_, program)) => program,
            Err(diagnostics) => return Err(CompileError::new(diagnostics, sources)),
        };
        let added = self.added_for(&sources);
        Ok(Loaded {
            program,
            sources,
            added,
        })
    }

    /// What a program whose own files are those of `sources` sees besides
    /// the engine's globals: the prelude's definitions of the names it
    /// mentions, and a [`Withheld`] marker for each name it mentions that
    /// is built on a name the engine withholds (a prelude function calling
    /// `Rwait`, `Rclock` when `Rwait` is withheld).
    fn added_for(&self, sources: &SourceMap) -> Globals {
        let withholds = self.globals.values().any(|v| Withheld::of(v).is_some());
        let mut added = Globals::new();
        let marker = |name: &str, through| {
            let marker = Withheld {
                through,
                ..Withheld::new(name)
            };
            Value::Site(Arc::new(marker))
        };
        // A site handing out others can be reached without its name in
        // the text (`import site C = "orc.lib.time.Rclock"`): all of them.
        if withholds {
            for (name, value) in &self.globals {
                let Value::Site(site) = value else { continue };
                if site.built_on().is_empty() {
                    continue;
                }
                if let Some(through) = self.withheld_through(name) {
                    added.insert(name.clone(), marker(name, through));
                }
            }
        }
        if !self.prelude {
            return added;
        }
        // Each name once, read token by token: a table of the tokens
        // would take 25 times the text of a long list of numbers.
        let mut names = BTreeSet::new();
        for file in sources.own_files() {
            // The loader has lexed these files already, so this meets no
            // error (and would stop at one).
            for token in crate::syntax::lexer::Lexer::new(&file.text, file.id) {
                if let Ok((_, crate::syntax::lexer::Token::Ident(n), _)) = token {
                    names.insert(n);
                }
            }
        }
        let mut wanted = Vec::new();
        for name in &names {
            if self.globals.contains_key(name) || !crate::stdlib::defines(name) {
                continue;
            }
            match withholds.then(|| self.withheld_through(name)).flatten() {
                Some(through) => {
                    added.insert(name.clone(), marker(name, through));
                }
                None => wanted.push(name.as_str()),
            }
        }
        added.extend(crate::stdlib::prelude_defs(wanted));
        added
    }

    /// The chain of names that `name`, as programs of this engine would
    /// see it, is built on up to one the engine withholds (see
    /// [`crate::stdlib::deps`]); `None` if it is built on none (or is
    /// withheld itself, or is the host's own).
    pub(crate) fn withheld_through(&self, name: &str) -> Option<Vec<String>> {
        let withheld = |n: &str| self.globals.get(n).and_then(Withheld::of).is_some();
        match self.globals.get(name) {
            // A built-in (or a host's site) handing out others.
            Some(Value::Site(site)) => {
                let first: Vec<String> = site.built_on().iter().map(|n| n.to_string()).collect();
                crate::stdlib::deps::path_to(
                    name,
                    |n| {
                        if n == name {
                            first.clone()
                        } else {
                            crate::stdlib::built_on(n)
                        }
                    },
                    withheld,
                )
            }
            Some(_) => None,
            None if self.prelude => crate::stdlib::withheld_through(name, withheld),
            None => None,
        }
    }

    /// The prelude's names if the engine has the prelude (what "did you
    /// mean" offers besides the globals), else none.
    fn prelude_names(&self) -> &'static [&'static str] {
        if self.prelude {
            crate::stdlib::prelude_name_list()
        } else {
            &[]
        }
    }

    /// Desugars and resolves a loaded program, letting go of each form as
    /// soon as the next is made (a large program's trees are large).
    fn lower(&self, loaded: Loaded) -> Result<Compiled, CompileError> {
        let Loaded {
            program,
            sources,
            added,
        } = loaded;
        let layers = [&added, &self.globals];
        let scope = Scope::layered(&layers).with_prelude_names(self.prelude_names());
        let (core, mut warnings) = match desugar_program_warning(&program, scope) {
            Ok(done) => done,
            Err(diagnostics) => return Err(CompileError::new(diagnostics, sources)),
        };
        warnings.extend(crate::compile::lint::scattered_clauses(
            &program.decls,
            Some(&sources),
        ));
        drop(program);
        warnings.extend(crate::compile::lint::lint(&core, scope));
        match resolve(&core, scope) {
            Ok(code) => {
                let mut compiled = Compiled::new(code, Arc::new(sources));
                compiled.warnings = warnings.into();
                Ok(compiled)
            }
            Err(diagnostics) => Err(CompileError::new(diagnostics, sources)),
        }
    }

    /// Reads one input of declarations and an optional expression (a REPL
    /// line, a file given to `:load`), splicing in its includes. Pass the
    /// result to [`Engine::declare`]; its text joins [`Engine::sources`]
    /// if its declarations do.
    pub fn load_input(&self, name: &str, text: &str) -> Result<Input, CompileError> {
        let loaded = self.load(|loader| loader.load_source(name, text, None))?;
        Ok(Input::new(loaded.program, loaded.sources, loaded.added))
    }

    /// [`Engine::load_input`], with declarations kept from earlier inputs
    /// (`earlier`, a file of its own named `<earlier inputs>`) that
    /// must be compiled with this one: a REPL's classes, which are not
    /// values and so not globals, and the clauses of a definition the
    /// input adds clauses to. Each definition's clauses in `earlier` go
    /// right before the input's first clause of it, so that they form one
    /// definition; everything else goes before the input's declarations.
    ///
    /// `later` holds clauses that go right after the input's last clause
    /// of their definition (where a clause typed again replaces one in the
    /// middle of a definition).
    pub fn load_input_after(
        &self,
        name: &str,
        text: &str,
        earlier: &str,
        later: &str,
    ) -> Result<Input, CompileError> {
        let loaded = self.load(|loader| {
            let (_, kept) = loader.load_source("<earlier inputs>", earlier, None)?;
            let (_, after) = loader.load_source("<earlier inputs>", later, None)?;
            let (id, mut program) = loader.load_source(name, text, None)?;
            let decls = place_earlier(kept.decls, std::mem::take(&mut program.decls));
            program.decls = place_later(after.decls, decls);
            Ok((id, program))
        })?;
        Ok(Input::new(loaded.program, loaded.sources, loaded.added))
    }

    /// [`Engine::load_input`] for the contents of a file (its includes are
    /// looked up next to it first).
    pub fn load_input_file(&self, path: &Path) -> Result<Input, CompileError> {
        let loaded = self.load(|loader| loader.load_file(path))?;
        Ok(Input::new(loaded.program, loaded.sources, loaded.added))
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
    /// caller (see [`Run::run_blocking`]). Runtime errors point into
    /// [`Input::sources`].
    pub fn declare(
        &mut self,
        input: Input,
        events: Box<dyn Events>,
        options: RunOptions,
    ) -> Result<Declared, DeclareError> {
        let (program, sources, mut added) = input.into_parts();
        let prelude = self.prelude_names();
        let (names, body) = crate::declare::declare(
            &mut self.globals,
            &program,
            &mut added,
            prelude,
            events,
            options,
        )
        .map_err(|e| e.with_sources(sources.clone()))?;
        let sources = if names.is_empty() {
            Arc::new(sources)
        } else {
            // The declared names' code points into the input's files, for
            // as long as the engine keeps them.
            Arc::make_mut(&mut self.sources).absorb(sources);
            Arc::new(SourceMap::sharing(self.sources.clone()))
        };
        let body = body.map(|code| Compiled::new(code, sources));
        Ok(Declared { names, body })
    }

    /// Prepares a run of `program` that reports to `events`; drive it with
    /// [`Run::run`] (async) or [`Run::run_blocking`]. [`Engine::execute`]
    /// wraps this in a stream of publications.
    pub fn start(&self, program: &Compiled, events: Box<dyn Events>, options: RunOptions) -> Run {
        Run::new(program.code.clone(), events, options)
    }
}

impl Engine {
    /// Grants programs a service (see [`crate::services`]).
    ///
    /// ```
    /// use orc::services::Capability;
    /// use orc::Engine;
    ///
    /// let mut engine = Engine::new();
    /// let err = engine.compile("main", r#"ReadFile("notes.txt")"#).unwrap_err();
    /// assert!(err.to_string().contains("needs access to files"));
    /// engine.grant(Capability::Files);
    /// assert!(engine.compile("main", r#"ReadFile("notes.txt")"#).is_ok());
    /// ```
    pub fn grant(&mut self, capability: crate::services::Capability) -> &mut Engine {
        for site in capability.sites() {
            let name = site.name().to_string();
            self.define(name, Value::Site(site));
        }
        self
    }
}

/// What an engine starts with: the built-in sites, and a marker for each
/// service it does not grant yet (see [`crate::services`]).
fn base_globals() -> Globals {
    let mut globals = crate::sites::builtins();
    crate::services::mark_ungranted(&mut globals);
    globals
}

/// The name of a definition clause (`def` or `site`).
fn clause_name(decl: &ast::Decl) -> Option<&str> {
    match &decl.kind {
        ast::DeclKind::Def(c) | ast::DeclKind::Site(c) => Some(&c.name.name),
        _ => None,
    }
}

/// `earlier` declarations placed among an input's (see
/// [`Engine::load_input_after`]).
fn place_earlier(earlier: Vec<ast::Decl>, input: Vec<ast::Decl>) -> Vec<ast::Decl> {
    let mut front = Vec::new();
    let mut clauses: std::collections::HashMap<String, Vec<ast::Decl>> = Default::default();
    for decl in earlier {
        match clause_name(&decl) {
            Some(name) if input.iter().any(|d| clause_name(d) == Some(name)) => {
                clauses.entry(name.to_string()).or_default().push(decl)
            }
            _ => front.push(decl),
        }
    }
    let mut out = front;
    for decl in input {
        if let Some(kept) = clause_name(&decl).and_then(|n| clauses.remove(n)) {
            out.extend(kept);
        }
        out.push(decl);
    }
    out
}

/// Clauses of `later` placed right after the last clause of their
/// definition in `decls` (at the end if it has none).
fn place_later(later: Vec<ast::Decl>, mut decls: Vec<ast::Decl>) -> Vec<ast::Decl> {
    for decl in later {
        let name = clause_name(&decl).map(str::to_string);
        let at = name
            .and_then(|n| {
                decls
                    .iter()
                    .rposition(|d| clause_name(d) == Some(n.as_str()))
            })
            .map_or(decls.len(), |i| i + 1);
        decls.insert(at, decl);
    }
    decls
}
