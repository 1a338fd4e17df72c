//! Where a run's events go on a terminal: publications and program output
//! on stdout, runtime errors (with a source snippet) on stderr. Shared by
//! `orc run` and the REPL.
//!
//! No write here panics or stops the program but one: a closed stdout
//! (`orc run prog.orc | head -1`) stops it. A closed or full stderr loses
//! the error reports, and a full stdout the output. Each error report is
//! bounded (a window of the source line, a cut message: see
//! [`orc::diagnostics`]); a compile reports at most [`MAX_REPORTED`]
//! diagnostics, and a run shows that many runtime errors in full and
//! counts the rest.

use orc::diagnostics::{Diagnostic, Phase, SourceMap, MAX_REPORTED};
use orc::{Events, KillSwitch, RunOutcome, RuntimeError, Value};
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// What the host learns about a run from its events, and the state of
/// stdout they share.
#[derive(Default)]
pub struct Tally {
    errors: AtomicUsize,
    broken_pipe: AtomicBool,
    /// Something was written to stdout that did not end its line.
    open_line: AtomicBool,
}

impl Tally {
    pub fn errors(&self) -> usize {
        self.errors.load(Ordering::Relaxed)
    }

    /// Counts a runtime error; how many there were, this one included.
    pub fn count_error(&self) -> usize {
        self.errors.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Stdout was closed by its reader (`orc run prog | head -1`).
    pub fn broken_pipe(&self) -> bool {
        self.broken_pipe.load(Ordering::Relaxed)
    }

    /// Whether the output so far ends in the middle of a line (`Print`
    /// without a newline): the REPL then ends the line before its prompt.
    pub fn open_line(&self) -> bool {
        self.open_line.load(Ordering::Relaxed)
    }

    /// Writes to stdout and flushes; `false` when stdout was closed by its
    /// reader (then nothing more is written, and the program should stop).
    /// Other write errors (a full disk, ...) are ignored: the program goes
    /// on, as it would with nobody watching.
    pub fn write_out(&self, bytes: &[u8]) -> bool {
        if self.broken_pipe() {
            return false;
        }
        if let Some(&last) = bytes.last() {
            self.open_line.store(last != b'\n', Ordering::Relaxed);
        }
        let mut out = std::io::stdout().lock();
        let result = out.write_all(bytes).and_then(|_| out.flush());
        if let Err(e) = result {
            if e.kind() == ErrorKind::BrokenPipe {
                self.broken_pipe.store(true, Ordering::Relaxed);
                return false;
            }
        }
        true
    }
}

pub struct Terminal {
    sources: SourceMap,
    quiet: bool,
    tally: Arc<Tally>,
    /// Thrown when nobody reads stdout any more: the program is stopped.
    kill: KillSwitch,
}

impl Terminal {
    pub fn new(sources: SourceMap, quiet: bool, tally: Arc<Tally>, kill: KillSwitch) -> Terminal {
        Terminal {
            sources,
            quiet,
            tally,
            kill,
        }
    }

    fn write_out(&self, bytes: &[u8]) {
        if !self.tally.write_out(bytes) {
            self.kill.kill();
        }
    }
}

impl Events for Terminal {
    fn publish(&mut self, value: &Value) {
        if !self.quiet {
            self.write_out(format!("{value}\n").as_bytes());
        }
    }

    fn print(&mut self, text: &str) {
        self.write_out(text.as_bytes());
    }

    fn error(&mut self, error: &RuntimeError) {
        let seen = self.tally.count_error();
        if seen > MAX_REPORTED + 1 {
            return;
        }
        let _ = std::io::stdout().flush();
        let mut err = std::io::stderr().lock();
        if seen == MAX_REPORTED + 1 {
            let _ = writeln!(
                err,
                "orc: more runtime errors follow; they are counted, not shown"
            );
            return;
        }
        let d = runtime_diagnostic(error);
        let _ = writeln!(err, "{:?}", d.report(&self.sources));
    }
}

/// A runtime error as a diagnostic: its message, and the call that failed.
pub fn runtime_diagnostic(error: &RuntimeError) -> Diagnostic {
    let d = Diagnostic::new(Phase::Runtime, error.message.clone(), error.span);
    if error.span.is_some() {
        d.with_label("in this call")
    } else {
        d
    }
}

/// The note at the end of a run that had more runtime errors than were
/// shown in full.
pub fn errors_not_shown(tally: &Tally) -> Option<String> {
    let more = tally
        .errors()
        .checked_sub(MAX_REPORTED)
        .filter(|&n| n > 0)?;
    Some(format!(
        "{more} more runtime error(s) not shown ({} in all)",
        tally.errors()
    ))
}

/// Prints compile-time diagnostics on stderr.
pub fn report_diagnostics(diagnostics: &[Diagnostic], sources: &SourceMap) {
    let _ = std::io::stdout().flush();
    let mut err = std::io::stderr().lock();
    for d in diagnostics.iter().take(MAX_REPORTED) {
        let _ = writeln!(err, "{:?}", d.report(sources));
    }
    if diagnostics.len() > MAX_REPORTED {
        let more = diagnostics.len() - MAX_REPORTED;
        let _ = writeln!(err, "orc: {more} more problem(s) not shown");
    }
}

/// A note on stderr about how a run ended, if it did not simply halt.
pub fn outcome_note(outcome: RunOutcome, options: &crate::args::Options) -> Option<String> {
    match outcome {
        RunOutcome::Halted | RunOutcome::Killed => None,
        RunOutcome::Deadlock { live_tokens } => Some(format!(
            "the program can make no more progress: {live_tokens} token(s) wait for something \
             that can never happen"
        )),
        RunOutcome::TimeLimit => Some(match options.time_limit {
            Some(d) => format!("time limit of {d:?} reached; the program was stopped"),
            None => "time limit reached; the program was stopped".to_string(),
        }),
        RunOutcome::TokenLimit => Some(format!(
            "more than {} live tokens; the program was stopped",
            options.max_tokens.unwrap_or_default()
        )),
        RunOutcome::PublicationLimit => {
            Some("publication limit reached; the program was stopped".to_string())
        }
        RunOutcome::MemoryLimit => Some(format!(
            "memory limit of {} reached; the program was stopped (see --memory-limit)",
            show_size(match options.memory_limit {
                Some(crate::args::Size(limit)) => limit.unwrap_or(u64::MAX),
                None => default_memory_limit(),
            })
        )),
        RunOutcome::StepLimit => Some(format!(
            "step limit of {} reached; the program was stopped",
            options.max_steps.unwrap_or_default()
        )),
        RunOutcome::OutputLimit => Some(format!(
            "output limit of {} reached; the program was stopped",
            show_size(options.max_output.and_then(|s| s.0).unwrap_or_default())
        )),
    }
}

/// `512 MiB`, `1.5 GiB`, `300 bytes`.
fn show_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64;
    let mut unit = "";
    for u in UNITS {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = u;
    }
    if value.fract() == 0.0 {
        format!("{value} {unit}")
    } else {
        format!("{value:.1} {unit}")
    }
}

/// The memory limit when none is given: half of the machine's memory (4
/// GiB where that cannot be read), so that a runaway program stops with
/// an error before the machine swaps or kills something.
pub fn default_memory_limit() -> u64 {
    physical_memory().map_or(4 << 30, |total| total / 2)
}

/// The machine's memory in bytes, from /proc/meminfo (Linux).
fn physical_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}
