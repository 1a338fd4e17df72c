//! Shared by the integration tests: running an Orc program and checking its
//! output against the `OUTPUT:` comment blocks it carries.
//!
//! A block `{- OUTPUT: ... -}` lists the expected lines in order;
//! `OUTPUT:PERMUTABLE` allows any order. A file may carry several blocks:
//! the output must match one of them. Output is what a terminal would show
//! on stdout (publications and `Print`/`Println`), with each runtime error
//! as a line `Error: message`.

#![allow(dead_code)]

use orc::{Engine, Events, RunOptions, RunOutcome, RuntimeError, Value};
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub permutable: bool,
    pub lines: Vec<String>,
}

/// Extracts the expected-output blocks of a program.
pub fn expected_outputs(source: &str) -> Vec<Expected> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("OUTPUT:") {
        let after = &rest[start + "OUTPUT:".len()..];
        let (permutable, body) = match after.strip_prefix("PERMUTABLE") {
            Some(b) => (true, b.strip_prefix(':').unwrap_or(b)),
            None => (false, after),
        };
        let end = body.find("-}").unwrap_or(body.len());
        let block = &body[..end];
        let block = block
            .strip_prefix('\n')
            .or_else(|| block.strip_prefix("\r\n"))
            .unwrap_or(block);
        let lines: Vec<String> = block.lines().map(|l| l.trim_end().to_string()).collect();
        let mut lines = lines;
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        out.push(Expected { permutable, lines });
        rest = &body[end..];
    }
    out
}

#[derive(Clone, Default)]
pub struct Capture(pub Arc<Mutex<String>>);

impl Events for Capture {
    fn publish(&mut self, value: &Value) {
        let mut s = self.0.lock().unwrap();
        s.push_str(&value.to_string());
        s.push('\n');
    }
    fn print(&mut self, text: &str) {
        self.0.lock().unwrap().push_str(text);
    }
    fn error(&mut self, error: &RuntimeError) {
        let mut s = self.0.lock().unwrap();
        s.push_str("Error: ");
        s.push_str(&error.message);
        s.push('\n');
    }
}

pub struct Outcome {
    pub lines: Vec<String>,
    pub outcome: Option<RunOutcome>,
    pub live_tokens: usize,
    pub pending_timers: usize,
    /// Objects the run made and did not free once it, its program and its
    /// engine were dropped (the cycle collector frees those that hold
    /// themselves).
    pub objects_leaked: isize,
    /// Pool blocks (records, frames, futures) the run took and did not
    /// give back; `None` if objects leaked (they hold blocks too).
    pub blocks_leaked: Option<isize>,
    pub compile_errors: Vec<String>,
}

/// Compiles and runs a program file under simulated time.
pub fn run_file(path: &Path, sim_time: bool) -> Outcome {
    let blocks_before = orc::runtime::blocks_in_use();
    let objects_before = orc::value::object::objects_alive();
    let engine = Engine::new();
    let compiled = match engine.compile_file(path) {
        Ok(c) => c,
        Err(ds) => {
            return Outcome {
                lines: Vec::new(),
                outcome: None,
                live_tokens: 0,
                pending_timers: 0,
                objects_leaked: 0,
                blocks_leaked: None,
                compile_errors: ds
                    .diagnostics
                    .iter()
                    .map(|d| d.render(ds.sources()))
                    .collect(),
            }
        }
    };
    let capture = Capture::default();
    let mut run = engine.start(
        &compiled,
        Box::new(capture.clone()),
        RunOptions {
            sim_time,
            time_limit_ms: Some(if sim_time { 24 * 3600 * 1000 } else { 60_000 }),
            max_tokens: Some(2_000_000),
            ..RunOptions::default()
        },
    );
    let outcome = run.run_blocking();
    let text = capture.0.lock().unwrap().clone();
    let (live_tokens, pending_timers) = (run.live_tokens(), run.pending_timers());
    drop((run, compiled, engine));
    Outcome {
        lines: text.lines().map(|l| l.trim_end().to_string()).collect(),
        outcome: Some(outcome),
        live_tokens,
        pending_timers,
        objects_leaked: orc::value::object::objects_alive() - objects_before,
        blocks_leaked: (orc::value::object::objects_alive() == objects_before)
            .then(|| orc::runtime::blocks_in_use() - blocks_before),
        compile_errors: Vec::new(),
    }
}

/// Whether the actual lines match one expected block.
pub fn matches(expected: &Expected, actual: &[String]) -> bool {
    if expected.permutable {
        let mut a: Vec<&String> = actual.iter().collect();
        let mut e: Vec<&String> = expected.lines.iter().collect();
        a.sort();
        e.sort();
        a == e
    } else {
        expected.lines == actual
    }
}
