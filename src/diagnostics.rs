//! Source files, spans and diagnostics.
//!
//! Every phase (lexer, parser, desugaring, resolution, runtime) reports
//! problems as a [`Diagnostic`]: a message, an optional labelled [`Span`] and
//! optional help. [`Diagnostic::report`] turns one into a `miette` report
//! that shows the source snippet, using the [`SourceMap`] that owns the text.
//!
//! What a report shows is bounded, whatever the source: `miette` is never
//! handed the file, only a [`Snippet`] of the lines around the span, each
//! cut to a window of at most [`SNIPPET_WIDTH`] characters around the
//! error (with `…` where a line was cut), a span over more than
//! [`MAX_SPAN_LINES`] lines is shown by its first line, and the message,
//! label and help are cut at [`MAX_MESSAGE_CHARS`] characters. So an error
//! at column 70,000, or at the end of a 50 MB line, renders a few lines of
//! at most a few hundred bytes each, in time proportional to the line.
//!
//! A failed compile is a [`CompileError`]: its diagnostics with the texts
//! they point into, rendered.

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

/// The most characters of a source line a report shows: a longer line is
/// cut to a window of this many characters around the error, marked `…`
/// where it was cut.
pub const SNIPPET_WIDTH: usize = 120;
/// How many characters before the error the window of a long line keeps
/// (when the line goes on that far).
pub const SNIPPET_BEFORE: usize = 40;
/// A span over more lines than this is shown by its first line only.
pub const MAX_SPAN_LINES: usize = 8;
/// How many lines before and after the span a snippet holds (what
/// `miette` shows by default).
const CONTEXT_LINES: usize = 1;
/// The most characters of a message, label or help a report shows.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// The most diagnostics of one compile that the `orc` command and
/// [`CompileError`]'s text show; the others
/// are only counted.
pub const MAX_REPORTED: usize = 20;

/// `text`, or its first `max` characters followed by `…` if it is longer.
pub fn clip(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// [`clip`] at [`MAX_MESSAGE_CHARS`]: how messages are shown.
pub fn clip_message(text: &str) -> Cow<'_, str> {
    clip(text, MAX_MESSAGE_CHARS)
}

/// Identifies one source file (program, include, prelude chunk, REPL
/// input). Ids are unique in the process, not just in one [`SourceMap`]:
/// a span from another program's code (a closure a host passed along) is
/// then looked up in vain, never in the wrong file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SourceId(pub u32);

/// Ids below this are for files that live as long as the process (the
/// prelude's): [`SourceId::permanent`]. Other files take theirs from the
/// rest of the range, which wraps around after some four billion files
/// (by then the files that had the first ids are long gone).
const FIRST_TRANSIENT: u32 = 1 << 16;

impl SourceId {
    /// A fresh id for a file that may be dropped (a program's, a REPL
    /// input's).
    pub fn fresh() -> SourceId {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let range = u64::from(u32::MAX - FIRST_TRANSIENT) + 1;
        SourceId(FIRST_TRANSIENT + (n % range) as u32)
    }

    /// A fresh id for a file that is never dropped (the prelude's chunks):
    /// never handed out again, also after the transient ids wrap around.
    pub fn permanent() -> SourceId {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        assert!(n < FIRST_TRANSIENT, "too many permanent source files");
        SourceId(n)
    }
}

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
    pub id: SourceId,
    pub name: String,
    pub text: Arc<str>,
}

