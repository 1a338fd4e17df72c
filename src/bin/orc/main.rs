//! The `orc` command: run and check Orc programs, or explore Orc in a REPL.
//!
//! A thin client of the library: compiling and running belong to
//! [`orc::Engine`] and its runtime; this crate parses the command line
//! ([`args`]), shows a run's events on the terminal ([`terminal`]), maps
//! outcomes to exit statuses ([`exec`]), handles Ctrl-C ([`interrupt`]) and
//! drives the line editor ([`repl`]).
//!
//! Nothing it writes can panic: a closed or full stdout or stderr loses
//! the text (`outln!`, `errln!`, and the run's own output in
//! [`terminal`]), and a closed stdout stops a running program.

/// `println!` that never panics: text for a closed or full stdout is lost
/// (a run notices a closed stdout through its own writes, see
/// [`terminal`]).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that never panics: text for a closed or full stderr is lost.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Charges each run for the memory it allocates, so that
/// `--memory-limit` holds.
#[global_allocator]
static ALLOCATOR: orc::MemoryAccounting = orc::MemoryAccounting;

mod args;
mod exec;
mod interrupt;
mod repl;
mod terminal;

use args::{exit, Cli, Command};
use clap::Parser;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` come here too, on stdout.
            let status = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return ExitCode::from(status);
        }
    };
    let options = &cli.options;
    let status = match &cli.command {
        Some(Command::Run { file, args }) => {
            interrupt::install(true);
            exec::run_file(file, args, options)
        }
        Some(Command::Check { files }) => exec::check_files(files, options),
        Some(Command::Repl) => {
            interrupt::install(false);
            repl::run(options)
        }
        None => match &cli.file {
            Some(file) => {
                interrupt::install(true);
                exec::run_file(file, &cli.args, options)
            }
            None if std::io::stdin().is_terminal() => {
                interrupt::install(false);
                repl::run(options)
            }
            None => {
                interrupt::install(true);
                exec::run_file(Path::new("-"), &[], options)
            }
        },
    };
    ExitCode::from(status)
}
