//! The `orc` command: run and check Orc programs, or explore Orc in a REPL.
//!
//! A thin client of the library: compiling and running belong to
//! [`orc::Engine`] and its runtime; this crate parses the command line
//! ([`args`]), shows a run's events on the terminal ([`terminal`]), maps
//! outcomes to exit statuses ([`exec`]), writes JSON Lines ([`json`]),
//! handles Ctrl-C ([`interrupt`]),
//! drives the line editor ([`repl`]) and serves the playground ([`serve`]).
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
mod json;
mod repl;
mod serve;
mod terminal;
mod trace;

use args::{exit, Cli, Command, Options};
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
    let top = (&cli.limits, &cli.output);
    let status = match &cli.command {
        Some(Command::Run {
            file,
            args,
            eval,
            limits,
            output,
        }) => {
            let options = Options::new(&cli.common, &[limits, top.0], &[output, top.1]);
            interrupt::install(true);
            run(eval.as_deref(), file.as_deref(), args, &options)
        }
        Some(Command::Check { files }) => {
            exec::check_files(files, &Options::new(&cli.common, &[], &[]))
        }
        Some(Command::Repl { limits }) => {
            interrupt::install(false);
            repl::run(&Options::new(&cli.common, &[limits, top.0], &[]))
        }
        Some(Command::Serve(args)) => match ignored_by_serve(&cli.common) {
            Some(flag) => {
                eprintln!(
                    "orc serve: {flag} does not apply to the playground (its runs are always \
                     sandboxed, with the prelude, and stream everything they publish)"
                );
                exit::USAGE
            }
            None => serve::serve(args),
        },
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut out = std::io::stdout();
            clap_complete::generate(*shell, &mut Cli::command(), "orc", &mut out);
            exit::OK
        }
        None => {
            let options = Options::new(&cli.common, &[top.0], &[top.1]);
            match (&cli.file, &cli.eval) {
                (file, Some(eval)) => {
                    interrupt::install(true);
                    run(Some(eval), file.as_deref(), &cli.args, &options)
                }
                (Some(file), None) => {
                    interrupt::install(true);
                    exec::run_file(file, &cli.args, &options)
                }
                (None, None) if std::io::stdin().is_terminal() && !options.json => {
                    interrupt::install(false);
                    repl::run(&options)
                }
                (None, None) => {
                    interrupt::install(true);
                    exec::run_file(Path::new("-"), &[], &options)
                }
            }
        }
    };
    ExitCode::from(status)
}

/// `orc run FILE ARGS...`, or `orc run -e EXPR ARGS...` (where a file
/// given is the first of the program's arguments).
fn run(eval: Option<&str>, file: Option<&Path>, args: &[String], options: &Options) -> u8 {
    match (eval, file) {
        (Some(text), file) => {
            let args: Vec<String> = file
                .map(|f| f.display().to_string())
                .into_iter()
                .chain(args.iter().cloned())
                .collect();
            exec::run_source(exec::Source::Text(text), &args, options)
        }
        (None, Some(file)) => exec::run_file(file, args, options),
        (None, None) => exec::run_file(Path::new("-"), args, options),
    }
}

/// The first of the program options given that `orc serve` has no use
/// for: they are global, so clap takes them there too.
fn ignored_by_serve(common: &args::Common) -> Option<&'static str> {
    [
        (common.no_prelude, "--no-prelude"),
        (!common.include.is_empty(), "-I"),
        (common.quiet, "--quiet"),
        (!common.deny.is_empty(), "--deny"),
        (common.sandbox, "--sandbox"),
    ]
    .into_iter()
    .find_map(|(given, flag)| given.then_some(flag))
}
