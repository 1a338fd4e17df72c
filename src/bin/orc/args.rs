//! The command line's grammar: verbs, options, help texts and exit codes,
//! declared with clap's derive API.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

/// Exit statuses of the `orc` command (also listed in `--help` and README).
pub mod exit {
    /// The program halted (or can make no more progress; see `--help`).
    pub const OK: u8 = 0;
    pub const COMPILE_ERROR: u8 = 1;
    pub const RUNTIME_ERROR: u8 = 2;
    pub const TIME_LIMIT: u8 = 3;
    pub const TOKEN_LIMIT: u8 = 4;
    pub const MEMORY_LIMIT: u8 = 5;
    pub const STEP_LIMIT: u8 = 6;
    pub const OUTPUT_LIMIT: u8 = 7;
    pub const USAGE: u8 = 64;
    pub const INTERRUPTED: u8 = 130;
}

const EXIT_CODES: &str = "\
Exit status:
  0    the program halted; also when it can make no more progress (every
       remaining token waits for something that can never happen: a note is
       printed on stderr), and when stdout is closed by its reader
  1    compile error (syntax, unbound name, missing include)
  2    the program reported runtime errors (it still ran to the end)
  3    the time limit passed (--time-limit)
  4    too many live tokens (--max-tokens)
  5    the memory limit passed (--memory-limit)
  6    the step limit passed (--max-steps)
  7    the output limit passed (--max-output)
  64   usage error
  130  interrupted (Ctrl-C)";

const MAIN_EXAMPLES: &str = "\
Examples:
  orc prog.orc                    run a program
  orc -e '1 + 2'                  run an expression
  orc --sim-time prog.orc         run it with simulated time
  echo '1 + 2' | orc              run a program read from standard input
  orc check prog.orc              report problems without running
  orc                             start the interactive REPL (on a terminal)";

const RUN_EXAMPLES: &str = "\
Examples:
  orc run prog.orc
  orc run --sim-time prog.orc            timers fire at once
  orc run prog.orc --time-limit 2s       stop after two seconds
  orc run -I lib prog.orc a b            include path ./lib; args = [\"a\", \"b\"]
  orc run prog.orc -- -v                 args = [\"-v\"]: `--` ends the options
  orc run - < prog.orc                   read the program from stdin
  orc run -e 'Rwait(10) >> 42'           run an expression
  orc run --sim-time --seed 7 sim.orc    the same random numbers every run
  orc run --json prog.orc | jq .         events as JSON Lines";

const CHECK_EXAMPLES: &str = "\
Examples:
  orc check prog.orc
  orc check -I lib a.orc b.orc";

const REPL_EXAMPLES: &str = "\
Examples:
  orc repl
  orc repl --sim-time --no-prelude

Inside the REPL, type an expression to run it (its publications are printed
as they arrive; Ctrl-C stops it), or declarations (val, def, type, site,
include) to keep them for later inputs. :help lists the commands.";

#[derive(Parser, Debug)]
#[command(
    name = "orc",
    version,
    about = "Run Orc programs, check them, or explore Orc interactively",
    long_about = "Run Orc programs, check them, or explore Orc interactively.\n\n\
        With no verb and no file, `orc` starts the REPL when standard input is \
        a terminal, and otherwise runs the program read from standard input.\n\n\
        Options may come before or after the file; `--` ends them (what follows \
        goes to the program).",
    after_help = format!("{MAIN_EXAMPLES}\n\n{EXIT_CODES}"),
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The program to run, as with `orc run FILE` (`-` reads standard input)
    pub file: Option<PathBuf>,

    /// Arguments for the program, bound to the list `args`
    #[arg(allow_negative_numbers = true)]
    pub args: Vec<String>,

    /// Run EXPR (a program given on the command line) instead of a file
    #[arg(short = 'e', long = "eval", value_name = "EXPR")]
    pub eval: Option<String>,

    #[command(flatten)]
    pub common: Common,

    #[command(flatten)]
    pub limits: Limits,

    #[command(flatten)]
    pub output: Output,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a program, printing each publication on its own line
    #[command(after_help = format!("{RUN_EXAMPLES}\n\n{EXIT_CODES}"))]
    Run {
        /// The program (`-` reads standard input); with -e, the first
        /// argument for the program
        #[arg(required_unless_present = "eval")]
        file: Option<PathBuf>,
        /// Arguments for the program, bound to the list `args` (strings)
        #[arg(allow_negative_numbers = true)]
        args: Vec<String>,
        /// Run EXPR (a program given on the command line) instead of a file
        #[arg(short = 'e', long = "eval", value_name = "EXPR")]
        eval: Option<String>,
        #[command(flatten)]
        limits: Limits,
        #[command(flatten)]
        output: Output,
    },
    /// Parse, desugar and resolve programs without running them; report
    /// errors and warnings
    #[command(after_help = format!(
        "{CHECK_EXAMPLES}\n\nExit status: 0 no problems, 1 errors or warnings were reported, \
         64 usage error"
    ))]
    Check {
        /// The programs to check
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Start the interactive read-eval-print loop
    #[command(after_help = REPL_EXAMPLES)]
    Repl {
        #[command(flatten)]
        limits: Limits,
    },
    /// Serve the playground: a web page to edit and run Orc programs in
    /// the browser, and the HTTP API it uses (see docs/serve.md)
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(Serve),
    /// Print a completion script for SHELL on standard output
    #[command(after_help = COMPLETION_EXAMPLES)]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

const COMPLETION_EXAMPLES: &str = "\
Examples:
  orc completions bash > ~/.local/share/bash-completion/completions/orc
  orc completions zsh > ~/.zfunc/_orc        (with ~/.zfunc in $fpath)
  orc completions fish > ~/.config/fish/completions/orc.fish";

const SERVE_EXAMPLES: &str = "\
Examples:
  orc serve                              http://127.0.0.1:8080/
  orc serve --port 3000 --max-runs 4
  orc serve --host 0.0.0.0               reachable from other machines

Every run is sandboxed (no files, processes or network) and limited: by
default 20 s (of its clock under real time, of the wall clock under
simulated time, whose clock may reach an hour), 64M of memory, 1M of
output, 50,000,000 steps, 100,000 live tokens and 10,000 publications; at
most --max-runs run at once.";

/// `orc serve`: where to listen, and how much each run may take.
#[derive(Args, Debug, Clone)]
pub struct Serve {
    /// The TCP port to listen on (0 picks a free one; the address is printed)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,

    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// The most programs running at once; one more is refused with a message
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_runs: u32,

    /// Stop each run after DURATION: of its clock under real time, of the
    /// wall clock under simulated time
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "20s")]
    pub time_limit: Duration,

    /// Stop each run when it holds more than SIZE of memory
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "64M")]
    pub memory_limit: Size,

    /// Stop each run when its output (Print, Println) passes SIZE
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "1M")]
    pub max_output: Size,

    /// Stop each run after about N steps
    #[arg(long, value_name = "N", default_value_t = 50_000_000)]
    pub max_steps: u64,
}

