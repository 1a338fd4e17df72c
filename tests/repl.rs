//! The REPL, driven through a pseudo-terminal as a person would use it:
//! declarations that persist, multi-line input, Ctrl-C, `:` commands and
//! the history file.

#![cfg(unix)]

use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

const ORC: &str = env!("CARGO_BIN_EXE_orc");

/// How long to wait for any one expected output: generous, since these
/// machines are shared and noisy.
const TIMEOUT_MS: u64 = 15_000;

const PROMPT: &str = "orc> ";

/// A fresh directory, used as the REPL's home and working directory.
fn temp_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "repl-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts `orc repl` in `home` (also its HOME and data directory).
fn start(home: &Path) -> PtySession {
    let mut cmd = Command::new(ORC);
    cmd.arg("repl")
        .current_dir(home)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let options = Options::new()
        .timeout_ms(Some(TIMEOUT_MS))
        .strip_ansi_escape_codes(true);
    let mut s = spawn_with_options(cmd, options).expect("orc repl starts");
    s.exp_string(PROMPT).expect("first prompt");
    s
}

/// Sends one line and waits until `expected` appears after it. The line is
/// echoed, so `expected` must not occur in it.
fn expect_after(s: &mut PtySession, line: &str, expected: &str) {
    s.send_line(line).unwrap();
    if let Err(e) = s.exp_string(expected) {
        panic!("after {line:?}, expected {expected:?}: {e}");
    }
}

fn quit(mut s: PtySession) {
    s.send_line(":quit").unwrap();
    s.exp_eof().expect("the REPL exits on :quit");
}

#[test]
fn declarations_persist_across_inputs() {
    let mut s = start(&temp_dir());
    expect_after(&mut s, "def double(x) = x * 2", PROMPT);
    expect_after(&mut s, "val base = 20 + 1", PROMPT);
    expect_after(&mut s, "double(base)", "42");
    s.exp_string(PROMPT).unwrap();
    // An input with declarations and an expression: both take effect.
    expect_after(&mut s, "def inc(x) = x + 1  inc(double(50))", "101");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, "inc(999)", "1000");
    s.exp_string(PROMPT).unwrap();
    // Datatypes declare their constructors.
    expect_after(&mut s, "type Shape = Circle(_) | Square(_)", PROMPT);
    expect_after(&mut s, "Square(7) >Square(n)> n * n", "49");
    quit(s);
}

#[test]
fn errors_are_shown_and_the_repl_goes_on() {
    let mut s = start(&temp_dir());
    expect_after(&mut s, "nosuchname(1)", "unbound variable `nosuchname`");
    s.exp_string(PROMPT).unwrap();
    // (rexpect reads bytes as Latin-1: the report's `×` does not match.)
    expect_after(&mut s, "7 / 0", "orc::runtime");
    s.exp_string("division by zero").unwrap();
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, "6 * 7", "42");
    s.exp_string(PROMPT).unwrap();
    // A failed declaration binds nothing.
    expect_after(&mut s, "val w = 1 +  nosuch", "unbound variable `nosuch`");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, "w", "unbound variable `w`");
    quit(s);
}

#[test]
fn incomplete_input_continues_on_the_next_line() {
    let mut s = start(&temp_dir());
    expect_after(&mut s, "(100 +", "...> ");
    expect_after(&mut s, "  23)", "123");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, "def fact(n) =", "...> ");
    expect_after(&mut s, "  if n = 0 then 1", "...> ");
    expect_after(&mut s, "  else n * fact(n - 1)", PROMPT);
    expect_after(&mut s, "fact(10)", "3628800");
    s.exp_string(PROMPT).unwrap();
    // An empty line gives up on an incomplete input and shows why.
    expect_after(&mut s, "[1, 2,", "...> ");
    expect_after(&mut s, "", "unexpected end of input");
    s.exp_string(PROMPT).unwrap();
    quit(s);
}

#[test]
fn ctrl_c_stops_the_running_expression() {
    let mut s = start(&temp_dir());
    s.send_line("metronome(100) >> \"tick\"").unwrap();
    // Two ticks, each at the start of a line (unlike the echoed input):
    // the expression is really running.
    s.exp_string("\n\"tick\"").unwrap();
    s.exp_string("\n\"tick\"").unwrap();
    s.send_control('c').unwrap();
    s.exp_string("interrupted").unwrap();
    s.exp_string(PROMPT).unwrap();
    // Back at the prompt, with nothing left ticking.
    expect_after(&mut s, "1000 + 1", "1001");
    s.exp_string(PROMPT).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(350));
    let mut later = String::new();
    while let Some(c) = s.try_read() {
        later.push(c);
    }
    assert!(!later.contains("tick"), "still ticking: {later:?}");
    quit(s);
}

