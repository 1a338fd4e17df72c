//! `Prompt` reads lines from standard input without holding up the rest of
//! the program, and halts at end of input. Runs the `orc` binary with a
//! piped standard input.

use std::io::Write;
use std::process::{Command, Stdio};

fn run_with_input(name: &str, program: &str, input: &str) -> String {
    let dir = std::env::temp_dir().join(format!("orc-prompt-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, program).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_orc"))
        .arg("run")
        .arg(&file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "orc failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn prompt_reads_lines_in_order() {
    let out = run_with_input(
        "lines.orc",
        r#"Prompt("Name?") >n> Prompt("Age: ") >a> Println("Hello " + n + ", " + a) >> stop"#,
        "Alice\r\n42\n",
    );
    assert_eq!(out, "Name? Age: Hello Alice, 42\n");
}

#[test]
fn prompt_halts_at_end_of_input() {
    let out = run_with_input(
        "eof.orc",
        r#"(Prompt("More?") >x> Println("got " + x) >> stop) ; Println("halted") >> stop"#,
        "",
    );
    assert_eq!(out, "More? halted\n");
}

#[test]
fn a_waiting_prompt_does_not_block_other_work() {
    use std::io::{BufRead, BufReader};
    let dir = std::env::temp_dir().join(format!("orc-prompt-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("parallel.orc");
    std::fs::write(
        &file,
        r#"Prompt("Wait:") >x> Println("read " + x) >> stop | Rwait(10) >> Println("timer") >> stop"#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_orc"))
        .arg("run")
        .arg(&file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // If the prompt held up the engine, "timer" would never come: kill the
    // child after a while so the test fails instead of hanging.
    let pid = child.id();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(30));
        let _ = Command::new("kill").arg(pid.to_string()).status();
    });
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line, "Wait: timer\n");
    // Only now does the input arrive.
    stdin.write_all(b"late\n").unwrap();
    drop(stdin);
    line.clear();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line, "read late\n");
    assert!(child.wait().unwrap().success());
    let _ = std::fs::remove_file(&file);
}
