//! Loading programs: reading source files, parsing them, and splicing in
//! the files they `include` (relative to the including file, then the
//! include path), with cycle detection.

use crate::diagnostics::{Diagnostic, Phase, SourceId, SourceMap, Span};
use crate::syntax::ast::{Decl, DeclKind, Program};
use crate::syntax::parser::parse_program;
use std::path::{Path, PathBuf};

/// How deep includes may nest (a guard against include cycles through
/// different spellings of one path).
const MAX_INCLUDE_DEPTH: usize = 64;

pub struct Loader<'a> {
    pub sources: &'a mut SourceMap,
    pub include_dirs: &'a [PathBuf],
    /// Whether `include` may read files (off in sandboxed hosts).
    pub allow_files: bool,
}

impl Loader<'_> {
    /// Parses `text` (named `name`, living in `dir`) and loads its includes.
    pub fn load_source(
        &mut self,
        name: &str,
        text: &str,
        dir: Option<&Path>,
    ) -> Result<(SourceId, Program), Vec<Diagnostic>> {
        let id = self.sources.add(name, text);
        let mut program = parse_program(text, id).map_err(|d| vec![d])?;
        let mut stack = vec![name.to_string()];
        self.expand(&mut program.decls, dir, &mut stack)?;
        Ok((id, program))
    }

    pub fn load_file(&mut self, path: &Path) -> Result<(SourceId, Program), Vec<Diagnostic>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![Diagnostic::new(
                Phase::Compile,
                format!("cannot read {}: {e}", path.display()),
                None,
            )]
        })?;
        self.load_source(&path.display().to_string(), &text, path.parent())
    }

    fn expand(
        &mut self,
        decls: &mut [Decl],
        dir: Option<&Path>,
        stack: &mut Vec<String>,
    ) -> Result<(), Vec<Diagnostic>> {
        for decl in decls.iter_mut() {
            let DeclKind::Include { path } = &decl.kind else {
                continue;
            };
            let path = path.clone();
            let included = self.include(&path, decl.span, dir, stack)?;
            decl.kind = DeclKind::Included {
                path,
                decls: included,
            };
        }
        Ok(())
    }

    fn include(
        &mut self,
        path: &str,
        span: Span,
        dir: Option<&Path>,
        stack: &mut Vec<String>,
    ) -> Result<Vec<Decl>, Vec<Diagnostic>> {
        let err = |msg: String| vec![Diagnostic::compile(msg, span)];
        if !self.allow_files {
            return Err(err(format!(
                "`include \"{path}\"` is not available in this sandbox: this engine may not read files"
            )));
        }
        let Some(file) = self.find(path, dir) else {
            return Err(vec![Diagnostic::compile(
                format!("cannot find included file \"{path}\""),
                span,
            )
            .with_help(
                "includes are looked up next to the including file, then in each -I directory",
            )]);
        };
        let shown = file.display().to_string();
        if stack.contains(&shown) || stack.len() > MAX_INCLUDE_DEPTH {
            return Err(err(format!("include cycle: \"{path}\" includes itself")));
        }
        let text = std::fs::read_to_string(&file)
            .map_err(|e| err(format!("cannot read included file \"{path}\": {e}")))?;
        let id = self.sources.add(shown.clone(), text.as_str());
        let program = parse_program(&text, id).map_err(|d| vec![d])?;
        if let Some(body) = &program.body {
            return Err(vec![Diagnostic::compile(
                "an included file may contain only declarations",
                body.span,
            )]);
        }
        let mut decls = program.decls;
        stack.push(shown);
        let result = self.expand(&mut decls, file.parent(), stack);
        stack.pop();
        result.map(|_| decls)
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