#[test]
fn ctrl_c_twice_at_the_prompt_exits() {
    let mut s = start(&temp_dir());
    s.send_control('c').unwrap();
    s.exp_string("Ctrl-C again").unwrap();
    s.exp_string(PROMPT).unwrap();
    s.send_control('c').unwrap();
    s.exp_eof().expect("a second Ctrl-C exits");
}

#[test]
fn ctrl_d_exits() {
    let mut s = start(&temp_dir());
    s.send_control('d').unwrap();
    s.exp_eof().expect("Ctrl-D exits");
}

#[test]
fn load_keeps_declarations_and_runs_the_expression() {
    let dir = temp_dir();
    std::fs::write(
        dir.join("lib.orc"),
        "def triple(x) = x * 3\nval seven = 7\ntriple(5)\n",
    )
    .unwrap();
    let mut s = start(&dir);
    expect_after(&mut s, ":load lib.orc", "15");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, "triple(seven)", "21");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, ":load nowhere.orc", "cannot read nowhere.orc");
    s.exp_string(PROMPT).unwrap();
    // :reset forgets what was loaded.
    expect_after(&mut s, ":reset", PROMPT);
    expect_after(&mut s, "triple(1)", "unbound variable `triple`");
    quit(s);
}

#[test]
fn sim_time_and_time_commands() {
    let mut s = start(&temp_dir());
    expect_after(&mut s, ":time", "no expression has run yet");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, ":sim on", PROMPT);
    // Ten simulated minutes pass at once.
    expect_after(&mut s, "Rwait(600000) >> \"later\"", "\n\"later\"");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, ":time", "simulated clock: 600000 ms");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, ":sim", "simulated time is on");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, ":bogus", "unknown command");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, ":help", ":load FILE");
    s.exp_string(PROMPT).unwrap();
    quit(s);
}

#[test]
fn history_is_saved_in_the_data_directory() {
    let dir = temp_dir();
    let mut s = start(&dir);
    expect_after(&mut s, "(1 +", "...> ");
    expect_after(&mut s, "2)", "3");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, "40 + 2", "42");
    s.exp_string(PROMPT).unwrap();
    quit(s);
    let history =
        std::fs::read_to_string(dir.join("data/orc/history")).expect("the history file exists");
    assert!(history.contains("40 + 2"), "history: {history}");
    assert!(history.contains(":quit"), "history: {history}");
    // A multi-line input is one entry.
    assert!(history.contains("(1 +\\n2)"), "history: {history}");
    // A new session finds the earlier input with the up arrow.
    let mut s = start(&dir);
    // rustyline asks the terminal where the cursor is (waiting up to 100 ms
    // for an answer) as each prompt starts, and would take keys typed
    // meanwhile for the answer: let that pass first.
    std::thread::sleep(std::time::Duration::from_millis(300));
    s.send("\x1b[A").unwrap(); // up: ":quit"
    s.send("\x1b[A").unwrap(); // up: "40 + 2"
    s.send_line("").unwrap();
    s.exp_string("42").unwrap();
    s.exp_string(PROMPT).unwrap();
    quit(s);
}

#[test]
fn tab_completes_names_in_scope() {
    let mut s = start(&temp_dir());
    expect_after(&mut s, "def zebra_count() = 12", PROMPT);
    // "zebra_c" + Tab completes the new name; the call then runs.
    s.send("zebra_c\t").unwrap();
    s.send_line("()").unwrap();
    s.exp_string("12").unwrap();
    s.exp_string(PROMPT).unwrap();
    quit(s);
}

#[test]
fn a_paste_of_several_lines_runs_each_in_order() {
    let mut s = start(&temp_dir());
    std::thread::sleep(std::time::Duration::from_millis(300));
    // A bracketed paste (as a terminal sends it), then Enter: a definition
    // over two lines, a blank line, a call, a sum over two lines.
    s.send("\x1b[200~def fact(0) = 1\ndef fact(n) =\n  n * fact(n - 1)\n\nfact(5) + 1000\n(1 +\n  2) * 111\n\x1b[201~")
        .unwrap();
    // Enter (which also flushes what was sent).
    s.send_line("").unwrap();
    s.exp_string("fact: 2 clauses").unwrap();
    s.exp_string("1120").unwrap();
    s.exp_string("333").unwrap();
    s.exp_string(PROMPT).unwrap();
    quit(s);
}

