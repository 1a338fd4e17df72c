//! The interactive REPL: reads inputs with rustyline, hands them to the
//! engine ([`orc::Engine::load_input`], [`orc::Engine::declare`]) and runs
//! their expressions until they halt or Ctrl-C stops them.

mod commands;
mod helper;
mod highlight;
mod kept;
mod typeahead;

use crate::args::{exit, Options};
use crate::exec::{make_engine, run_options};
use crate::interrupt;
use crate::terminal::{errors_not_shown, outcome_note, report_diagnostics, Tally, Terminal};
use commands::Command;
use helper::OrcHelper;
use orc::diagnostics::SourceMap;
use orc::{CompileError, DeclareError, Declared, Engine, Input, KillSwitch, RunOutcome, Value};
use rustyline::config::{CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::{DefaultHistory, History};
use rustyline::Editor;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PROMPT: &str = "orc> ";
const CONTINUATION: &str = "...> ";

/// How long the last expression ran.
struct Timing {
    wall: Duration,
    /// The program's own clock at the end (simulated time under `:sim on`).
    clock_ms: u64,
    simulated: bool,
}

struct Repl {
    options: Options,
    engine: Engine,
    sim_time: bool,
    last: Option<Timing>,
    /// Numbers the inputs, to name them in diagnostics (`<input 3>`).
    inputs: usize,
    /// Classes and definitions' clauses of earlier inputs.
    kept: kept::Kept,
}

enum Flow {
    Continue,
    Quit,
}

/// Runs the REPL until `:quit`, Ctrl-D or two Ctrl-Cs in a row.
pub fn run(options: &Options) -> u8 {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .build();
    let mut editor: Editor<OrcHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            errln!("orc: cannot start the line editor: {e}");
            return exit::USAGE;
        }
    };
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut repl = Repl {
        options: options.clone(),
        engine: make_engine(options),
        sim_time: options.sim_time,
        last: None,
        inputs: 0,
        kept: kept::Kept::default(),
    };
    let mut helper = OrcHelper::new(colour);
    helper.set_names(repl.engine.names());
    editor.set_helper(Some(helper));
    let history = history_path();
    if let Some(path) = &history {
        // A missing file is the usual first run.
        let _ = editor.load_history(path);
    }
    outln!(
        "orc {} — :help for help, Ctrl-D to exit",
        env!("CARGO_PKG_VERSION")
    );

    let mut pending = String::new();
    let mut interrupts = 0;
    let mut queue = typeahead::Queue::default();
    // Whether lines come from a person at a terminal (else from a pipe or
    // a file, which are not kept in the history).
    let typed = std::io::stdin().is_terminal();
    loop {
        let prompt = if pending.is_empty() {
            PROMPT
        } else {
            CONTINUATION
        };
        if typed {
            queue.take_typed_ahead();
        }
        let read = match queue.next() {
            Some(line) => {
                // Shown as if typed at the prompt, so that the transcript
                // reads in order.
                outln!("{prompt}{line}");
                Ok((line, true))
            }
            None => editor.readline(prompt).map(|line| (line, false)),
        };
        match read {
            Ok((line, _)) if line.contains('\n') => {
                // A paste of several lines: one line at a time.
                queue.push_front_text(&line);
            }
            Ok((line, queued)) => {
                interrupts = 0;
                if pending.is_empty() && line.trim_start().starts_with(':') {
                    if typed {
                        remember(&mut editor, history.as_deref(), &line);
                    }
                    match repl.command(&line) {
                        Flow::Continue => {}
                        Flow::Quit => break,
                    }
                } else {
                    if !pending.is_empty() {
                        pending.push('\n');
                    }
                    pending.push_str(&line);
                    // An empty line typed ends an incomplete input (showing
                    // what is missing) rather than waiting forever; in a
                    // paste it is only a blank line.
                    let give_up = line.trim().is_empty() && (!queued || queue.is_empty());
                    if give_up || !commands::is_incomplete(&pending) {
                        let input = std::mem::take(&mut pending);
                        if !input.trim().is_empty() {
                            if typed {
                                remember(&mut editor, history.as_deref(), &input);
                            }
                            repl.eval_text(&input);
                        }
                    }
                }
                if let Some(h) = editor.helper_mut() {
                    h.set_names(repl.engine.names());
                    h.set_members(members(&repl.engine));
                }
            }
            Err(ReadlineError::Interrupted) => {
                pending.clear();
                interrupts += 1;
                if interrupts >= 2 {
                    break;
                }
                outln!("(to exit, press Ctrl-C again or Ctrl-D, or type :quit)");
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                errln!("orc: cannot read input: {e}");
                break;
            }
        }
    }
    exit::OK
}

/// The members of the engine's global values that have any, for
/// completion after `name.`.
fn members(engine: &Engine) -> impl Iterator<Item = (String, Vec<String>)> + '_ {
    engine.globals().iter().filter_map(|(name, value)| {
        let members = match value {
            Value::Record(r) => r.fields.iter().map(|(n, _)| n.to_string()).collect(),
            Value::Object(o) => o.member_names(),
            Value::Site(s) => s.member_names().into_iter().map(String::from).collect(),
            _ => return None,
        };
        Some((name.clone(), members))
    })
}

