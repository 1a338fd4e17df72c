//! Source files, spans and diagnostics.
//!
//! Every phase (lexer, parser, desugaring, resolution, runtime) reports
//! problems as a [`Diagnostic`]: a message, an optional labelled [`Span`] and
//! optional help. [`Diagnostic::report`] turns one into a `miette` report
//! that shows the source snippet, using the [`SourceMap`] that owns the text.

use std::fmt;
use std::sync::Arc;

/// Identifies one source file (program, include, prelude file, REPL input)
/// inside a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SourceId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub source: SourceId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(source: SourceId, start: usize, end: usize) -> Span {
        Span {
            source,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both (which must be in the same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            source: self.source,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

/// One loaded source text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
}

/// All source texts known to one engine, indexed by [`SourceId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceId {
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
        });
        SourceId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: SourceId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// How many files there are; the next one added gets this id.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// 1-based line and column of a byte offset, for plain-text messages.
    pub fn line_col(&self, span: Span) -> Option<(usize, usize)> {
        let file = self.get(span.source)?;
        let upto = file.text.get(..span.start as usize)?;
        let line = upto.matches('\n').count() + 1;
        let col = upto.len() - upto.rfind('\n').map_or(0, |i| i + 1) + 1;
        Some((line, col))
    }
}

/// Which phase found the problem; shown as the diagnostic's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Syntax,
    Compile,
    Runtime,
}

impl Phase {
    fn code(self) -> &'static str {
        match self {
            Phase::Syntax => "orc::syntax",
            Phase::Compile => "orc::compile",
            Phase::Runtime => "orc::runtime",
        }
    }
}

/// A problem in an Orc program, found at compile time or run time.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub phase: Phase,
    pub message: String,
    pub span: Option<Span>,
    /// Text shown at the span; defaults to the message.
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(phase: Phase, message: impl Into<String>, span: Option<Span>) -> Diagnostic {
        Diagnostic {
            phase,
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }

    pub fn syntax(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(Phase::Syntax, message, Some(span))
    }

    pub fn compile(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(Phase::Compile, message, Some(span))
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// A `miette` report showing the message, the labelled snippet and help.
    pub fn report(&self, sources: &SourceMap) -> miette::Report {
        let file = self.span.and_then(|s| sources.get(s.source));
        let mut labels = Vec::new();
        if let (Some(span), Some(_)) = (self.span, file) {
            labels.push(miette::LabeledSpan::new_with_span(
                Some(self.label.clone().unwrap_or_else(|| "here".to_string())),
                miette::SourceSpan::new((span.start as usize).into(), span.len()),
            ));
        }
        let mut diag = miette::MietteDiagnostic::new(self.message.clone())
            .with_code(self.phase.code())
            .with_labels(labels);
        if let Some(help) = &self.help {
            diag = diag.with_help(help.clone());
        }
        let report = miette::Report::new(diag);
        match file {
            Some(f) => report
                .with_source_code(miette::NamedSource::new(f.name.clone(), f.text.to_string())),
            None => report,
        }
    }

    /// The report rendered as text (no colours), for tests and logs.
    pub fn render(&self, sources: &SourceMap) -> String {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        let report = self.report(sources);
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out = self.to_string();
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}