/// Options of every verb: what the program is compiled with.
#[derive(Args, Debug, Clone, Default)]
pub struct Common {
    /// Do not load the standard prelude (only built-in sites are bound)
    #[arg(long, global = true)]
    pub no_prelude: bool,

    /// Look for included files in DIR too (repeatable)
    #[arg(short = 'I', value_name = "DIR", global = true)]
    pub include: Vec<PathBuf>,

    /// Print no publications, only the program's own output (Print,
    /// Println); `check`: print only the problems
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Withhold a service from the program: `net` (HTTP), `run` (Exec,
    /// Spawn) or `files` (ReadFile, WriteFile, AppendFile, ListDir).
    /// Repeatable; all are granted by default
    #[arg(long, value_name = "SERVICE", value_parser = parse_service, global = true)]
    pub deny: Vec<orc::services::Capability>,

    /// Withhold every service (network, processes, files)
    #[arg(long, global = true)]
    pub sandbox: bool,
}

/// A service named as `--deny` takes it.
fn parse_service(text: &str) -> Result<orc::services::Capability, String> {
    orc::services::Capability::ALL
        .into_iter()
        .find(|c| c.flag() == text)
        .ok_or_else(|| format!("expected one of net, run, files; got `{text}`"))
}

/// How a program runs: its clock, its limits, its randomness (`run` and
/// the REPL).
#[derive(Args, Debug, Clone, Default)]
pub struct Limits {
    /// Simulated time: timers fire as soon as nothing else can run
    #[arg(long)]
    pub sim_time: bool,

    /// Stop the program after DURATION of its clock, e.g. 500ms, 2s, 1.5m
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub time_limit: Option<Duration>,

    /// Stop the program when it has more than N live tokens
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<usize>,

    /// Stop the program when it holds more than SIZE of memory, e.g. 512M,
    /// 2G, or `none`. Default: half of the machine's memory
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub memory_limit: Option<Size>,

