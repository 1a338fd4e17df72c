//! Loading programs: reading source files, parsing them, and splicing in
//! the files they `include` (relative to the including file, then the
//! include path), with cycle detection.
//!
//! **Each file is spliced once per program.** Includes are expanded in
//! program order (depth first, as if each `include` were replaced by the
//! file's text); a file is known by its canonical path, and a file already
//! spliced into this program (by any `include`, under any spelling of its
//! path) is not spliced again: its declarations are in scope from its first
//! splice on, so an `include` of it later has nothing to add. A diamond of
//! includes therefore costs the sum of its files, not one copy per path
//! through it. An `include` of a file that is still being expanded (the
//! file itself, or one of the files including it) is an include cycle, an
//! error. (A REPL input, or the prelude, is a program of its own: an input
//! may include a file an earlier input included.)
//!
//! The result is flat: each top-level `include` of the program becomes one
//! [`DeclKind::Included`] holding the file's declarations with the files
//! *it* includes spliced in place (an `include` whose file was spliced
//! already holds none). Expansion keeps its own stack of open files, so
//! a chain of includes of any length does not recurse.

use crate::diagnostics::{Diagnostic, Phase, SourceId, SourceMap, Span};
use crate::syntax::ast::{Decl, DeclKind, Program};
use crate::syntax::parser::parse_program;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub struct Loader<'a> {
    pub sources: &'a mut SourceMap,
    pub include_dirs: &'a [PathBuf],
    /// Whether `include` may read files (off in sandboxed hosts).
    pub allow_files: bool,
}

/// A file whose declarations are being expanded.
struct Open {
    /// Its canonical path (`None` for a program given as text).
    file: Option<PathBuf>,
    /// Where its own includes are looked up first.
    dir: Option<PathBuf>,
    /// Its declarations still to look at.
    rest: std::vec::IntoIter<Decl>,
    /// The `include` (path as written, span) this file replaces.
    include: Option<(String, Span)>,
}

/// The state of one program's expansion.
struct Expansion {
    /// Every file spliced into the program so far (or being spliced).
    spliced: HashSet<PathBuf>,
    /// The files being expanded, the program first, and their paths.
    open: Vec<Open>,
    open_files: HashSet<PathBuf>,
    /// The program's declarations so far.
    program: Vec<Decl>,
    /// The declarations so far of the program's `include` being expanded,
    /// with those of the files it includes spliced in.
    included: Vec<Decl>,
}

impl Expansion {
    /// Where the declarations of the innermost open file go.
    fn out(&mut self) -> &mut Vec<Decl> {
        if self.open.len() == 1 {
            &mut self.program
        } else {
            &mut self.included
        }
    }
}