#[test]
fn lines_typed_while_a_program_runs_are_kept() {
    let mut s = start(&temp_dir());
    s.send_line("Println(\"started\") >> Rwait(700) >> \"first\"")
        .unwrap();
    s.exp_string("\nstarted").unwrap();
    // Typed ahead while the program runs.
    s.send_line("2 + 3000").unwrap();
    s.send_line("40 + 2000").unwrap();
    s.exp_string("\"first\"").unwrap();
    s.exp_string("3002").unwrap();
    s.exp_string("2040").unwrap();
    s.exp_string(PROMPT).unwrap();
    quit(s);
}

#[test]
fn clauses_typed_in_separate_inputs_make_one_definition() {
    let mut s = start(&temp_dir());
    expect_after(&mut s, "def g(0) = 0", PROMPT);
    expect_after(&mut s, "def g(n) = n + g(n - 1)", "g: 2 clauses");
    expect_after(&mut s, "g(3)", "6");
    s.exp_string(PROMPT).unwrap();
    // Retyping the clause for 0 replaces it, in its place.
    expect_after(&mut s, "def g(0) = 100", "1 clause replaced");
    expect_after(&mut s, "g(3)", "106");
    s.exp_string(PROMPT).unwrap();
    // :forget starts the definition afresh.
    expect_after(&mut s, ":forget g", "starts afresh");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, "def g(x) = x * 7", PROMPT);
    expect_after(&mut s, "g(3)", "21");
    s.exp_string(PROMPT).unwrap();
    quit(s);
}

#[test]
fn classes_sites_and_types_persist() {
    let mut s = start(&temp_dir());
    expect_after(
        &mut s,
        "class Point { val px = 3  def moved(d) = px + d }",
        PROMPT,
    );
    expect_after(&mut s, "(new Point).moved(39)", "42");
    s.exp_string(PROMPT).unwrap();
    // A class built on it, and a definition making one.
    expect_after(
        &mut s,
        "class Point3 extends Point { val pz = px * 100 }",
        PROMPT,
    );
    expect_after(&mut s, "def origin() = new Point3", PROMPT);
    expect_after(&mut s, "origin().pz + 1", "301");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, "site inc(x) = x + 1", PROMPT);
    expect_after(&mut s, "inc(700)", "701");
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, "type Shape = Sq(_) | Dot()", PROMPT);
    expect_after(&mut s, "Sq(12) >Sq(n)> n * n", "144");
    s.exp_string(PROMPT).unwrap();
    quit(s);
}

#[test]
fn output_without_a_final_newline_survives_the_prompt() {
    let mut s = start(&temp_dir());
    s.send_line("Print(\"no newline\") >> stop").unwrap();
    // The line is ended before the prompt is drawn over it.
    s.exp_string("no newline\r\n").unwrap();
    s.exp_string(PROMPT).unwrap();
    expect_after(&mut s, "1 + 1", "2");
    quit(s);
}

#[test]
fn tab_completes_members_and_files_to_load() {
    let dir = temp_dir();
    std::fs::write(
        dir.join("loadable_lib.orc"),
        "val loaded = 77\nloaded + 1\n",
    )
    .unwrap();
    let mut s = start(&dir);
    expect_after(&mut s, "val ch = Channel()", PROMPT);
    // "ch.getA" + Tab: `getAll`; on an empty channel it publishes [].
    s.send("ch.getA\t").unwrap();
    s.send_line("()").unwrap();
    s.exp_string("[]").unwrap();
    s.exp_string(PROMPT).unwrap();
    // An object's members.
    expect_after(&mut s, "class Box { val contents = 5 }", PROMPT);
    expect_after(&mut s, "val b = new Box", PROMPT);
    s.send("b.cont\t").unwrap();
    s.send_line(" * 3").unwrap();
    s.exp_string("15").unwrap();
    s.exp_string(PROMPT).unwrap();
    // A file name after :load.
    s.send(":load loadable\t").unwrap();
    s.send_line("").unwrap();
    s.exp_string("78").unwrap();
    s.exp_string(PROMPT).unwrap();
    quit(s);
}

#[test]
fn piped_input_is_not_saved_in_the_history() {
    use std::io::Write;
    let dir = temp_dir();
    let mut child = Command::new(ORC)
        .arg("repl")
        .current_dir(&dir)
        .env("HOME", &dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"12345 + 1\n:time\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("12346"));
    let history = std::fs::read_to_string(dir.join("data/orc/history")).unwrap_or_default();
    assert!(!history.contains("12345"), "history: {history}");
    assert!(!history.contains(":time"), "history: {history}");
}