    /// Stop the program after about N steps of its tokens
    #[arg(long, value_name = "N")]
    pub max_steps: Option<u64>,

    /// Stop the program when its output (Print, Println) passes SIZE, e.g. 64K
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_output: Option<Size>,

    /// Random and URandom draw from a generator started from N: the same
    /// numbers on every run (with --sim-time, the same run)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

/// What `run` writes besides the usual output.
#[derive(Args, Debug, Clone, Default)]
pub struct Output {
    /// Write events as JSON Lines on stdout: one object per publication,
    /// print, error and the end, each with its `kind` and time `ms`
    #[arg(long)]
    pub json: bool,

    /// Write what the program did over time to FILE, as a Chrome trace
    /// (open it in ui.perfetto.dev or chrome://tracing)
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

/// Every option, as the verb given them (unset where it takes none).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub no_prelude: bool,
    pub include: Vec<PathBuf>,
    pub quiet: bool,
    pub sim_time: bool,
    pub time_limit: Option<Duration>,
    pub max_tokens: Option<usize>,
    pub memory_limit: Option<Size>,
    pub max_steps: Option<u64>,
    pub max_output: Option<Size>,
    pub seed: Option<u64>,
    pub json: bool,
    pub trace: Option<PathBuf>,
    pub deny: Vec<orc::services::Capability>,
    pub sandbox: bool,
}

impl Options {
    /// The options of a verb: `common`, and `limits` and `output` given
    /// after the verb, or before it (`orc --sim-time run p.orc`).
    pub fn new(common: &Common, limits: &[&Limits], output: &[&Output]) -> Options {
        let mut o = Options {
            no_prelude: common.no_prelude,
            include: common.include.clone(),
            quiet: common.quiet,
            deny: common.deny.clone(),
            sandbox: common.sandbox,
            ..Options::default()
        };
        for l in limits {
            o.sim_time |= l.sim_time;
            o.time_limit = o.time_limit.or(l.time_limit);
            o.max_tokens = o.max_tokens.or(l.max_tokens);
            o.memory_limit = o.memory_limit.or(l.memory_limit);
            o.max_steps = o.max_steps.or(l.max_steps);
            o.max_output = o.max_output.or(l.max_output);
            o.seed = o.seed.or(l.seed);
        }
        for out in output {
            o.json |= out.json;
            o.trace = o.trace.take().or_else(|| out.trace.clone());
        }
        o
    }
}

/// A number of bytes, or none (no limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size(pub Option<u64>);

/// Parses `512M`, `2G`, `64K`, `1000` (bytes; the units are powers of
/// 1024, and a trailing `B` or `iB` is allowed) or `none`.
pub fn parse_size(text: &str) -> Result<Size, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("none") {
        return Ok(Size(None));
    }
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size; write e.g. 512M, 2G or none"))?;
    let unit = unit.trim().to_ascii_uppercase();
    let unit = unit.trim_end_matches("IB").trim_end_matches('B');
    let scale: f64 = match unit {
        "" => 1.0,
        "K" => 1024.0,
        "M" => 1024.0 * 1024.0,
        "G" => 1024.0 * 1024.0 * 1024.0,
        "T" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        other => return Err(format!("unknown unit `{other}`; use K, M, G or T")),
    };
    let bytes = value * scale;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(format!("`{text}` is too large"));
    }
    Ok(Size(Some(bytes as u64)))
}

/// Parses `500ms`, `2s`, `1.5m`, `1h`: a decimal number and a unit.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| format!("`{text}` has no unit; write e.g. 500ms, 2s or 1m"))?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{number}` is not a number"))?;
    let scale = match unit.trim() {
        "ms" => 0.001,
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        other => return Err(format!("unknown unit `{other}`; use ms, s, m or h")),
    };
    Duration::try_from_secs_f64(value * scale).map_err(|e| format!("`{text}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("3 weeks").is_err());
        assert!(parse_duration("ms").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512M"), Ok(Size(Some(512 << 20))));
        assert_eq!(parse_size("2G"), Ok(Size(Some(2 << 30))));
        assert_eq!(parse_size("64KiB"), Ok(Size(Some(64 << 10))));
        assert_eq!(parse_size("1.5k"), Ok(Size(Some(1536))));
        assert_eq!(parse_size("1000"), Ok(Size(Some(1000))));
        assert_eq!(parse_size("none"), Ok(Size(None)));
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("1e30T").is_err());
    }

    #[test]
    fn the_grammar_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
