//! The `orc` command, run as a separate process: verbs, options, standard
//! input, exit statuses, error output and a closed stdout.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const ORC: &str = env!("CARGO_BIN_EXE_orc");

/// No test here should take anywhere near this long.
const DEADLINE: Duration = Duration::from_secs(20);

struct Output {
    status: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// A fresh directory for one test's files.
fn temp_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `orc ARGS` in `dir` with `stdin` piped in, killing it if it
/// overruns the deadline.
fn orc_in(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let started = Instant::now();
    let mut child = Command::new(ORC)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("orc starts");
    let mut input = child.stdin.take().unwrap();
    let text = stdin.to_string();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("orc {args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    feeder.join().unwrap();
    Output {
        status: status.code().unwrap_or(-1),
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
        elapsed,
    }
}

fn orc(args: &[&str], stdin: &str) -> Output {
    orc_in(&temp_dir(), args, stdin)
}

fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

#[test]
fn piped_stdin_is_the_program() {
    let out = orc(&[], "1 + 2");
    assert_eq!(out.stdout, "3\n");
    assert_eq!(out.status, 0, "stderr: {}", out.stderr);
    let out = orc(&["run", "-"], "(1, \"a\") | 3 >> stop");
    assert_eq!(lines(&out.stdout), ["(1, \"a\")"]);
}

#[test]
fn run_and_bare_file_agree() {
    let dir = temp_dir();
    write(&dir, "p.orc", "def f(x) = x * 2\nf(3) | f(4) >> stop\n");
    for args in [&["run", "p.orc"][..], &["p.orc"][..]] {
        let out = orc_in(&dir, args, "");
        assert_eq!(lines(&out.stdout), ["6"], "{args:?}");
        assert_eq!(out.status, 0);
    }
}

#[test]
fn program_arguments_are_bound_to_args() {
    let dir = temp_dir();
    write(&dir, "a.orc", "args");
    // `--` ends the options: what follows goes to the program.
    let out = orc_in(&dir, &["run", "a.orc", "x", "--", "-y", "2"], "");
    assert_eq!(out.stdout, "[\"x\", \"-y\", \"2\"]\n");
    // Negative numbers are arguments, not options.
    let out = orc_in(&dir, &["a.orc", "-5"], "");
    assert_eq!(out.stdout, "[\"-5\"]\n");
    // An unknown option is a usage error that says how to pass it.
    let out = orc_in(&dir, &["run", "a.orc", "-y"], "");
    assert_eq!(out.status, 64);
    assert!(out.stderr.contains("'-- -y'"), "{}", out.stderr);
    let out = orc_in(&dir, &["a.orc"], "");
    assert_eq!(out.stdout, "[]\n");
}

#[test]
fn sim_time_makes_waiting_instant() {
    let program = "Rwait(5000) >> \"late\"";
    let out = orc(&["--sim-time"], program);
    assert_eq!(out.stdout, "\"late\"\n");
    assert!(
        out.elapsed < Duration::from_millis(4000),
        "took {:?}",
        out.elapsed
    );
    // Real time really waits (a shorter wait, to keep the test quick).
    let out = orc(&[], "Rwait(300) >> \"late\"");
    assert_eq!(out.stdout, "\"late\"\n");
    assert!(out.elapsed >= Duration::from_millis(300));
}

#[test]
fn time_limit_stops_a_program_that_never_halts() {
    let out = orc(&["--time-limit", "300ms"], "metronome(50) >> \"tick\"");
    assert_eq!(out.status, 3, "stderr: {}", out.stderr);
    assert!(out.stderr.contains("time limit"), "stderr: {}", out.stderr);
    assert!(out.stdout.lines().count() >= 2, "stdout: {}", out.stdout);
    assert!(
        out.elapsed < Duration::from_secs(5),
        "took {:?}",
        out.elapsed
    );
    // Also a busy loop, which never waits for a timer.
    let out = orc(&["run", "--time-limit", "200ms", "-"], "def f() = f()  f()");
    assert_eq!(out.status, 3, "stderr: {}", out.stderr);
    assert!(out.elapsed < Duration::from_secs(5));
    // Under simulated time the limit is on the simulated clock.
    let out = orc(
        &["--sim-time", "--time-limit", "1m"],
        "metronome(1000) >> \"tick\"",
    );
    assert_eq!(out.status, 3);
    assert_eq!(out.stdout.lines().count(), 60);
}

#[test]
fn bad_durations_are_usage_errors() {
    let out = orc(&["--time-limit", "10", "x.orc"], "");
    assert_eq!(out.status, 64);
    assert!(out.stderr.contains("unit"), "stderr: {}", out.stderr);
}

#[test]
fn token_limit() {
    let out = orc(
        &["--max-tokens", "100"],
        "def spawn(n) = Rwait(10) >> (spawn(n + 1) | spawn(n + 1))  spawn(0)",
    );
    assert_eq!(out.status, 4, "stderr: {}", out.stderr);
    assert!(out.stderr.contains("live tokens"), "stderr: {}", out.stderr);
}

#[test]
fn memory_limit_stops_runaway_recursion_with_5() {
    let out = orc(&["--memory-limit", "64M"], "def f(x) = 1 + f(x)  f(1)");
    assert_eq!(out.status, 5, "stderr: {}", out.stderr);
    assert!(
        out.stderr.contains("memory limit of 64 MiB reached"),
        "stderr: {}",
        out.stderr
    );
    assert!(out.stderr.len() < 1024, "stderr: {}", out.stderr);
    // A big allocation is refused at its call, which is named.
    let out = orc(&["--memory-limit", "16M"], "Array(100000000)");
    assert_eq!(out.status, 5, "stderr: {}", out.stderr);
    assert!(
        out.stderr.contains("Array(100000000)"),
        "stderr: {}",
        out.stderr
    );
    // Without a limit given, the default one still lets ordinary programs
    // run; `none` lifts it.
    let out = orc(&["--memory-limit", "none"], "Array(1000000) >> 1");
    assert_eq!(out.status, 0, "stderr: {}", out.stderr);
    let out = orc(&[], "Array(1000000) >> 1");
    assert_eq!(out.status, 0, "stderr: {}", out.stderr);
}

#[test]
fn step_and_output_limits_exit_6_and_7() {
    let out = orc(&["--max-steps", "10000"], "def f() = f()  f()");
    assert_eq!(out.status, 6, "stderr: {}", out.stderr);
    assert!(
        out.stderr.contains("step limit of 10000"),
        "stderr: {}",
        out.stderr
    );
    let out = orc(
        &["--max-output", "1K"],
        "def say(i) = Println(i) >> say(i + 1)  say(0)",
    );
    assert_eq!(out.status, 7, "stderr: {}", out.stderr);
    assert!(out.stdout.len() <= 1024);
    assert!(
        out.stdout.starts_with("0\n1\n2\n"),
        "stdout: {}",
        out.stdout
    );
    assert!(
        out.stderr.contains("output limit of 1 KiB"),
        "stderr: {}",
        out.stderr
    );
}

#[test]
fn bad_sizes_are_usage_errors() {
    let out = orc(&["--memory-limit", "12 parsecs", "x.orc"], "");
    assert_eq!(out.status, 64);
    assert!(out.stderr.contains("unit"), "stderr: {}", out.stderr);
}

#[test]
fn limits_are_explained_in_help() {
    let out = orc(&["run", "--help"], "");
    assert_eq!(out.status, 0);
    for needle in [
        "--memory-limit <SIZE>",
        "half of the machine's memory",
        "--max-steps <N>",
        "--max-output <SIZE>",
        "5    the memory limit passed",
    ] {
        assert!(out.stdout.contains(needle), "{needle} in {}", out.stdout);
    }
}

#[test]
fn the_time_limit_stops_a_loop_of_big_built_ins() {
    let program = "def loop() = Array(100000) >> loop()  loop()";
    let out = orc(&["--time-limit", "300ms"], program);
    assert_eq!(out.status, 3, "stderr: {}", out.stderr);
    assert!(
        out.elapsed < Duration::from_millis(1500),
        "took {:?}",
        out.elapsed
    );
    // Under simulated time, a program that never waits is stopped by the
    // wall clock.
    let out = orc(
        &["--sim-time", "--time-limit", "300ms"],
        "def f(n) = f(n + 1)  f(0)",
    );
    assert_eq!(out.status, 3, "stderr: {}", out.stderr);
    assert!(
        out.elapsed < Duration::from_millis(1500),
        "took {:?}",
        out.elapsed
    );
}

#[test]
fn quiet_prints_only_program_output() {
    let program = "Println(\"said\") >> 1 | 2";
    let out = orc(&["--quiet"], program);
    assert_eq!(out.stdout, "said\n");
    let out = orc(&[], program);
    let mut got = lines(&out.stdout);
    got.sort();
    assert_eq!(got, ["1", "2", "said"]);
}

#[test]
fn include_path() {
    let dir = temp_dir();
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    write(&dir, "lib/twice.inc", "def twice(x) = x + x\n");
    write(&dir, "p.orc", "include \"twice.inc\"\ntwice(21)\n");
    let out = orc_in(&dir, &["p.orc"], "");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("twice.inc"), "stderr: {}", out.stderr);
    let out = orc_in(&dir, &["-I", "lib", "p.orc"], "");
    assert_eq!(out.stdout, "42\n", "stderr: {}", out.stderr);
    // Repeatable: the second directory is searched too.
    let out = orc_in(&dir, &["-I", "nowhere", "-I", "lib", "run", "p.orc"], "");
    assert_eq!(out.stdout, "42\n", "stderr: {}", out.stderr);
}

#[test]
fn no_prelude_leaves_only_builtins() {
    let out = orc(&[], "map(lambda(x) = x + 1, [1, 2])");
    assert_eq!(out.stdout, "[2, 3]\n");
    let out = orc(&["--no-prelude"], "map(lambda(x) = x + 1, [1, 2])");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("map"), "stderr: {}", out.stderr);
    let out = orc(&["--no-prelude"], "1 + 1");
    assert_eq!(out.stdout, "2\n");
}

