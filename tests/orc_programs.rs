//! Runs every Orc program under `tests/orc/` and `examples/` and compares
//! its output with the expected output in its comment blocks (see
//! `tests/common/mod.rs`). Each program must also halt on its own and leave
//! no live tokens or pending timers behind.

mod common;

use common::{expected_outputs, matches, run_file};
use std::path::{Path, PathBuf};

fn orc_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            orc_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "orc") {
            out.push(p);
        }
    }
}

fn check_dir(dir: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files = Vec::new();
    orc_files(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no programs under {dir}");
    let filter = std::env::var("ORC_TEST_FILTER").unwrap_or_default();
    let mut failures = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.to_string_lossy().contains(&filter))
    {
        let source = std::fs::read_to_string(file).unwrap();
        let expected = expected_outputs(&source);
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        if expected.is_empty() {
            failures.push(format!("{name}: no OUTPUT block"));
            continue;
        }
        let result = run_file(file, true);
        if !result.compile_errors.is_empty() {
            failures.push(format!(
                "{name}: compile error:\n{}",
                result.compile_errors.join("\n")
            ));
            continue;
        }
        if !expected.iter().any(|e| matches(e, &result.lines)) {
            failures.push(format!(
                "{name}: output mismatch\n  expected: {:?}\n  actual:   {:?}",
                expected[0].lines, result.lines
            ));
            continue;
        }
        match result.outcome {
            Some(orc::RunOutcome::Halted) => {}
            other => failures.push(format!("{name}: did not halt on its own: {other:?}")),
        }
        if result.live_tokens != 0 || result.pending_timers != 0 {
            failures.push(format!(
                "{name}: leaked {} tokens and {} timers",
                result.live_tokens, result.pending_timers
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} program(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn semantics_programs() {
    check_dir("tests/orc");
}

#[test]
fn example_programs() {
    check_dir("examples");
}
