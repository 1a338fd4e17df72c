//! `orc run --json`: a run's events as JSON Lines on stdout, one object a
//! line, so that a tool can tell publications, printed text, errors and
//! the end apart. Every object has a `kind` and `ms`, the program's clock
//! (simulated under `--sim-time`) when it happened:
//!
//! ```text
//! {"kind":"publication","ms":0,"value":3,"text":"3"}
//! {"kind":"print","ms":0,"text":"hello\n"}
//! {"kind":"error","ms":5,"message":"division by zero","file":"p.orc","line":1,"column":7}
//! {"kind":"warning","ms":0,"message":"...","file":"p.orc","line":2,"column":1}
//! {"kind":"halt","ms":5,"outcome":"halted","errors":1}
//! ```
//!
//! A publication's `value` is the value as JSON when it has a JSON form
//! (numbers, strings, booleans, `null`, lists, records), and `null`
//! otherwise; `text` is always how `orc run` would print it. Compile
//! errors and warnings come as `error` and `warning` objects (with a
//! `phase`) and, as usual, as reports on stderr. Every error is written:
//! the cap on reports applies to stderr, not to these lines.

use crate::terminal::Tally;
use orc::diagnostics::{Diagnostic, Phase, SourceMap, Span};
use orc::{Events, KillSwitch, RunOutcome, RuntimeError, Value};
use serde_json::{json, Map, Value as Json};
use std::io::Write;
use std::sync::Arc;

pub struct JsonLines {
    sources: SourceMap,
    quiet: bool,
    tally: Arc<Tally>,
    kill: KillSwitch,
    now_ms: u64,
}

impl JsonLines {
    pub fn new(sources: SourceMap, quiet: bool, tally: Arc<Tally>, kill: KillSwitch) -> JsonLines {
        JsonLines {
            sources,
            quiet,
            tally,
            kill,
            now_ms: 0,
        }
    }

    fn event(&self, kind: &str, fields: Map<String, Json>) {
        let mut object = Map::new();
        object.insert("kind".into(), kind.into());
        object.insert("ms".into(), self.now_ms.into());
        object.extend(fields);
        if !self
            .tally
            .write_out(format!("{}\n", Json::Object(object)).as_bytes())
        {
            self.kill.kill();
        }
    }
}

/// The value's JSON form, if it has one.
fn as_json(value: &Value) -> Json {
    let mut text = String::new();
    match orc::sites::json::write_json(value, &mut text) {
        Ok(()) => serde_json::from_str(&text).unwrap_or(Json::Null),
        Err(_) => Json::Null,
    }
}

/// `file`, `line` and `column` of a span, where it can be found.
fn location(sources: &SourceMap, span: Option<Span>) -> Map<String, Json> {
    let mut out = Map::new();
    let Some(span) = span else { return out };
    if let (Some(file), Some((line, column))) = (sources.get(span.source), sources.line_col(span)) {
        out.insert("file".into(), file.name.clone().into());
        out.insert("line".into(), line.into());
        out.insert("column".into(), column.into());
    }
    out
}

impl Events for JsonLines {
    fn at(&mut self, now_ms: u64) {
        self.now_ms = now_ms;
    }

    fn publish(&mut self, value: &Value) {
        if self.quiet {
            return;
        }
        let mut fields = Map::new();
        fields.insert("value".into(), as_json(value));
        fields.insert("text".into(), value.to_string().into());
        self.event("publication", fields);
    }

    fn print(&mut self, text: &str) {
        let mut fields = Map::new();
        fields.insert("text".into(), text.into());
        self.event("print", fields);
    }

    fn error(&mut self, error: &RuntimeError) {
        self.tally.count_error();
        let mut fields = Map::new();
        fields.insert("message".into(), error.message.clone().into());
        fields.extend(location(&self.sources, error.span));
        self.event("error", fields);
    }
}

/// Compile errors and warnings as `error` and `warning` lines.
pub fn diagnostics(diagnostics: &[Diagnostic], sources: &SourceMap) {
    let mut out = std::io::stdout().lock();
    for d in diagnostics {
        let (kind, phase) = match d.phase {
            Phase::Syntax => ("error", "syntax"),
            Phase::Compile => ("error", "compile"),
            Phase::Runtime => ("error", "runtime"),
            Phase::Lint => ("warning", "compile"),
        };
        let mut object = Map::new();
        object.insert("kind".into(), kind.into());
        object.insert("ms".into(), 0.into());
        object.insert("phase".into(), phase.into());
        object.insert("message".into(), d.message.clone().into());
        object.extend(location(sources, d.span));
        if let Some(help) = &d.help {
            object.insert("help".into(), help.clone().into());
        }
        let _ = writeln!(out, "{}", Json::Object(object));
    }
}

/// The last line: how the run ended.
pub fn halt(outcome: RunOutcome, now_ms: u64, errors: usize, tally: &Tally) {
    let (name, extra) = match outcome {
        RunOutcome::Halted => ("halted", None),
        RunOutcome::Deadlock { live_tokens } => ("deadlock", Some(("waiting_tokens", live_tokens))),
        RunOutcome::TimeLimit => ("time-limit", None),
        RunOutcome::TokenLimit => ("token-limit", None),
        RunOutcome::Killed => ("killed", None),
        RunOutcome::PublicationLimit => ("publication-limit", None),
        RunOutcome::MemoryLimit => ("memory-limit", None),
        RunOutcome::StepLimit => ("step-limit", None),
        RunOutcome::OutputLimit => ("output-limit", None),
    };
    let mut object = json!({"kind": "halt", "ms": now_ms, "outcome": name, "errors": errors});
    if let (Some((key, n)), Some(map)) = (extra, object.as_object_mut()) {
        map.insert(key.into(), n.into());
    }
    let _ = tally.write_out(format!("{object}\n").as_bytes());
}