#[test]
fn compile_errors_exit_1_with_location() {
    let dir = temp_dir();
    write(&dir, "bad.orc", "1 +\n  (2 * )\n");
    let out = orc_in(&dir, &["bad.orc"], "");
    assert_eq!(out.status, 1);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("bad.orc:2:"), "stderr: {}", out.stderr);
    assert!(out.stderr.contains("expected"), "stderr: {}", out.stderr);
    let out = orc_in(&dir, &["missing.orc"], "");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("missing.orc"));
}

#[test]
fn runtime_errors_exit_2_after_the_program_ends() {
    let dir = temp_dir();
    write(
        &dir,
        "err.orc",
        "Println(\"before\") >> 1 / 0 | Rwait(100) >> \"after\"\n",
    );
    let out = orc_in(&dir, &["--sim-time", "err.orc"], "");
    assert_eq!(out.status, 2);
    assert_eq!(lines(&out.stdout), ["before", "\"after\""]);
    // One report for the one error, with its message once.
    assert_eq!(
        out.stderr.matches("division by zero").count(),
        1,
        "stderr: {}",
        out.stderr
    );
    assert!(out.stderr.contains("× division by zero"), "{}", out.stderr);
    // The snippet points at the failing call.
    assert!(out.stderr.contains("err.orc:1:"), "stderr: {}", out.stderr);
    assert!(out.stderr.contains("1 / 0"), "stderr: {}", out.stderr);
}

