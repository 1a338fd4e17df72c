//! `orc run` and `orc check`: compile with the library's [`Engine`], run
//! with its runtime, and turn what happened into an exit status.

use crate::args::{exit, Options, Size};
use crate::interrupt;
use crate::json::JsonLines;
use crate::terminal::{
    default_memory_limit, errors_not_shown, outcome_note, report_diagnostics, Tally, Terminal,
};
use orc::diagnostics::{Diagnostic, Phase};
use orc::{Compiled, Engine, Events, KillSwitch, RunOptions, RunOutcome, Value};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

/// Where a run's `live` tokens wait, a line each (at most 10 places, in
/// source order): `3 tokens wait at p.orc:4:3: c.get`.
fn waiting_places(
    run: &orc::runtime::Run,
    sources: &orc::diagnostics::SourceMap,
    live: usize,
) -> Vec<String> {
    const MAX_PLACES: usize = 10;
    let places = run.waiting_places();
    let mut lines: Vec<String> = places
        .iter()
        .take(MAX_PLACES)
        .filter_map(|&(span, n)| {
            let file = sources.get(span.source)?;
            let (line, column) = sources.line_col(span)?;
            let text = file.text.get(span.start as usize..span.end as usize)?;
            let mut text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.chars().count() > 60 {
                text = text.chars().take(57).collect::<String>() + "...";
            }
            let who = if n == 1 {
                "1 token waits".to_string()
            } else {
                format!("{n} tokens wait")
            };
            Some(format!("{who} at {}:{line}:{column}: {text}", file.name))
        })
        .collect();
    if places.len() > MAX_PLACES {
        lines.push(format!("and at {} more places", places.len() - MAX_PLACES));
    }
    let placed: usize = places.iter().map(|(_, n)| n).sum();
    if live > placed && !lines.is_empty() {
        lines.push(format!(
            "{} more waiting inside library code or combinators",
            live - placed
        ));
    }
    lines
}

/// A fresh engine as the options ask: prelude or not, include path, the
/// services granted (all but those denied: a script is its user's own
/// program).
pub fn make_engine(options: &Options) -> Engine {
    let mut engine = if options.no_prelude {
        Engine::without_prelude()
    } else {
        Engine::new()
    };
    if !options.sandbox {
        for service in orc::services::Capability::ALL {
            if !options.deny.contains(&service) {
                engine.grant(service);
            }
        }
    }
    for dir in &options.include {
        engine.add_include_dir(dir.clone());
    }
    if let Some(seed) = options.seed {
        engine.seed_random(seed);
    }
    engine
}

/// The runtime options for one run.
pub fn run_options(options: &Options, sim_time: bool, kill: &KillSwitch) -> RunOptions {
    RunOptions {
        sim_time,
        time_limit_ms: options
            .time_limit
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        max_tokens: options.max_tokens,
        kill: Some(kill.clone()),
        memory_limit: match options.memory_limit {
            Some(Size(limit)) => limit,
            None => Some(default_memory_limit()),
        },
        max_steps: options.max_steps,
        max_output: options.max_output.and_then(|Size(limit)| limit),
        trace: options.trace.is_some(),
        ..RunOptions::default()
    }
}

/// Where a program's text comes from.
pub enum Source<'a> {
    /// A file; `-` is standard input.
    File(&'a Path),
    /// The text itself (`orc run -e EXPR`).
    Text(&'a str),
}

/// Compiles the program, binding `args` first; prints its warnings, or
/// its diagnostics if it does not compile.
fn compile(
    engine: &mut Engine,
    source: Source<'_>,
    args: &[String],
    json: bool,
) -> Option<Compiled> {
    engine.define("args", Value::list(args.iter().map(|a| Value::str(a))));
    let compiled = match source {
        Source::File(file) if file == Path::new("-") => {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                let d = Diagnostic::new(
                    Phase::Compile,
                    format!("cannot read standard input: {e}"),
                    None,
                );
                report_diagnostics(&[d], engine.sources());
                return None;
            }
            engine.compile("<stdin>", &text)
        }
        Source::File(file) => engine.compile_file(file),
        Source::Text(text) => engine.compile("<-e>", text),
    };
    let compiled = compiled
        .map_err(|err| {
            if json {
                crate::json::diagnostics(&err.diagnostics, err.sources());
            }
            report_diagnostics(&err.diagnostics, err.sources())
        })
        .ok()?;
    if json {
        crate::json::diagnostics(compiled.warnings(), compiled.sources());
    }
    report_diagnostics(compiled.warnings(), compiled.sources());
    Some(compiled)
}