/// Where the history is kept: `$XDG_DATA_HOME/orc/history`, by default
/// `~/.local/share/orc/history`.
fn history_path() -> Option<PathBuf> {
    let dir = dirs::data_dir()?.join("orc");
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("history"))
}

/// Adds an input to the history and saves it at once, so that history
/// survives a REPL that is killed.
fn remember(editor: &mut Editor<OrcHelper, DefaultHistory>, path: Option<&Path>, input: &str) {
    if matches!(editor.history_mut().add(input), Ok(true)) {
        if let Some(path) = path {
            if let Err(e) = editor.append_history(path) {
                errln!("orc: cannot save the history in {}: {e}", path.display());
            }
        }
    }
}

impl Repl {
    fn command(&mut self, line: &str) -> Flow {
        match commands::parse(line) {
            Command::Help => outln!("{}", commands::help()),
            Command::Quit => return Flow::Quit,
            Command::Load(file) => {
                let loaded = self.engine.load_input_file(Path::new(&file));
                self.eval(loaded);
            }
            Command::Reset => {
                self.engine = make_engine(&self.options);
                self.kept.clear();
                outln!("all declarations forgotten");
            }
            Command::Forget(name) => {
                if self.kept.forget(&name) {
                    outln!("the next definition of {name} starts afresh");
                } else {
                    outln!("no clauses or class named {name} are kept");
                }
            }
            Command::Sim(None) => outln!(
                "simulated time is {}",
                if self.sim_time { "on" } else { "off" }
            ),
            Command::Sim(Some(on)) => self.sim_time = on,
            Command::Time => match &self.last {
                None => outln!("no expression has run yet"),
                Some(t) if t.simulated => outln!(
                    "{:.3} s (simulated clock: {} ms)",
                    t.wall.as_secs_f64(),
                    t.clock_ms
                ),
                Some(t) => outln!("{:.3} s", t.wall.as_secs_f64()),
            },
            Command::Invalid(message) => {
                errln!("{}", orc::diagnostics::clip_message(&message))
            }
        }
        Flow::Continue
    }

    fn eval_text(&mut self, text: &str) {
        self.inputs += 1;
        let name = format!("<input {}>", self.inputs);
        let plan = self.kept.plan(text);
        let loaded = self
            .engine
            .load_input_after(&name, text, &plan.earlier, &plan.later);
        if self.eval(loaded) {
            for note in &plan.notes {
                outln!("{note}");
            }
            self.kept.commit(plan);
        }
    }

    /// Keeps an input's declarations and runs its expression; whether the
    /// declarations were made.
    fn eval(&mut self, loaded: Result<Input, CompileError>) -> bool {
        let input = match loaded {
            Ok(input) => input,
            Err(err) => {
                report_diagnostics(&err.diagnostics, err.sources());
                return false;
            }
        };
        let kill = KillSwitch::new();
        let tally = Arc::new(Tally::default());
        let terminal = |sources: &SourceMap| {
            Box::new(Terminal::new(
                sources.clone(),
                self.options.quiet,
                tally.clone(),
                kill.clone(),
            ))
        };
        let options = run_options(&self.options, self.sim_time, &kill);
        let guard = interrupt::guard(&kill);
        let started = Instant::now();
        // Errors of the declarations point into the input's texts.
        let events = terminal(input.sources());
        let declared = match self.engine.declare(input, events, options.clone()) {
            Err(DeclareError::Compile(err)) => {
                report_diagnostics(&err.diagnostics, err.sources());
                false
            }
            Err(DeclareError::NoValue(outcome)) => {
                let why = match outcome {
                    RunOutcome::Killed => "interrupted".to_string(),
                    RunOutcome::Halted => {
                        "a declared value halted without publishing; nothing was declared"
                            .to_string()
                    }
                    other => format!(
                        "{}; nothing was declared",
                        outcome_note(other, &self.options).unwrap_or_default()
                    ),
                };
                errln!(
                    "{}{why}",
                    if outcome == RunOutcome::Killed {
                        "\n"
                    } else {
                        ""
                    }
                );
                false
            }
            Ok(Declared { body: None, .. }) => true,
            Ok(Declared {
                body: Some(program),
                ..
            }) => {
                let events = terminal(program.sources());
                let mut run = self.engine.start(&program, events, options);
                let outcome = run.run_blocking();
                let _ = std::io::stdout().flush();
                self.last = Some(Timing {
                    wall: started.elapsed(),
                    clock_ms: run.now_ms(),
                    simulated: self.sim_time,
                });
                if let Some(note) = errors_not_shown(&tally) {
                    errln!("{note}");
                }
                if outcome == RunOutcome::Killed && guard.interrupted() {
                    errln!("\ninterrupted");
                } else if let Some(note) = outcome_note(outcome, &self.options) {
                    errln!("{note}");
                }
                true
            }
        };
        if tally.open_line() {
            // The prompt is drawn from the start of its line: end the
            // output's last line first, or the prompt would hide it.
            outln!();
        }
        declared
    }
}
