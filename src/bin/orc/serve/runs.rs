//! The playground's runs: the cap on how many run at once, each run's id
//! and kill switch, and what a run reports, as Server-Sent Events.
//!
//! A run holds a [`Slot`] from the moment its request is accepted until
//! its task has ended and its stream has been delivered or dropped; the
//! slots are the cap (`--max-runs`) and their count is the server's
//! number of active runs (`GET /api/status`). Every event of
//! a run ([`Sink`]) goes to an unbounded channel read by the visitor's
//! HTTP response: what it can hold is bounded by the run's own limits
//! (output, publications, memory, which the channel's buffer counts
//! against, since the run allocates it). A closed response throws the
//! run's kill switch, so no run outlives its visitor.
//!
//! Site calls come from the run's trace ([`orc::runtime::trace`], as
//! `orc run --trace` records it), told as the run goes
//! ([`Events::traced`]): each call that waited is a mark from when it was
//! made to when it answered ([`Calls`]).

use orc::diagnostics::{SourceMap, Span};
use orc::runtime::trace::TraceEvent;
use orc::{Events, KillSwitch, RunOutcome, RuntimeError, Value};
use serde_json::{json, Map, Value as Json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;

/// The name the visitor's program has in diagnostics.
pub const PROGRAM: &str = "playground.orc";

/// The limit on a simulated-time run's clock; its wall-clock time is
/// limited by the playground's time limit (see `api::run`).
pub const SIMULATED_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(3600);

/// The most runtime errors sent for one run (later ones are counted).
const MAX_ERRORS: usize = 1_000;

/// The most site-call marks sent for one run (later ones are counted).
const MAX_CALLS: usize = 5_000;

/// The longest text of one publication sent, in characters.
const MAX_VALUE_CHARS: usize = 10_000;

/// The runs under way, by id, and the cap on how many there may be.
pub struct Runs {
    max: usize,
    active: Arc<AtomicUsize>,
    switches: Arc<Mutex<HashMap<String, KillSwitch>>>,
}

/// A place among the runs: taken when a request is accepted, given back
/// when its run (or its compile error) is over.
pub struct Slot {
    active: Arc<AtomicUsize>,
    switches: Arc<Mutex<HashMap<String, KillSwitch>>>,
    id: Option<String>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(id) = &self.id {
            lock(&self.switches).remove(id);
        }
        self.active.fetch_sub(1, Ordering::SeqCst);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Runs {
    pub fn new(max: usize) -> Runs {
        Runs {
            max,
            active: Arc::default(),
            switches: Arc::default(),
        }
    }

    /// A slot, unless `max` runs are under way.
    pub fn try_start(&self) -> Option<Slot> {
        self.active
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()?;
        Some(Slot {
            active: self.active.clone(),
            switches: self.switches.clone(),
            id: None,
        })
    }

    /// How many runs are under way (requests being compiled included).
    pub fn active(&self) -> usize {
        self.active.load(Ordering::SeqCst)
    }

    /// Registers the slot's run under a fresh random id, for `stop`.
    pub fn register(&self, slot: &mut Slot, kill: KillSwitch) -> String {
        let id = format!(
            "{:016x}{:016x}",
            getrandom::u64().unwrap_or(0),
            getrandom::u64().unwrap_or(1)
        );
        lock(&self.switches).insert(id.clone(), kill);
        slot.id = Some(id.clone());
        id
    }

    /// Stops the run `id`; false if there is no such run (any more).
    pub fn stop(&self, id: &str) -> bool {
        match lock(&self.switches).get(id) {
            Some(kill) => {
                kill.kill();
                true
            }
            None => false,
        }
    }
}

/// One Server-Sent Event: `event: NAME` and its data as one line of JSON.
pub fn sse(name: &str, data: &Json) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// Where spans fall in the visitor's program, as a browser counts:
/// offsets in UTF-16 code units, lines and columns from 1.
pub struct Positions {
    text: String,
    /// Byte offset of each line's start.
    lines: Vec<usize>,
    /// UTF-16 offset of each line's start.
    lines16: Vec<usize>,
}

impl Positions {
    pub fn new(text: &str) -> Positions {
        let mut lines = vec![0];
        let mut lines16 = vec![0];
        let mut at16 = 0;
        for (i, c) in text.char_indices() {
            at16 += c.len_utf16();
            if c == '\n' {
                lines.push(i + 1);
                lines16.push(at16);
            }
        }
        Positions {
            text: text.to_string(),
            lines,
            lines16,
        }
    }

    /// (line, column, UTF-16 offset) of a byte offset.
    fn locate(&self, byte: usize) -> (usize, usize, usize) {
        let byte = byte.min(self.text.len());
        let line = self.lines.partition_point(|&s| s <= byte).max(1) - 1;
        let start = self.lines[line];
        let column16: usize = self
            .text
            .get(start..byte)
            .map_or(0, |t| t.chars().map(char::len_utf16).sum());
        (line + 1, column16 + 1, self.lines16[line] + column16)
    }

    /// `from`, `to` (UTF-16 offsets), `line` and `column` of `span` if it
    /// is in the visitor's program; nothing for a span elsewhere (in the
    /// prelude).
    pub fn fields(&self, sources: &SourceMap, span: Option<Span>) -> Map<String, Json> {
        let mut out = Map::new();
        let Some(span) = span else { return out };
        if sources.get(span.source).map(|f| f.name.as_str()) != Some(PROGRAM) {
            return out;
        }
        let (line, column, from) = self.locate(span.start as usize);
        let (_, _, to) = self.locate(span.end as usize);
        out.insert("from".into(), from.into());
        out.insert("to".into(), to.into());
        out.insert("line".into(), line.into());
        out.insert("column".into(), column.into());
        out
    }
}

/// At most `n` characters of `text`.
fn clip(text: String, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Shared by a run's [`Sink`] and its task: what has been sent so far.
#[derive(Default)]
pub struct Counts {
    pub errors: usize,
    pub errors_dropped: usize,
    pub calls: Calls,
}

/// A run's [`Events`], sent to its visitor as they happen, each with the
/// program's clock (`ms`).
pub struct Sink {
    pub tx: UnboundedSender<String>,
    /// Thrown when the visitor has gone (the channel is closed).
    pub kill: KillSwitch,
    pub sources: SourceMap,
    pub positions: Arc<Positions>,
    pub counts: Arc<Mutex<Counts>>,
    pub now_ms: u64,
}

impl Sink {
    fn send(&self, name: &str, mut data: Map<String, Json>) {
        data.insert("ms".into(), self.now_ms.into());
        if self.tx.send(sse(name, &Json::Object(data))).is_err() {
            self.kill.kill();
        }
    }
}

impl Events for Sink {
    fn at(&mut self, now_ms: u64) {
        self.now_ms = now_ms;
    }

    fn publish(&mut self, value: &Value) {
        let mut data = Map::new();
        data.insert(
            "text".into(),
            clip(value.to_string(), MAX_VALUE_CHARS).into(),
        );
        self.send("publish", data);
    }

    fn print(&mut self, text: &str) {
        let mut data = Map::new();
        data.insert("text".into(), text.into());
        self.send("print", data);
    }

    fn error(&mut self, error: &RuntimeError) {
        {
            let mut counts = lock(&self.counts);
            if counts.errors >= MAX_ERRORS {
                counts.errors_dropped += 1;
                return;
            }
            counts.errors += 1;
        }
        let mut data = self.positions.fields(&self.sources, error.span);
        data.insert("message".into(), error.message.clone().into());
        self.send("error", data);
    }

    fn traced(&mut self, events: &[TraceEvent]) {
        let calls = lock(&self.counts)
            .calls
            .take(events, &self.sources, &self.positions);
        for call in calls {
            if self.tx.send(call).is_err() {
                self.kill.kill();
                return;
            }
        }
    }
}

/// The text at `span`, on one line and short.
fn span_text(sources: &SourceMap, span: Span) -> String {
    let text = sources
        .get(span.source)
        .and_then(|f| f.text.get(span.start as usize..span.end as usize))
        .unwrap_or("?");
    clip(text.split_whitespace().collect::<Vec<_>>().join(" "), 60)
}

/// The site calls of a run, from its trace as the run tells it
/// ([`Events::traced`]): each call that waited becomes a `call` event
/// when it is answered or its token is killed, with when it was made
/// (`ms`) and when it ended (`end_ms`, and `killed`); at most
/// [`MAX_CALLS`] of them, the rest counted.
#[derive(Default)]
pub struct Calls {
    /// The waits under way, by token: since when, and where.
    open: HashMap<u64, (u64, Span)>,
    sent: usize,
    pub dropped: usize,
}

impl Calls {
    fn mark(
        &mut self,
        out: &mut Vec<String>,
        place: (&SourceMap, &Positions),
        start_us: u64,
        end: Option<(u64, bool)>,
        at: Span,
    ) {
        if self.sent >= MAX_CALLS {
            self.dropped += 1;
            return;
        }
        self.sent += 1;
        let (sources, positions) = place;
        let mut data = positions.fields(sources, Some(at));
        data.insert("ms".into(), json!(start_us as f64 / 1000.0));
        data.insert("end_ms".into(), json!(end.map(|(e, _)| e as f64 / 1000.0)));
        data.insert("killed".into(), json!(end.is_some_and(|(_, k)| k)));
        data.insert("text".into(), span_text(sources, at).into());
        out.push(sse("call", &Json::Object(data)));
    }

    /// The `call` events of the calls that `events` end.
    pub fn take(
        &mut self,
        events: &[TraceEvent],
        sources: &SourceMap,
        positions: &Positions,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for e in events {
            match *e {
                TraceEvent::Wait { us, token, at } => {
                    if let Some((start, at)) = self.open.insert(token, (us, at)) {
                        self.mark(&mut out, (sources, positions), start, Some((us, false)), at);
                    }
                }
                TraceEvent::Resume { us, token } => {
                    if let Some((start, at)) = self.open.remove(&token) {
                        self.mark(&mut out, (sources, positions), start, Some((us, false)), at);
                    }
                }
                // The token was killed while it waited (a pruning, `{| |}`).
                TraceEvent::End { us, token } => {
                    if let Some((start, at)) = self.open.remove(&token) {
                        self.mark(&mut out, (sources, positions), start, Some((us, true)), at);
                    }
                }
                TraceEvent::Start { .. } => {}
            }
        }
        out
    }

    /// The `call` events of the calls still waiting when the run ended
    /// (`end_ms` null), in the order they were made.
    pub fn finish(&mut self, sources: &SourceMap, positions: &Positions) -> Vec<String> {
        let mut still: Vec<(u64, Span)> = self.open.drain().map(|(_, w)| w).collect();
        still.sort_by_key(|&(start, _)| start);
        let mut out = Vec::new();
        for (start, at) in still {
            self.mark(&mut out, (sources, positions), start, None, at);
        }
        out
    }
}

/// How a run ended, as the `end` event names and explains it.
pub fn outcome_text(
    outcome: RunOutcome,
    sim_time: bool,
    config: &super::Config,
) -> (&'static str, String) {
    use super::{humantime, size};
    match outcome {
        RunOutcome::Halted => ("halted", "The program halted.".to_string()),
        RunOutcome::Deadlock { live_tokens } => (
            "deadlock",
            format!(
                "The program can make no more progress: {live_tokens} token(s) wait for \
                 something that can never happen."
            ),
        ),
        RunOutcome::Killed => ("stopped", "Stopped.".to_string()),
        RunOutcome::TimeLimit if sim_time => (
            "time-limit",
            format!(
                "Stopped at the playground's limit of {} of simulated time.",
                humantime(SIMULATED_TIME_LIMIT)
            ),
        ),
        RunOutcome::TimeLimit => (
            "time-limit",
            format!(
                "Stopped at the playground's time limit of {}.",
                humantime(config.time_limit)
            ),
        ),
        RunOutcome::TokenLimit => (
            "token-limit",
            format!(
                "Stopped: more than {} live tokens (the playground's limit).",
                config.max_tokens
            ),
        ),
        RunOutcome::PublicationLimit => (
            "publication-limit",
            format!(
                "Stopped after {} publications (the playground's limit).",
                config.max_publications
            ),
        ),
        RunOutcome::MemoryLimit => (
            "memory-limit",
            format!(
                "Stopped at the playground's memory limit of {}.",
                size(config.memory_limit)
            ),
        ),
        RunOutcome::StepLimit => (
            "step-limit",
            format!(
                "Stopped at the playground's limit of {} steps.",
                config.max_steps
            ),
        ),
        RunOutcome::OutputLimit => (
            "output-limit",
            format!(
                "Stopped at the playground's output limit of {}.",
                size(config.max_output)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_lines_from_one() {
        let p = Positions::new("ab\n\u{e9}\u{1F600}x\ny");
        // `x`: line 2, after é (1 unit) and the emoji (2 units).
        let x = "ab\n\u{e9}\u{1F600}".len();
        assert_eq!(p.locate(x), (2, 4, 3 + 3));
        assert_eq!(p.locate(0), (1, 1, 0));
        let y = "ab\n\u{e9}\u{1F600}x\n".len();
        assert_eq!(p.locate(y), (3, 1, 8));
        // Past the end: clamped.
        assert_eq!(p.locate(1000).0, 3);
    }

    #[test]
    fn the_cap_refuses_one_more_and_frees_on_drop() {
        let runs = Runs::new(2);
        let a = runs.try_start().unwrap();
        let mut b = runs.try_start().unwrap();
        assert!(runs.try_start().is_none());
        let id = runs.register(&mut b, KillSwitch::new());
        assert_eq!(runs.active(), 2);
        drop(a);
        assert_eq!(runs.active(), 1);
        assert!(runs.stop(&id));
        drop(b);
        assert_eq!(runs.active(), 0);
        assert!(!runs.stop(&id));
    }

    #[test]
    fn clip_cuts_at_characters() {
        assert_eq!(clip("h\u{e9}llo".to_string(), 2), "h\u{e9}…");
        assert_eq!(clip("hi".to_string(), 2), "hi");
    }
}
