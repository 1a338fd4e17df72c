//! `orc run --trace FILE`: what the program did over time, as a Chrome
//! trace (the JSON trace-event format that ui.perfetto.dev and
//! chrome://tracing open).
//!
//! Every token is a thread track: a slice for its life, with a slice
//! inside for each site call it waited on (named by the call's text, e.g.
//! `Rwait(latency(i))` or `c.get()`), from the runtime's trace
//! ([`orc::runtime::trace`]). Tokens are grouped in processes by the place
//! where they started, that is by the combinator that spawned them (all
//! the tokens an `each(bidders) >i> ...` starts are one group).
//! Publications, prints and errors are instants, from the run's events
//! ([`Recorder`]). Times are the program's clock: simulated under
//! `--sim-time`.

use orc::diagnostics::{SourceMap, Span};
use orc::runtime::trace::{Trace, TraceEvent};
use orc::{Events, RuntimeError, Value};
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// An instant: when (µs), and what.
type Instant = (u64, String);

/// Passes the run's events on to `inner`, keeping each as an instant.
pub struct Recorder {
    inner: Box<dyn Events>,
    now_us: u64,
    instants: Arc<Mutex<Vec<Instant>>>,
}

/// The most instants kept (as the runtime's trace keeps at most its own
/// maximum of events).
const MAX_INSTANTS: usize = 1_000_000;

impl Recorder {
    pub fn new(inner: Box<dyn Events>) -> (Recorder, Arc<Mutex<Vec<Instant>>>) {
        let instants = Arc::new(Mutex::new(Vec::new()));
        let recorder = Recorder {
            inner,
            now_us: 0,
            instants: instants.clone(),
        };
        (recorder, instants)
    }

    fn keep(&self, what: String) {
        let mut instants = self.instants.lock().unwrap_or_else(|e| e.into_inner());
        if instants.len() < MAX_INSTANTS {
            instants.push((self.now_us, what));
        }
    }
}

/// At most `n` characters of `text`, on one line.
fn short(text: &str, n: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > n {
        line.chars().take(n - 3).collect::<String>() + "..."
    } else {
        line
    }
}

impl Events for Recorder {
    fn publish(&mut self, value: &Value) {
        self.keep(format!("publish {}", short(&value.to_string(), 60)));
        self.inner.publish(value);
    }
    fn print(&mut self, text: &str) {
        self.keep(format!("print {}", short(text, 60)));
        self.inner.print(text);
    }
    fn error(&mut self, error: &RuntimeError) {
        self.keep(format!("error {}", short(&error.message, 60)));
        self.inner.error(error);
    }
    fn at(&mut self, now_ms: u64) {
        self.now_us = now_ms * 1000;
        self.inner.at(now_ms);
    }
}

/// The text at `span`, short, and where it is: ("c.get()", "p.orc:4:3").
fn place(sources: &SourceMap, span: Span) -> (String, String) {
    let text = sources
        .get(span.source)
        .and_then(|f| f.text.get(span.start as usize..span.end as usize))
        .map_or_else(|| "?".to_string(), |t| short(t, 50));
    let at = match (sources.get(span.source), sources.line_col(span)) {
        (Some(f), Some((line, col))) => format!("{}:{line}:{col}", f.name),
        _ => "?".to_string(),
    };
    (text, at)
}

/// Writes the events of a Chrome trace one by one (a trace of a hundred
/// thousand tokens is never a tree of JSON values in memory).
struct Out<W: Write> {
    out: W,
    first: bool,
    failed: Option<std::io::Error>,
}

impl<W: Write> Out<W> {
    fn push(&mut self, event: Json) {
        if self.failed.is_some() {
            return;
        }
        let sep: &[u8] = if self.first { b"" } else { b",\n" };
        self.first = false;
        let written = self
            .out
            .write_all(sep)
            .and_then(|()| serde_json::to_writer(&mut self.out, &event).map_err(Into::into));
        if let Err(e) = written {
            self.failed = Some(e);
        }
    }
}