/// The source texts that spans may point into, by [`SourceId`]: a
/// program's own files (the program, its includes), and the files it
/// shares with others (the prelude's chunks, an engine's declared
/// inputs), held by an [`Arc`] so that sharing them copies nothing.
///
/// Whoever needs to render diagnostics holds the map: a
/// [`Compiled`](crate::Compiled) program its own, so that dropping the
/// program frees its texts.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    /// The files shared with other maps (looked up after this map's own).
    shared: Option<Arc<SourceMap>>,
    /// This map's own files, in the order they were added.
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// An empty map that also sees the files of `shared`.
    pub fn sharing(shared: Arc<SourceMap>) -> SourceMap {
        SourceMap {
            shared: Some(shared),
            files: Vec::new(),
        }
    }

    /// Adds a file under a fresh id ([`SourceId::fresh`]).
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceId {
        self.add_as(SourceId::fresh(), name, text)
    }

    /// Adds a file under the id given (from [`SourceId::permanent`], for
    /// files that live as long as the process).
    pub fn add_as(
        &mut self,
        id: SourceId,
        name: impl Into<String>,
        text: impl Into<Arc<str>>,
    ) -> SourceId {
        self.files.push(SourceFile {
            id,
            name: name.into(),
            text: text.into(),
        });
        id
    }

    /// Takes over the own files of `other` (keeping their ids).
    pub fn absorb(&mut self, other: SourceMap) {
        self.files.extend(other.files);
    }

    /// The file with this id, among this map's own files and then the
    /// shared ones.
    pub fn get(&self, id: SourceId) -> Option<&SourceFile> {
        let mut map = self;
        loop {
            // The latest files are the likeliest to be asked for.
            if let Some(file) = map.files.iter().rev().find(|f| f.id == id) {
                return Some(file);
            }
            map = map.shared.as_deref()?;
        }
    }

    /// The files added to this map itself (not the shared ones), in order.
    pub fn own_files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The files this map shares with others, if any.
    pub fn shared(&self) -> Option<&Arc<SourceMap>> {
        self.shared.as_ref()
    }

    /// How many files there are, the shared ones included.
    pub fn len(&self) -> usize {
        self.files.len() + self.shared.as_ref().map_or(0, |s| s.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
    /// A warning: the program runs, but likely not as meant.
    Lint,
}

impl Phase {
    fn code(self) -> &'static str {
        match self {
            Phase::Syntax => "orc::syntax",
            Phase::Compile => "orc::compile",
            Phase::Runtime => "orc::runtime",
            Phase::Lint => "orc::warning",
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

    /// A `miette` report showing the message, the labelled snippet and help
    /// (each bounded: see the module's documentation).
    pub fn report(&self, sources: &SourceMap) -> miette::Report {
        let snippet = self
            .span
            .and_then(|span| Some((span, sources.get(span.source)?)))
            .map(|(span, file)| Snippet::new(&file.name, &file.text, span));
        let mut labels = Vec::new();
        if let Some(snippet) = &snippet {
            let label = self.label.as_deref().map_or("here".into(), clip_message);
            labels.push(miette::LabeledSpan::new_with_span(
                Some(label.into_owned()),
                snippet.span,
            ));
        }
        let mut diag = miette::MietteDiagnostic::new(clip_message(&self.message))
            .with_code(self.phase.code())
            .with_labels(labels);
        if self.phase == Phase::Lint {
            diag = diag.with_severity(miette::Severity::Warning);
        }
        if let Some(help) = &self.help {
            diag = diag.with_help(clip_message(help));
        }
        let report = miette::Report::new(diag);
        match snippet {
            Some(snippet) => report.with_source_code(snippet),
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
    /// The message (cut at [`MAX_MESSAGE_CHARS`] characters).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&clip_message(&self.message))
    }
}

impl std::error::Error for Diagnostic {}

/// The few lines of a source file a report shows, each cut to a window
/// around the error: what `miette` reads instead of the whole file. It
/// answers `miette` with the file's own line numbers, and with the
/// file's byte column for the span's start (as [`SourceMap::line_col`]),
/// while offsets are those of the snippet's text.
#[derive(Debug)]
pub struct Snippet {
    name: String,
    /// The lines shown, as shown, joined by `\n`.
    text: String,
    /// The file's (0-based) number of the first line shown.
    first_line: usize,
    /// For each line shown: the byte column in the file where its window
    /// starts, and the length of the `…` put before it (0 if none).
    windows: Vec<(usize, usize)>,
    /// The diagnostic's span, in the snippet's text.
    span: miette::SourceSpan,
}

const ELLIPSIS: &str = "…";

/// The byte offset `n` characters before `from` in `text`, not before `lo`.
fn chars_back(text: &str, lo: usize, from: usize, n: usize) -> usize {
    if n == 0 {
        return from;
    }
    text[lo..from]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(from, |(i, _)| lo + i)
}

/// The byte offset `n` characters after `from` in `text`, not past `hi`.
fn chars_forward(text: &str, from: usize, hi: usize, n: usize) -> usize {
    text[from..hi]
        .char_indices()
        .nth(n)
        .map_or(hi, |(i, _)| from + i)
}

/// The largest character boundary of `text` at or before `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Where the line holding byte `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text.as_bytes()[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// Where the line starting at `start` ends: at its `\n` (or `\r\n`), or at
/// the end of the text (a `\r` there is the line's own character, shown as
/// a blank, so that a span at the very end still falls inside the line).
fn line_end(text: &str, start: usize) -> usize {
    match text[start..].find('\n') {
        Some(i) if i > 0 && text.as_bytes()[start + i - 1] == b'\r' => start + i - 1,
        Some(i) => start + i,
        None => text.len(),
    }
}

impl Snippet {
    /// The snippet of `text` (the file `name`) that shows `span`.
    pub fn new(name: &str, text: &str, span: Span) -> Snippet {
        let mut start = floor_boundary(text, span.start as usize);
        let mut end = floor_boundary(text, span.end as usize).max(start);
        let ls = line_start(text, start);
        let le = line_end(text, ls);
        // The lines the span covers, within limits (as `miette` counts
        // them: a span ending after a newline, or in the middle of a
        // `\r\n`, reaches the next line).
        let bytes = text.as_bytes();
        let reach = if end > 0 && bytes[end - 1] == b'\r' && bytes.get(end) == Some(&b'\n') {
            end + 1
        } else {
            end
        };
        let mut last_start = line_start(text, reach);
        let span_lines = text[ls..last_start].matches('\n').count() + 1;
        if span_lines > MAX_SPAN_LINES {
            end = end.min(le).max(start);
            last_start = ls;
        }
        // One window of columns for every line shown, placed on the first
        // line so that the span's start is visible.
        let window_col = if text[ls..le].chars().nth(SNIPPET_WIDTH).is_none() {
            0
        } else {
            let mut ws = chars_back(text, ls, start.min(le), SNIPPET_BEFORE);
            let we = chars_forward(text, ws, le, SNIPPET_WIDTH);
            let shown = text[ws..we].chars().count();
            if shown < SNIPPET_WIDTH {
                ws = chars_back(text, ls, ws, SNIPPET_WIDTH - shown);
            }
            text[ls..ws].chars().count()
        };
        // The starts of the lines shown: context before, the span's lines,
        // context after.
        let mut starts = vec![ls];
        while starts.len() <= CONTEXT_LINES && starts[0] > 0 {
            starts.insert(0, line_start(text, starts[0] - 1));
        }
        let first_shown = starts.len() - 1;
        while *starts.last().unwrap() < last_start {
            let next = text[*starts.last().unwrap()..].find('\n').unwrap() + 1;
            starts.push(starts.last().unwrap() + next);
        }
        for _ in 0..CONTEXT_LINES {
            let at = *starts.last().unwrap();
            match text[at..].find('\n') {
                Some(i) => starts.push(at + i + 1),
                None => break,
            }
        }
        let first_line = text[..starts[0]].matches('\n').count();
        let mut out = String::new();
        let mut windows = Vec::with_capacity(starts.len());
        // For each line: (its start in `out`, window start and end in the
        // file, length of the `…` before).
        let mut placed = Vec::with_capacity(starts.len());
        for &s in &starts {
            let e = line_end(text, s);
            let ws = chars_forward(text, s, e, window_col);
            let we = chars_forward(text, ws, e, SNIPPET_WIDTH);
            let at = out.len();
            let before = if ws > s { ELLIPSIS.len() } else { 0 };
            if before > 0 {
                out.push_str(ELLIPSIS);
            }
            // A lone carriage return would end the line for `miette`.
            out.extend(
                text[ws..we]
                    .chars()
                    .map(|c| if c == '\r' { ' ' } else { c }),
            );
            if we < e {
                out.push_str(ELLIPSIS);
            }
            windows.push((ws - s, before));
            // A span may end past the line's last character, on its
            // newline, unless the line was cut.
            let stop = if we < e { out.len() } else { out.len() + 1 };
            placed.push((at, ws, we, before, stop));
            // The line's own ending, `\n` or `\r\n`, if it has one.
            if let Some(nl) = text[e..].find('\n') {
                out.push_str(&text[e..e + nl + 1]);
            }
        }
        // Offsets of the file, on line `i` shown, in the snippet's text:
        // clamped to the window (an end past it covers the `…`).
        let map = |i: usize, offset: usize| {
            let (at, ws, we, before, stop) = placed[i];
            if offset < ws {
                at
            } else if offset > we {
                stop.min(at + before + (offset - ws))
            } else {
                at + before + (offset - ws)
            }
        };
        let start_at = map(first_shown, start);
        let end_line = starts
            .iter()
            .rposition(|&s| s <= last_start)
            .unwrap_or(first_shown);
        let end_at = if end == start {
            start_at
        } else {
            map(end_line, end).max(start_at)
        };
        start = start_at;
        end = end_at;
        // A span at the very end of a text with no final newline has no
        // character to stand under: a blank gives the caret its place.
        if start == out.len() {
            out.push(' ');
        }
        Snippet {
            name: name.to_string(),
            text: out,
            first_line,
            windows,
            span: miette::SourceSpan::new(start.into(), end - start),
        }
    }
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let line = inner.line();
        // The column of a span read without context is the file's.
        let column = match self.windows.get(line) {
            Some(&(start, before)) if context_lines_before == 0 => {
                start + inner.column().saturating_sub(before)
            }
            _ => inner.column(),
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.first_line + line,
            column,
            inner.line_count(),
        )))
    }
}

