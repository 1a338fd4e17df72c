//! The `orc` command: run and check Orc programs.

use orc::diagnostics::{Diagnostic, Phase, SourceMap};
use orc::{Engine, Events, RunOptions, RunOutcome, RuntimeError, Value};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Prints publications and output on stdout, errors on stderr.
struct Terminal {
    sources: SourceMap,
}

impl Events for Terminal {
    fn publish(&mut self, value: &Value) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{value}");
    }
    fn print(&mut self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
    fn error(&mut self, error: &RuntimeError) {
        let _ = std::io::stdout().flush();
        eprintln!("Error: {}", error.message);
        if error.span.is_some() {
            let d = Diagnostic::new(Phase::Runtime, error.message.clone(), error.span)
                .with_label("in this call");
            eprintln!("{:?}", d.report(&self.sources));
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: orc [run|check] [--sim-time] FILE");
    ExitCode::from(64)
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let sim_time = args.iter().any(|a| a == "--sim-time");
    let no_prelude = args.iter().any(|a| a == "--no-prelude");
    args.retain(|a| !a.starts_with("--"));
    let (check_only, file) = match args.as_slice() {
        [verb, file] if verb == "run" => (false, file),
        [verb, file] if verb == "check" => (true, file),
        [file] => (false, file),
        _ => return usage(),
    };
    let mut engine = if no_prelude {
        Engine::without_prelude()
    } else {
        Engine::new()
    };
    let compiled = match engine.compile_file(&PathBuf::from(file)) {
        Ok(c) => c,
        Err(diags) => {
            for d in diags {
                eprintln!("{:?}", d.report(engine.sources()));
            }
            return ExitCode::from(1);
        }
    };
    if check_only {
        return ExitCode::SUCCESS;
    }
    let events = Terminal {
        sources: engine.sources().clone(),
    };
    let mut run = engine.start(
        &compiled,
        Box::new(events),
        RunOptions {
            sim_time,
            ..RunOptions::default()
        },
    );
    match run.run_blocking() {
        RunOutcome::Halted => ExitCode::SUCCESS,
        RunOutcome::Deadlock { live_tokens } => {
            eprintln!("orc: the program can make no more progress: {live_tokens} token(s) are blocked forever");
            ExitCode::SUCCESS
        }
        RunOutcome::TimeLimit => ExitCode::from(3),
        RunOutcome::TokenLimit => ExitCode::from(4),
    }
}