#[test]
fn check_reports_without_running() {
    let dir = temp_dir();
    write(&dir, "good.orc", "Println(\"ran\")");
    write(&dir, "bad.orc", "undefined_thing(1)");
    let out = orc_in(&dir, &["check", "good.orc"], "");
    assert_eq!(out.status, 0);
    assert_eq!(out.stdout, "", "check must not run the program");
    let out = orc_in(&dir, &["check", "bad.orc"], "");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("undefined_thing"), "{}", out.stderr);
    let out = orc_in(&dir, &["check", "good.orc", "bad.orc"], "");
    assert_eq!(out.status, 1);
}

#[test]
fn usage_errors_exit_64() {
    assert_eq!(orc(&["--frobnicate"], "").status, 64);
    assert_eq!(orc(&["run"], "").status, 64);
    assert_eq!(orc(&["check"], "").status, 64);
}

#[test]
fn help_for_every_verb() {
    let out = orc(&["--help"], "");
    assert_eq!(out.status, 0);
    for word in ["run", "check", "repl", "--sim-time", "Exit status", "130"] {
        assert!(out.stdout.contains(word), "--help lacks {word}");
    }
    for verb in ["run", "check", "repl"] {
        let out = orc(&[verb, "--help"], "");
        assert_eq!(out.status, 0);
        assert!(out.stdout.contains("Examples:"), "{verb} --help");
    }
}