/// A program did not compile: syntax errors, unbound or withheld names,
/// includes that could not be read. [`Engine::compile`](crate::Engine::compile)
/// (and every other way of compiling) fails with one: it carries the
/// diagnostics, the source texts they point into and their rendering (with
/// source snippets), so that it can be printed or passed on with `?`. The
/// engine keeps no program's texts: the error holds the failed program's own.
#[derive(Clone, Debug)]
pub struct CompileError {
    /// The problems found, in order.
    pub diagnostics: Vec<Diagnostic>,
    sources: SourceMap,
    rendered: String,
}

impl CompileError {
    pub(crate) fn new(diagnostics: Vec<Diagnostic>, sources: SourceMap) -> CompileError {
        let mut rendered = diagnostics
            .iter()
            .take(MAX_REPORTED)
            .map(|d| d.render(&sources))
            .collect::<Vec<_>>()
            .join("\n");
        if diagnostics.len() > MAX_REPORTED {
            let more = diagnostics.len() - MAX_REPORTED;
            rendered.push_str(&format!("\n{more} more problem(s) not shown"));
        }
        CompileError {
            diagnostics,
            sources,
            rendered,
        }
    }

    /// The source texts the diagnostics point into (the program's files,
    /// as far as they were read, and the engine's shared ones): to render
    /// them another way, e.g. [`Diagnostic::report`] with colours.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }
}

