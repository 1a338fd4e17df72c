//! Parser: tokens to the surface AST.
//!
//! The grammar lives in `grammar/orc.lalrpop` and is turned into the
//! `grammar` module by the build script. This module owns the entry points,
//! and its submodules own the node builders called by grammar actions
//! (`build`, `decls`, `cover`) and the translation of parse errors into
//! diagnostics (`errors`).

mod build;
mod cover;
mod decls;
mod errors;

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused)]
    grammar,
    "/orc.rs"
);

use crate::diagnostics::{Diagnostic, SourceId, Span};
use crate::syntax::ast::{Expr, ExprKind, Program};
use crate::syntax::lexer::{self, Token};
use lalrpop_util::ParseError;

pub use build::MAX_DEPTH;

/// Parses a whole program: leading declarations, then the expression they
/// scope over (if any).
///
/// The lexer feeds the parser token by token: no table of tokens is kept
/// (one would take about 50 bytes a token, 25 times the text of a long
/// list of numbers), so the memory of a parse is the text and the tree.
pub fn parse_program(text: &str, source: SourceId) -> Result<Program, Diagnostic> {
    grammar::ProgramParser::new()
        .parse(source, lexer::Lexer::new(text, source))
        .map(|top| top.finish())
        .map_err(|e| explain(text, source, e))
}

/// The diagnostic for a failed parse. A lexical error anywhere in the text
/// wins over a syntax error (as if the whole text were lexed first); the
/// spans of the tokens before the error, which the explanation looks at,
/// are found by lexing the text again, now that it failed.
fn explain(text: &str, source: SourceId, e: ParseError<usize, Token, Diagnostic>) -> Diagnostic {
    let until = match &e {
        ParseError::User { .. } => 0,
        ParseError::InvalidToken { location } | ParseError::UnrecognizedEof { location, .. } => {
            *location
        }
        ParseError::UnrecognizedToken { token, .. } | ParseError::ExtraToken { token } => token.0,
    };
    let mut spans = Vec::new();
    for token in lexer::Lexer::new(text, source) {
        match token {
            Err(lexical) => return lexical,
            Ok((l, _, r)) if l < until => spans.push((l, r)),
            Ok(_) => {}
        }
    }
    let cx = errors::Context {
        text,
        source,
        spans: &spans,
    };
    errors::to_diagnostic(e, &cx)
}

/// Parses an included file (or prelude file): declarations only.
pub fn parse_module(text: &str, source: SourceId) -> Result<Program, Diagnostic> {
    let program = parse_program(text, source)?;
    if let Some(body) = &program.body {
        return Err(Diagnostic::syntax("expected a declaration", body.span)
            .with_label("an expression cannot appear in an included file")
            .with_help("included files may only contain declarations"));
    }
    Ok(program)
}

/// Parses one expression; leading declarations become `Declare` nodes
/// around it. Mostly for tests and tools.
pub fn parse_expr(text: &str, source: SourceId) -> Result<Expr, Diagnostic> {
    let program = parse_program(text, source)?;
    let Some(mut expr) = program.body else {
        let at = text.len();
        return Err(Diagnostic::syntax(
            "expected an expression",
            Span::new(source, at, at),
        ));
    };
    for decl in program.decls.into_iter().rev() {
        let span = decl.span.to(expr.span);
        expr = Expr {
            kind: ExprKind::Declare {
                decl: Box::new(decl),
                body: Box::new(expr),
            },
            span,
        };
    }
    Ok(expr)
}