/// `orc run FILE ARGS...`
pub fn run_file(file: &Path, args: &[String], options: &Options) -> u8 {
    run_source(Source::File(file), args, options)
}

/// Runs a program from a file or the command line.
pub fn run_source(source: Source<'_>, args: &[String], options: &Options) -> u8 {
    let mut engine = make_engine(options);
    let Some(compiled) = compile(&mut engine, source, args, options.json) else {
        return exit::COMPILE_ERROR;
    };
    let kill = KillSwitch::new();
    let tally = Arc::new(Tally::default());
    let sources = compiled.sources().clone();
    let events: Box<dyn Events> = if options.json {
        Box::new(JsonLines::new(
            sources,
            options.quiet,
            tally.clone(),
            kill.clone(),
        ))
    } else {
        Box::new(Terminal::new(
            sources,
            options.quiet,
            tally.clone(),
            kill.clone(),
        ))
    };
    let (events, instants): (Box<dyn Events>, _) = match &options.trace {
        Some(_) => {
            let (recorder, instants) = crate::trace::Recorder::new(events);
            (Box::new(recorder), Some(instants))
        }
        None => (events, None),
    };
    let mut run = engine.start(
        &compiled,
        events,
        run_options(options, options.sim_time, &kill),
    );
    let outcome = interrupt::run_interruptible(&mut run, &kill);
    if let (Some(path), Some(trace), Some(instants)) = (&options.trace, run.trace(), instants) {
        let instants = instants.lock().unwrap_or_else(|e| e.into_inner());
        let written = std::fs::File::create(path).and_then(|file| {
            crate::trace::write_chrome_trace(
                trace,
                &instants,
                compiled.sources(),
                std::io::BufWriter::new(file),
            )
        });
        if let Err(e) = written {
            errln!("orc: cannot write the trace to {}: {e}", path.display());
        }
    }
    if options.json {
        crate::json::halt(outcome, run.now_ms(), tally.errors(), &tally);
    }
    let _ = std::io::stdout().flush();
    if tally.broken_pipe() {
        // Nobody reads the output any more: stop quietly, like `yes | head`
        // but without the signal.
        return exit::OK;
    }
    if let Some(note) = errors_not_shown(&tally).filter(|_| !options.json) {
        errln!("orc: {note}");
    }
    if let Some(note) = outcome_note(outcome, options) {
        errln!("orc: {note}");
        if let RunOutcome::Deadlock { live_tokens } = outcome {
            for line in waiting_places(&run, compiled.sources(), live_tokens) {
                errln!("orc:   {line}");
            }
        }
    }
    match outcome {
        // Only Ctrl-C and a closed stdout (handled above) throw the switch.
        RunOutcome::Killed => exit::INTERRUPTED,
        RunOutcome::TimeLimit => exit::TIME_LIMIT,
        RunOutcome::TokenLimit => exit::TOKEN_LIMIT,
        RunOutcome::MemoryLimit => exit::MEMORY_LIMIT,
        RunOutcome::StepLimit => exit::STEP_LIMIT,
        RunOutcome::OutputLimit => exit::OUTPUT_LIMIT,
        RunOutcome::Halted | RunOutcome::Deadlock { .. } | RunOutcome::PublicationLimit
            if tally.errors() > 0 =>
        {
            exit::RUNTIME_ERROR
        }
        RunOutcome::Halted | RunOutcome::Deadlock { .. } | RunOutcome::PublicationLimit => exit::OK,
    }
}

/// `orc check FILE...`
pub fn check_files(files: &[std::path::PathBuf], options: &Options) -> u8 {
    let mut status = exit::OK;
    for file in files {
        let mut engine = make_engine(options);
        match compile(&mut engine, Source::File(file), &[], false) {
            Some(compiled) if !compiled.warnings().is_empty() => {
                // Warnings are problems too: a script checking programs
                // wants to hear of them.
                status = exit::COMPILE_ERROR;
                if !options.quiet {
                    let n = compiled.warnings().len();
                    errln!("{}: {n} warning(s)", file.display());
                }
            }
            Some(_) => {
                if !options.quiet {
                    errln!("{}: no problems found", file.display());
                }
            }
            None => status = exit::COMPILE_ERROR,
        }
    }
    status
}