impl fmt::Display for CompileError {
    /// Every diagnostic with its source snippet, as the `orc` command
    /// shows them (without colours): the first
    /// [`MAX_REPORTED`], each bounded (see
    /// this module).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rendered.trim_end())
    }
}

impl std::error::Error for CompileError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders `d` for `text` as `miette` would with the whole file.
    fn render_whole(d: &Diagnostic, text: &str) -> String {
        let span = d.span.unwrap();
        let label = miette::LabeledSpan::new_with_span(
            d.label.clone(),
            miette::SourceSpan::new((span.start as usize).into(), span.len()),
        );
        let diag = miette::MietteDiagnostic::new(d.message.clone())
            .with_code(d.phase.code())
            .with_labels([label]);
        let report = miette::Report::new(diag)
            .with_source_code(miette::NamedSource::new("t.orc", text.to_string()));
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        handler.render_report(&mut out, report.as_ref()).unwrap();
        out
    }

    fn diag(start: usize, end: usize) -> Diagnostic {
        Diagnostic::syntax("bad", Span::new(SourceId(0), start, end)).with_label("this")
    }

    fn render(text: &str, start: usize, end: usize) -> String {
        let mut sources = SourceMap::new();
        sources.add_as(SourceId(0), "t.orc", text);
        diag(start, end).render(&sources)
    }

    #[test]
    fn short_lines_render_as_with_the_whole_file() {
        let texts = [
            "1 +\n  (2 * )\n",
            "val x = 1\nx >> )",
            "a\nb\nc\nd\ne\n",
            "one\r\ntwo\r\nthree\r\n",
            "déjà vu\n«x» + 1\n",
            "",
        ];
        for text in texts {
            let mut cuts: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            cuts.dedup();
            for &start in &cuts {
                if start == text.len() {
                    // Past the last character: see `a_caret_at_the_end_of_the_text`.
                    continue;
                }
                for &end in cuts.iter().filter(|&&e| e >= start).take(6) {
                    assert_eq!(
                        render(text, start, end),
                        render_whole(&diag(start, end), text),
                        "{text:?} {start}..{end}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_caret_at_the_end_of_the_text() {
        // The caret has a column to stand in, with or without a final
        // newline (columns count bytes).
        for text in ["1 +", "f(x) =", "é +", "", "1 +\n"] {
            let out = render(text, text.len(), text.len());
            let (line, col) = match text.strip_suffix('\n') {
                Some(_) => (2, 1),
                None => (1, text.len() + 1),
            };
            assert!(
                out.contains(&format!("t.orc:{line}:{col}")),
                "{text:?}: {out}"
            );
            assert!(out.contains('▲'), "{text:?}: {out}");
        }
    }

    #[test]
    fn a_long_line_shows_a_window_around_the_error() {
        let text = format!("1 + {})\nnext", " ".repeat(70_000));
        let out = render(&text, 70_004, 70_005);
        assert!(out.contains("t.orc:1:70005"), "{out}");
        assert!(out.contains('…'), "{out}");
        assert!(out.len() < 2_000, "{} bytes: {out}", out.len());
        // An error at the very end of a long line, of wide characters.
        let text = format!("[{}", "漢,".repeat(100_000));
        let out = render(&text, text.len(), text.len());
        assert!(
            out.contains(&format!("t.orc:1:{}", text.len() + 1)),
            "{out}"
        );
        assert!(out.len() < 2_000, "{} bytes: {out}", out.len());
        // A span from the start of a long line to its end.
        let text = format!("\"{}\"\n", "x".repeat(50_000));
        let out = render(&text, 0, text.len() - 1);
        assert!(out.contains("t.orc:1:1"), "{out}");
        assert!(out.len() < 2_000, "{} bytes: {out}", out.len());
    }

    #[test]
    fn long_context_lines_are_cut_too() {
        let long = "y".repeat(10_000);
        let text = format!("{long}\nx + )\n{long}\n");
        let start = long.len() + 5;
        let out = render(&text, start, start + 1);
        assert!(out.contains("t.orc:2:5"), "{out}");
        assert!(out.len() < 2_000, "{} bytes: {out}", out.len());
        assert_eq!(out.matches('…').count(), 2, "{out}");
    }

    #[test]
    fn a_span_over_many_lines_is_shown_by_its_first() {
        let text = "f(\n".to_string() + &"  1,\n".repeat(10_000) + ")";
        let out = render(&text, 0, text.len());
        assert!(out.contains("t.orc:1:1"), "{out}");
        assert!(out.lines().count() < 12, "{out}");
        // A few lines are shown whole.
        let text = "f(\n  1,\n  2\n)\n";
        assert_eq!(render(text, 0, 12), render_whole(&diag(0, 12), text));
    }

    #[test]
    fn a_carriage_return_ending_the_text_is_part_of_its_line() {
        // Found by the fuzzer: `{{` and a lone `\r`, with the error at the
        // very end, made the renderer read past its snippet.
        for text in ["{{\r", "(\r", "x\r\r", "a\n\r"] {
            let out = render(text, text.len(), text.len());
            assert!(out.contains("bad"), "{text:?}: {out}");
        }
    }

    #[test]
    fn messages_are_cut() {
        let mut sources = SourceMap::new();
        let id = sources.add("t.orc", "x");
        let long = "m".repeat(100_000);
        let d = Diagnostic::syntax(long.clone(), Span::new(id, 0, 1))
            .with_label(long.clone())
            .with_help(long);
        let out = d.render(&sources);
        assert!(
            out.len() < 4 * MAX_MESSAGE_CHARS + 1_000,
            "{} bytes",
            out.len()
        );
        assert_eq!(d.to_string().chars().count(), MAX_MESSAGE_CHARS + 1);
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc…");
    }

    #[test]
    fn a_map_sees_its_own_files_and_the_shared_ones() {
        let mut shared = SourceMap::new();
        let lib = shared.add("lib.orc", "def f() = 1\n");
        let shared = Arc::new(shared);
        let mut a = SourceMap::sharing(shared.clone());
        let mut b = SourceMap::sharing(shared.clone());
        let in_a = a.add("a.orc", "f()\n");
        let in_b = b.add("b.orc", "f() + 1\n");
        assert_ne!(in_a, in_b, "ids are unique across maps");
        assert_eq!(a.get(lib).unwrap().name, "lib.orc");
        assert_eq!(a.get(in_a).unwrap().name, "a.orc");
        assert!(a.get(in_b).is_none(), "another program's file is not found");
        assert_eq!((a.len(), a.own_files().len()), (2, 1));
        assert_eq!(b.line_col(Span::new(in_b, 4, 5)), Some((1, 5)));
        let permanent = SourceId::permanent();
        assert!(permanent.0 < FIRST_TRANSIENT && in_a.0 >= FIRST_TRANSIENT);
    }
}