/// Writes the trace and the instants to `out` as a Chrome trace.
pub fn write_chrome_trace(
    trace: &Trace,
    instants: &[Instant],
    sources: &SourceMap,
    mut out: impl Write,
) -> std::io::Result<()> {
    out.write_all(b"{\"traceEvents\":[\n")?;
    let mut events = Out {
        out,
        first: true,
        failed: None,
    };
    // Processes: 1 for the program's first token and the instants, then
    // one per place where tokens start.
    let mut processes: HashMap<Option<Span>, u64> = HashMap::new();
    let mut pid_of: HashMap<u64, u64> = HashMap::new();
    // The name of each token's open wait (an `E` names what it ends, for
    // viewers that match them by name).
    let mut waiting: HashMap<u64, String> = HashMap::new();
    events.push(json!({"ph": "M", "name": "process_name", "pid": 1, "args": {"name": "program"}}));
    events.push(
        json!({"ph": "M", "name": "process_sort_index", "pid": 1, "args": {"sort_index": 0}}),
    );
    for e in trace.events() {
        match e {
            TraceEvent::Start {
                us,
                token,
                parent,
                at,
            } => {
                let pid = if parent.is_none() {
                    1
                } else {
                    let next = processes.len() as u64 + 2;
                    *processes.entry(*at).or_insert_with(|| {
                        let name = match at {
                            Some(span) => {
                                let (text, at) = place(sources, *span);
                                format!("tokens started at {at}: {text}")
                            }
                            None => "tokens started by combinators".to_string(),
                        };
                        events.push(json!({"ph": "M", "name": "process_name", "pid": next, "args": {"name": name}}));
                        events.push(json!({"ph": "M", "name": "process_sort_index", "pid": next, "args": {"sort_index": next}}));
                        next
                    })
                };
                pid_of.insert(*token, pid);
                let name = match parent {
                    Some(p) => format!("token {token} (from {p})"),
                    None => format!("token {token}"),
                };
                events.push(json!({"ph": "M", "name": "thread_name", "pid": pid, "tid": token, "args": {"name": name}}));
                events.push(json!({"ph": "B", "name": format!("token {token}"), "cat": "token", "pid": pid, "tid": token, "ts": us}));
            }
            TraceEvent::Wait { us, token, at } => {
                let pid = pid_of.get(token).copied().unwrap_or(1);
                let (text, at) = place(sources, *at);
                let text = format!("{text}  ({at})");
                events.push(json!({"ph": "B", "name": text, "cat": "call", "pid": pid, "tid": token, "ts": us}));
                waiting.insert(*token, text);
            }
            TraceEvent::Resume { us, token } => {
                let pid = pid_of.get(token).copied().unwrap_or(1);
                if let Some(name) = waiting.remove(token) {
                    events
                        .push(json!({"ph": "E", "name": name, "pid": pid, "tid": token, "ts": us}));
                }
            }
            TraceEvent::End { us, token } => {
                let pid = pid_of.get(token).copied().unwrap_or(1);
                if let Some(name) = waiting.remove(token) {
                    events
                        .push(json!({"ph": "E", "name": name, "pid": pid, "tid": token, "ts": us}));
                }
                events.push(json!({"ph": "E", "name": format!("token {token}"), "pid": pid, "tid": token, "ts": us}));
            }
        }
    }
    for (us, what) in instants {
        events.push(json!({"ph": "i", "s": "g", "name": what, "cat": "event", "pid": 1, "tid": 0, "ts": us}));
    }
    if let Some(e) = events.failed {
        return Err(e);
    }
    let mut out = events.out;
    write!(out, "\n],\"displayTimeUnit\":\"ms\"")?;
    if trace.dropped > 0 {
        write!(
            out,
            ",\"otherData\":{{\"dropped_events\":{}}}",
            trace.dropped
        )?;
    }
    out.write_all(b"}\n")?;
    out.flush()
}