#[test]
fn closed_stdout_stops_the_program_quietly() {
    let mut child = Command::new(ORC)
        .args(["-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"metronome(10) >> \"tick\"")
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert_eq!(first, "\"tick\"\n");
    drop(reader);
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("orc kept running after its stdout was closed");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panic"), "stderr: {stderr}");
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
}

#[cfg(unix)]
/// Runs `program` from stdin, waits for its first line of output (then
/// the program, and so the Ctrl-C handler, is running) and `settle`
/// more, sends SIGINT: the exit status and how long the stop took.
fn interrupted(program: &str, first: &str, settle: Duration) -> (Option<i32>, Duration) {
    let mut child = Command::new(ORC)
        .args(["-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(program.as_bytes())
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, first);
    std::thread::sleep(settle);
    sigint_and_wait(&mut child)
}

#[cfg(unix)]
/// Sends SIGINT to `child` and waits for it: its exit status and how long
/// the stop took.
fn sigint_and_wait(child: &mut std::process::Child) -> (Option<i32>, Duration) {
    let started = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(started.elapsed() < DEADLINE, "SIGINT did not stop orc");
        std::thread::sleep(Duration::from_millis(2));
    };
    (status.code(), started.elapsed())
}

#[test]
fn ctrl_c_stops_the_program_with_130() {
    let (status, _) = interrupted("metronome(20) >> \"tick\"", "\"tick\"\n", Duration::ZERO);
    assert_eq!(status, Some(130));
}

#[test]
fn ctrl_c_stops_a_loop_of_big_built_ins_at_once() {
    let (status, took) = interrupted(
        "def loop() = Array(200000) >> loop()  Println(\"go\") >> loop()",
        "go\n",
        Duration::from_millis(200),
    );
    assert_eq!(status, Some(130));
    assert!(took < Duration::from_millis(1000), "took {took:?}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_before_the_program_runs_exits_with_130() {
    // `orc -` still reading its program: no run yet, so no kill switch;
    // the process ends at once with 130 (and, on Linux, with one thread:
    // `orc run` starts none for Ctrl-C).
    let mut child = Command::new(ORC)
        .args(["-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    #[cfg(target_os = "linux")]
    {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", child.id()))
            .unwrap()
            .count();
        assert_eq!(tasks, 1, "threads of orc reading its program");
    }
    let (status, _) = sigint_and_wait(&mut child);
    drop(child.stdin.take());
    assert_eq!(status, Some(130));
}

/// Well under what one error may write on stderr.
const ERROR_BOUND: usize = 64 * 1024;

/// A compile error in `text` (one long line): exit 1, no panic, a bounded
/// report naming `file:line:column`.
fn bounded_compile_error(text: &str, location: &str) -> String {
    let dir = temp_dir();
    write(&dir, "long.orc", text);
    let out = orc_in(&dir, &["long.orc"], "");
    let head: String = out.stderr.chars().take(2_000).collect();
    assert_eq!(out.status, 1, "stderr: {head}");
    assert!(!out.stderr.contains("panicked"), "stderr: {head}");
    assert!(
        out.stderr.len() < ERROR_BOUND,
        "{} bytes of stderr: {head}",
        out.stderr.len()
    );
    assert!(out.stderr.contains(location), "stderr: {head}");
    out.stderr
}

#[test]
fn syntax_error_past_column_65535() {
    let text = format!("1 + {})\n", " ".repeat(70_000));
    let err = bounded_compile_error(&text, "long.orc:1:70005");
    assert!(err.contains("expected an expression after `+`"), "{err}");
    // The line is shown around the error, cut on the left.
    assert!(err.contains("…"), "{err}");
}

#[test]
fn syntax_error_at_the_end_of_a_2_mb_line() {
    // A list of a million numbers, closed by the wrong bracket.
    let text = format!("[{})\n", "1,".repeat(1_000_000));
    let err = bounded_compile_error(&text, "long.orc:1:2000002");
    assert!(err.contains("unexpected `)`"), "{err}");
    // A string never closed, 2 MB long.
    let text = format!("\"{}\n1", "a".repeat(2_000_000));
    let err = bounded_compile_error(&text, "long.orc:1:1");
    assert!(err.contains("unclosed string literal"), "{err}");
}

#[test]
fn a_200000_digit_integer_literal() {
    let digits = "7".repeat(200_000);
    let dir = temp_dir();
    write(&dir, "ok.orc", &format!("{digits} % 10\n"));
    let out = orc_in(&dir, &["ok.orc"], "");
    assert_eq!(
        (out.status, out.stdout.as_str()),
        (0, "7\n"),
        "{}",
        out.stderr
    );
    // An error after it quotes the number's start, not the number.
    // (Shown just after the `+`, where the operand is missing.)
    bounded_compile_error(&format!("{digits} +\n"), "long.orc:1:200003");
    let err = bounded_compile_error(&format!("f(x) {digits}\n"), "long.orc:1:6");
    // (The message may be wrapped after the count.)
    assert!(err.contains("(200000"), "{err}");
    // Past the limit of integers: a clear error.
    let err = bounded_compile_error(&format!("1 + 1{}\n", "0".repeat(1_000_000)), "long.orc:1:5");
    assert!(err.contains("too long") && err.contains("1000001"), "{err}");
}

#[test]
fn a_runtime_error_shows_a_huge_value_briefly() {
    // The value in the message and the call in the snippet are cut.
    let dir = temp_dir();
    write(
        &dir,
        "big.orc",
        &format!("1 + [{}0]\n", "1234567890, ".repeat(20_000)),
    );
    let out = orc_in(&dir, &["big.orc"], "");
    let head: String = out.stderr.chars().take(2_000).collect();
    assert_eq!(out.status, 2, "stderr: {head}");
    assert!(
        out.stderr
            .contains("× cannot apply + to Integer 1 and List [1234567890, "),
        "stderr: {head}"
    );
    assert!(out.stderr.contains("big.orc:1:1"), "stderr: {head}");
    assert!(
        out.stderr.len() < 4_000,
        "{} bytes of stderr: {head}",
        out.stderr.len()
    );
}

/// Runs `orc ARGS` in `dir` with the given stdin text and stdout and
/// stderr: its exit status.
fn orc_status(dir: &Path, args: &[&str], stdin: &str, stdout: Stdio, stderr: Stdio) -> i32 {
    let mut child = Command::new(ORC)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("orc starts");
    let mut input = child.stdin.take().unwrap();
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("orc {args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The writing end of a pipe whose reader is already closed: every write
/// fails with a broken pipe.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

/// `/dev/full`: every write fails with "no space left on device".
fn full_device() -> Stdio {
    Stdio::from(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn closed_or_full_stderr_and_stdout_never_panic() {
    let dir = temp_dir();
    write(&dir, "bad.orc", "1 + )\n");
    write(&dir, "fails.orc", "1 / 0\n");
    write(&dir, "ok.orc", "Println(\"out\") >> Print(\"more\") >> 1\n");
    write(&dir, "slow.orc", "Rwait(60000)\n");
    let repl_input = "1 + 2\n:help\n:time\n:bogus\nPrintln(\"x\")\n";
    // The usual exit status, whatever happened to the text (a panic would
    // be 101).
    let cases: [(&[&str], &str, i32); 6] = [
        (&["bad.orc"], "", 1),
        (&["fails.orc"], "", 2),
        (&["check", "ok.orc"], "", 0),
        (&["ok.orc"], "", 0),
        (&["--time-limit", "50ms", "slow.orc"], "", 3),
        (&["repl"], repl_input, 0),
    ];
    for (args, stdin, status) in cases {
        for (which, stdout, stderr) in [
            ("closed stderr", Stdio::null(), closed_pipe()),
            ("full stderr", Stdio::null(), full_device()),
            ("closed stdout", closed_pipe(), Stdio::null()),
            ("full stdout", full_device(), Stdio::null()),
            ("both closed", closed_pipe(), closed_pipe()),
        ] {
            let got = orc_status(&dir, args, stdin, stdout, stderr);
            assert_eq!(got, status, "orc {args:?} with {which}");
        }
    }
}

#[test]
fn a_flood_of_runtime_errors_shows_the_first_20_then_a_count() {
    let out = orc(&[], "upto(10000) >x> x / 0");
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr.matches("× division by zero").count(),
        20,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("9980 more runtime error(s) not shown (10000 in all)"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.len() < 20_000, "{} bytes", out.stderr.len());
}

#[test]
fn a_non_boolean_condition_is_one_error() {
    let out = orc(&[], "if 1 then 2 else 3");
    assert_eq!(out.status, 2);
    assert_eq!(out.stderr.matches("×").count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("boolean"), "{}", out.stderr);
}

/// The help of the one diagnostic `program` gets (exit 1).
fn help_for(program: &str) -> String {
    let out = orc(&[], program);
    assert_eq!(out.status, 1, "{program}: {}", out.stderr);
    let help = out
        .stderr
        .split_once("help:")
        .unwrap_or_else(|| panic!("{program}: no help in {}", out.stderr))
        .1;
    // The help may wrap over lines.
    help.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn hints_for_the_habits_of_other_languages() {
    for (program, hint) in [
        ("1 < 2", "to compare, write `<:`"),
        ("if 2 > 1 then 1 else 0", "to compare, write `:>`"),
        ("1 > 2", "to compare, write `:>`"),
        ("1 != 2", "inequality is written `/=`"),
        ("1 <> 2", "inequality is written `/=`"),
        ("1 == 1", "equality is written `=`"),
        ("!true", "negation is written `~`"),
        ("true & false", "written `&&`"),
        ("2 ^ 3", "powers are written `**`"),
    ] {
        let help = help_for(program);
        assert!(help.contains(hint), "{program}: {help}");
    }
    // `&&` and `||` are Orc's own.
    assert_eq!(orc(&[], "true && (false || true)").stdout, "true\n");
}

#[test]
fn unbound_names_get_a_did_you_mean() {
    assert!(help_for("Prinln(1)").contains("did you mean `Println`?"));
    // Prelude names, and local ones.
    assert!(help_for("metronoem(10)").contains("did you mean `metronome`?"));
    assert!(help_for("def f(count) = coutn + 1  f(1)").contains("did you mean `count`?"));
    // Nothing close: no guess.
    let out = orc(&[], "zqxj(1)");
    assert!(!out.stderr.contains("did you mean"), "{}", out.stderr);
    // Without the prelude its names are not offered.
    let out = orc(&["--no-prelude"], "metronoem(10)");
    assert!(!out.stderr.contains("metronome"), "{}", out.stderr);
}

#[test]
fn an_error_at_the_end_of_the_input_has_a_caret() {
    for program in ["(1 +\n", "(1 +", "def f(x) =\n\n"] {
        let out = orc(&[], program);
        assert_eq!(out.status, 1);
        assert!(out.stderr.contains('▲'), "{program:?}: {}", out.stderr);
        assert!(out.stderr.contains("the input ends here"), "{}", out.stderr);
        assert!(out.stderr.contains("<stdin>:1:"), "{}", out.stderr);
    }
}

#[test]
fn check_reports_arity_mismatches_as_warnings() {
    let dir = temp_dir();
    write(&dir, "calls.orc", "def f(x) = x\nf(1, 2)\n");
    let out = orc_in(&dir, &["check", "calls.orc"], "");
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`f` takes 1 argument, but this call passes 2"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("calls.orc:2:1"), "{}", out.stderr);
    write(
        &dir,
        "patterns.orc",
        "type T = A(_, _)\nA(1, 2) >A(x)> x | Some(3) >Some(a, b)> a\n",
    );
    let out = orc_in(&dir, &["check", "patterns.orc"], "");
    assert_eq!(out.status, 1, "{}", out.stderr);
    for needle in [
        "constructor `A` has 2 fields, but this pattern has 1",
        "constructor `Some` has 1 field, but this pattern has 2",
    ] {
        assert!(out.stderr.contains(needle), "{needle}: {}", out.stderr);
    }
    // Right arities: no problems. A shadowing parameter is not the def.
    write(
        &dir,
        "good.orc",
        "type T = A(_, _)\ndef f(x) = x\ndef g(f) = f(1, 2)\nA(1, 2) >A(x, y)> f(x) | g(lambda(a, b) = a)\n",
    );
    let out = orc_in(&dir, &["check", "good.orc"], "");
    assert_eq!(out.status, 0, "{}", out.stderr);
    // `run` shows the warning and runs the program.
    let out = orc_in(&dir, &["run", "calls.orc"], "");
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("⚠"), "{}", out.stderr);
}

#[test]
fn clauses_that_are_not_adjacent_are_warned_of() {
    let dir = temp_dir();
    write(
        &dir,
        "g.orc",
        "def g(0) = 0\nval x = 1\ndef g(n) = n + g(n - 1)\ng(0)\n",
    );
    let out = orc_in(&dir, &["check", "g.orc"], "");
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("clauses of `g` are not adjacent"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("g.orc:3:1"), "{}", out.stderr);
    assert!(out.stderr.contains("line 1, column 1"), "{}", out.stderr);
    write(
        &dir,
        "ok.orc",
        "def g(0) = 0\ndef g(n) = n + g(n - 1)\ng(3)\n",
    );
    let out = orc_in(&dir, &["check", "ok.orc"], "");
    assert_eq!(out.status, 0, "{}", out.stderr);
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = temp_dir();
    write(&dir, "bom.orc", "\u{FEFF}1 + 1\n");
    let out = orc_in(&dir, &["bom.orc"], "");
    assert_eq!(
        (out.status, out.stdout.as_str()),
        (0, "2\n"),
        "{}",
        out.stderr
    );
    let out = orc(&[], "\u{FEFF}(1 +");
    // Columns count from after the mark.
    assert!(out.stderr.contains("<stdin>:1:5"), "{}", out.stderr);
}

#[test]
fn options_may_follow_the_file() {
    let dir = temp_dir();
    write(&dir, "w.orc", "Rwait(5000) >> args");
    for args in [
        &["run", "w.orc", "--sim-time", "a"][..],
        &["w.orc", "a", "--sim-time"][..],
        &["--sim-time", "run", "w.orc", "a"][..],
        &["run", "--sim-time", "w.orc", "a"][..],
    ] {
        let out = orc_in(&dir, args, "");
        assert_eq!(out.stdout, "[\"a\"]\n", "{args:?}: {}", out.stderr);
        assert!(out.elapsed < Duration::from_millis(4000), "{args:?}");
    }
    // After `--`, an option is the program's.
    let out = orc_in(&dir, &["w.orc", "--sim-time", "--", "--quiet"], "");
    assert_eq!(out.stdout, "[\"--quiet\"]\n", "{}", out.stderr);
}

#[test]
fn eval_runs_an_expression_from_the_command_line() {
    let out = orc(&["run", "-e", "1 + 2 | 3 * 4 >> stop"], "");
    assert_eq!(
        (out.status, out.stdout.as_str()),
        (0, "3\n"),
        "{}",
        out.stderr
    );
    let out = orc(&["-e", "args", "x", "y"], "");
    assert_eq!(out.stdout, "[\"x\", \"y\"]\n", "{}", out.stderr);
    let out = orc(&["--eval", "Rwait(9000) >> 9", "--sim-time"], "");
    assert_eq!(out.stdout, "9\n");
    // Its errors name it `<-e>`.
    let out = orc(&["-e", "1 +"], "");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("<-e>:1:4"), "{}", out.stderr);
}

#[test]
fn check_help_lists_only_its_own_options() {
    let out = orc(&["check", "--help"], "");
    assert_eq!(out.status, 0);
    for absent in [
        "--sim-time",
        "--time-limit",
        "--max-tokens",
        "--seed",
        "--json",
    ] {
        assert!(!out.stdout.contains(absent), "{absent} in {}", out.stdout);
    }
    for present in ["-I <DIR>", "--no-prelude", "--quiet"] {
        assert!(
            out.stdout.contains(present),
            "{present} not in {}",
            out.stdout
        );
    }
    let out = orc(&["run", "--help"], "");
    for present in ["--sim-time", "--seed <N>", "--json", "--eval <EXPR>"] {
        assert!(
            out.stdout.contains(present),
            "{present} not in {}",
            out.stdout
        );
    }
}

#[test]
fn seed_makes_random_reproducible() {
    let program = "upto(5) >i> Rwait(i) >> (Random(1000000), URandom())";
    let first = orc(&["--sim-time", "--seed", "42", "-e", program], "");
    assert_eq!(first.status, 0, "{}", first.stderr);
    assert_eq!(first.stdout.lines().count(), 5);
    let again = orc(&["--sim-time", "--seed", "42", "-e", program], "");
    assert_eq!(first.stdout, again.stdout);
    let other = orc(&["--sim-time", "--seed", "43", "-e", program], "");
    assert_ne!(first.stdout, other.stdout);
    // Without a seed, two runs differ (a million values: a clash is as
    // good as impossible).
    let a = orc(&["-e", "Random(1000000000)"], "");
    let b = orc(&["-e", "Random(1000000000)"], "");
    assert_ne!(a.stdout, b.stdout);
}

#[test]
fn json_writes_one_object_per_event() {
    let out = orc(
        &[
            "--json",
            "--sim-time",
            "-e",
            "Println(\"hi\") >> Rwait(50) >> ([1, \"a\"] | 1 / 0) | Rwait(10) >> Print(\"x\") >> stop",
        ],
        "",
    );
    assert_eq!(out.status, 2, "{}", out.stderr);
    let events: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["print", "print", "publication", "error", "halt"]);
    assert_eq!(events[0]["text"], "hi\n");
    assert_eq!(
        (events[1]["text"].as_str(), events[1]["ms"].as_u64()),
        (Some("x"), Some(10))
    );
    assert_eq!(events[2]["value"], serde_json::json!([1, "a"]));
    assert_eq!(events[2]["text"], "[1, \"a\"]");
    assert_eq!(events[2]["ms"], 50);
    assert_eq!(events[3]["message"], "division by zero");
    assert_eq!(
        (events[3]["line"].as_u64(), events[3]["file"].as_str()),
        (Some(1), Some("<-e>"))
    );
    assert_eq!(events[4]["outcome"], "halted");
    assert_eq!(events[4]["errors"], 1);
    // Compile problems are objects too.
    let out = orc(&["--json", "-e", "1 +"], "");
    assert_eq!(out.status, 1);
    let e: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(
        (e["kind"].as_str(), e["phase"].as_str()),
        (Some("error"), Some("syntax"))
    );
}

#[test]
fn completions_for_the_usual_shells() {
    for (shell, needle) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef orc"),
        ("fish", "complete -c orc"),
    ] {
        let out = orc(&["completions", shell], "");
        assert_eq!(out.status, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains(needle), "{shell}: {}", out.stdout);
        assert!(out.stdout.contains("sim-time"), "{shell}");
    }
    assert_eq!(orc(&["completions", "cmd.exe"], "").status, 64);
}

/// A program that can make no more progress ends with a note naming the
/// places where its tokens wait.
#[test]
fn a_deadlock_note_names_where_tokens_wait() {
    let out = orc(
        &[
            "run",
            "-e",
            "val c = Channel() # c.get() | c.get() | Rwait(10) >> Semaphore(0).acquire()",
        ],
        "",
    );
    assert_eq!(out.status, 0);
    let err = &out.stderr;
    assert!(
        err.contains("can make no more progress: 3 token(s)"),
        "{err}"
    );
    for place in [
        "1 token waits at <-e>:1:21: c.get()",
        "1 token waits at <-e>:1:31: c.get()",
        "1 token waits at <-e>:1:54: Semaphore(0).acquire()",
    ] {
        assert!(err.contains(place), "{err}");
    }
    // Tokens waiting at one place are counted together.
    let out = orc(&["run", "-e", "val c = Channel() # upto(3) >> c.get()"], "");
    assert!(
        out.stderr.contains("3 tokens wait at <-e>:1:32: c.get()"),
        "{}",
        out.stderr
    );
}

/// `--trace FILE` writes a Chrome trace: a slice for each token's life,
/// one inside it for each site call it waited on, instants for what the
/// program published or printed, on the program's clock.
#[test]
fn trace_writes_a_chrome_trace_of_tokens_and_waits() {
    let dir = temp_dir();
    let trace = dir.join("t.json");
    let out = orc_in(
        &dir,
        &[
            "run",
            "--sim-time",
            "--trace",
            trace.to_str().unwrap(),
            "-e",
            r#"{| Rwait(100) >> "fast" | Rwait(200) >> "slow" |}"#,
        ],
        "",
    );
    assert_eq!(out.stdout, "\"fast\"\n");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&trace).unwrap()).unwrap();
    let events = json["traceEvents"].as_array().unwrap();
    let find = |ph: &str, name: &str| {
        events
            .iter()
            .filter(|e| e["ph"] == ph && e["name"] == name)
            .cloned()
            .collect::<Vec<_>>()
    };
    // The fast wait: a slice from 0 to 100 ms on its token's track.
    let fast = find("B", "Rwait(100)  (<-e>:1:4)");
    assert_eq!(fast.len(), 1, "{events:?}");
    assert_eq!(fast[0]["ts"], 0);
    let tid = &fast[0]["tid"];
    let ends: Vec<_> = events
        .iter()
        .filter(|e| e["ph"] == "E" && &e["tid"] == tid)
        .collect();
    assert_eq!(ends[0]["ts"], 100_000, "{ends:?}");
    // The slow one is cut at 100 ms, when the trim kills its token.
    let slow = find("B", "Rwait(200)  (<-e>:1:27)");
    assert_eq!(slow.len(), 1);
    let slow_end: Vec<_> = events
        .iter()
        .filter(|e| e["ph"] == "E" && e["tid"] == slow[0]["tid"])
        .collect();
    assert_eq!(slow_end[0]["ts"], 100_000);
    // The publication is an instant at 100 ms.
    let published = find("i", "publish \"fast\"");
    assert_eq!(published[0]["ts"], 100_000);
    // Every B has its E on the same track.
    for e in events.iter().filter(|e| e["ph"] == "B") {
        let (b, ee) = (
            events
                .iter()
                .filter(|x| x["ph"] == "B" && x["tid"] == e["tid"] && x["pid"] == e["pid"])
                .count(),
            events
                .iter()
                .filter(|x| x["ph"] == "E" && x["tid"] == e["tid"] && x["pid"] == e["pid"])
                .count(),
        );
        assert_eq!(b, ee, "unbalanced track {e}");
    }
}

#[test]
fn program_options_that_serve_cannot_use_are_refused() {
    // They are global options, so clap takes them after `serve` too; the
    // playground's runs are always sandboxed and use the prelude, so
    // each is refused with a reason instead of being silently ignored.
    // (The port is never opened: the check comes first.)
    for flag in [
        &["--no-prelude"][..],
        &["-I", "."],
        &["--quiet"],
        &["--deny", "net"],
        &["--sandbox"],
    ] {
        let mut args = vec!["serve", "--port", "1"];
        args.extend_from_slice(flag);
        let out = orc(&args, "");
        assert_eq!(out.status, 64, "{flag:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(flag[0]) && out.stderr.contains("does not apply"),
            "{flag:?}: {}",
            out.stderr
        );
    }
}