impl Loader<'_> {
    /// Parses `text` (named `name`, living in `dir`) and loads its includes.
    pub fn load_source(
        &mut self,
        name: &str,
        text: &str,
        dir: Option<&Path>,
    ) -> Result<(SourceId, Program), Vec<Diagnostic>> {
        self.load(name, text, dir, None)
    }

    pub fn load_file(&mut self, path: &Path) -> Result<(SourceId, Program), Vec<Diagnostic>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![Diagnostic::new(
                Phase::Compile,
                format!("cannot read {}: {e}", path.display()),
                None,
            )]
        })?;
        let name = path.display().to_string();
        self.load(&name, &text, path.parent(), Some(canonical(path)))
    }

    fn load(
        &mut self,
        name: &str,
        text: &str,
        dir: Option<&Path>,
        file: Option<PathBuf>,
    ) -> Result<(SourceId, Program), Vec<Diagnostic>> {
        let text = without_bom(text);
        let id = self.sources.add(name, text);
        let program = parse_program(text, id).map_err(|d| vec![d])?;
        let decls = self.expand(program.decls, dir, file)?;
        Ok((
            id,
            Program {
                decls,
                body: program.body,
            },
        ))
    }

    /// The program's declarations with every include spliced in (see the
    /// module's documentation).
    fn expand(
        &mut self,
        decls: Vec<Decl>,
        dir: Option<&Path>,
        file: Option<PathBuf>,
    ) -> Result<Vec<Decl>, Vec<Diagnostic>> {
        if !decls
            .iter()
            .any(|d| matches!(d.kind, DeclKind::Include { .. }))
        {
            return Ok(decls);
        }
        let mut x = Expansion {
            spliced: file.iter().cloned().collect(),
            open_files: file.iter().cloned().collect(),
            open: vec![Open {
                file,
                dir: dir.map(Path::to_path_buf),
                rest: decls.into_iter(),
                include: None,
            }],
            program: Vec::new(),
            included: Vec::new(),
        };
        loop {
            let top = x.open.last_mut().expect("the program stays open");
            let Some(decl) = top.rest.next() else {
                let done = x.open.pop().expect("the program stays open");
                if let Some(file) = &done.file {
                    x.open_files.remove(file);
                }
                match (x.open.len(), done.include) {
                    (0, _) => return Ok(x.program),
                    (1, Some((path, span))) => {
                        let decls = std::mem::take(&mut x.included);
                        x.program.push(Decl {
                            kind: DeclKind::Included { path, decls },
                            span,
                        });
                    }
                    // Spliced flat into the file that included it.
                    _ => {}
                }
                continue;
            };
            let DeclKind::Include { path } = &decl.kind else {
                x.out().push(decl);
                continue;
            };
            let (path, span) = (path.clone(), decl.span);
            let dir = top.dir.clone();
            let found = self.find_include(&path, span, dir.as_deref())?;
            let file = canonical(&found);
            if x.open_files.contains(&file) {
                return Err(vec![Diagnostic::compile(
                    format!("include cycle: \"{path}\" includes itself"),
                    span,
                )]);
            }
            if !x.spliced.insert(file.clone()) {
                // Spliced already: its declarations are in scope.
                if x.open.len() == 1 {
                    x.program.push(Decl {
                        kind: DeclKind::Included {
                            path,
                            decls: Vec::new(),
                        },
                        span,
                    });
                }
                continue;
            }
            let decls = self.read_include(&path, span, &found)?;
            x.open_files.insert(file.clone());
            x.open.push(Open {
                file: Some(file),
                dir: found.parent().map(Path::to_path_buf),
                rest: decls.into_iter(),
                include: Some((path, span)),
            });
        }
    }

    /// The file an `include` names.
    fn find_include(
        &self,
        path: &str,
        span: Span,
        dir: Option<&Path>,
    ) -> Result<PathBuf, Vec<Diagnostic>> {
        if !self.allow_files {
            return Err(vec![Diagnostic::compile(
                format!(
                    "`include \"{path}\"` is not available in this sandbox: this engine may not read files"
                ),
                span,
            )]);
        }
        match self.find(path, dir) {
            Some(file) => Ok(file),
            None => Err(vec![Diagnostic::compile(
                format!("cannot find included file \"{path}\""),
                span,
            )
            .with_help(
                "includes are looked up next to the including file, then in each -I directory",
            )]),
        }
    }

    /// Reads and parses an included file: its declarations, its includes
    /// not yet expanded.
    fn read_include(
        &mut self,
        path: &str,
        span: Span,
        file: &Path,
    ) -> Result<Vec<Decl>, Vec<Diagnostic>> {
        let text = std::fs::read_to_string(file).map_err(|e| {
            vec![Diagnostic::compile(
                format!("cannot read included file \"{path}\": {e}"),
                span,
            )]
        })?;
        let shown = file.display().to_string();
        let text = without_bom(&text);
        let id = self.sources.add(shown, text);
        let program = parse_program(text, id).map_err(|d| vec![d])?;
        if let Some(body) = &program.body {
            return Err(vec![Diagnostic::compile(
                "an included file may contain only declarations",
                body.span,
            )]);
        }
        Ok(program.decls)
    }

    fn find(&self, path: &str, dir: Option<&Path>) -> Option<PathBuf> {
        let p = Path::new(path);
        if p.is_absolute() {
            return p.is_file().then(|| p.to_path_buf());
        }
        dir.into_iter()
            .map(Path::to_path_buf)
            .chain(self.include_dirs.iter().cloned())
            .chain(std::iter::once(PathBuf::from(".")))
            .map(|d| d.join(p))
            .find(|f| f.is_file())
    }
}

/// A file's identity: its canonical path (symbolic links and `..`
/// resolved), or the path itself if that fails.
/// `text` without the UTF-8 byte order mark some editors put at its
/// start: it marks the encoding, it is not part of the program (spans
/// count from after it).
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
