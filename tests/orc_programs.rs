//! Runs every Orc program under `tests/orc/` and `examples/` and compares
//! its output with the expected output in its comment blocks (see
//! `tests/common/mod.rs`). Each program must also halt on its own and leave
//! no live tokens or pending timers behind, no objects (those in cycles
//! included: the cycle collector frees them) and no records, frames or
//! futures.

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

/// Runs each file and checks its output, that it halted on its own and
/// that it left nothing behind; panics listing every failure.
fn check_files(root: &Path, files: &[PathBuf], sim_time: bool) {
    let mut failures = Vec::new();
    for file in files {
        let name = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        if let Err(why) = check_file(file, sim_time) {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} program(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_file(file: &Path, sim_time: bool) -> Result<(), String> {
    let source = std::fs::read_to_string(file).map_err(|e| format!("cannot read it: {e}"))?;
    let expected = expected_outputs(&source);
    if expected.is_empty() {
        return Err("no OUTPUT block".into());
    }
    let result = run_file(file, sim_time);
    if !result.compile_errors.is_empty() {
        return Err(format!(
            "compile error:\n{}",
            result.compile_errors.join("\n")
        ));
    }
    let fits = |e: &common::Expected| {
        if sim_time {
            matches(e, &result.lines)
        } else {
            matches_in_real_time(e, &result.lines)
        }
    };
    if !expected.iter().any(fits) {
        return Err(format!(
            "output mismatch\n  expected: {:?}\n  actual:   {:?}",
            expected[0].lines, result.lines
        ));
    }
    match result.outcome {
        Some(orc::RunOutcome::Halted) => {}
        other => return Err(format!("did not halt on its own: {other:?}")),
    }
    if result.live_tokens != 0 || result.pending_timers != 0 {
        return Err(format!(
            "leaked {} tokens and {} timers",
            result.live_tokens, result.pending_timers
        ));
    }
    if result.objects_leaked != 0 {
        return Err(format!("left {} objects behind", result.objects_leaked));
    }
    if let Some(n) = result.blocks_leaked.filter(|&n| n != 0) {
        return Err(format!("left {n} records, frames or futures behind"));
    }
    Ok(())
}

/// How far a time printed in a real-time run (an integer followed by
/// `ms`) may be from the time the simulated run prints: timers fire within
/// about 100 µs of their deadlines on an idle machine, but tests share
/// busy ones.
const REAL_TIME_MARGIN_MS: i64 = 100;

/// A line with its times (integers followed by `ms`) taken out: the rest
/// of the text, and the times.
fn split_times(line: &str) -> (String, Vec<i64>) {
    let (mut text, mut times) = (String::new(), Vec::new());
    let mut rest = line;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let digits = rest[start..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(rest.len(), |n| start + n);
        let after = &rest[digits..];
        let is_time = after.trim_start_matches(' ').starts_with("ms")
            && !rest[..start].ends_with(|c: char| c.is_alphanumeric() || c == '-');
        text.push_str(&rest[..start]);
        if is_time {
            text.push('#');
            times.push(rest[start..digits].parse().unwrap_or(i64::MAX));
        } else {
            text.push_str(&rest[start..digits]);
        }
        rest = after;
    }
    text.push_str(rest);
    (text, times)
}

/// Whether a real-time run's lines match an expected block: the same
/// text, each time within [`REAL_TIME_MARGIN_MS`] of the expected one.
fn matches_in_real_time(expected: &common::Expected, actual: &[String]) -> bool {
    let split = |lines: &[String]| {
        let mut v: Vec<(String, Vec<i64>)> = lines.iter().map(|l| split_times(l)).collect();
        if expected.permutable {
            v.sort();
        }
        v
    };
    let (e, a) = (split(&expected.lines), split(actual));
    e.len() == a.len()
        && e.iter().zip(&a).all(|((et, es), (at, as_))| {
            et == at
                && es.len() == as_.len()
                && es
                    .iter()
                    .zip(as_)
                    .all(|(x, y)| (x - y).abs() <= REAL_TIME_MARGIN_MS)
        })
}

#[test]
fn real_time_lines_match_within_the_margin_only() {
    let expected = common::Expected {
        lines: vec!["100 ms: r2 replies v6".into(), "after 300 ms".into()],
        permutable: false,
    };
    let lines = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
    assert!(matches_in_real_time(
        &expected,
        &lines("100 ms: r2 replies v6", "after 300 ms")
    ));
    assert!(matches_in_real_time(
        &expected,
        &lines("163 ms: r2 replies v6", "after 301 ms")
    ));
    // Too late, another value, another text.
    assert!(!matches_in_real_time(
        &expected,
        &lines("201 ms: r2 replies v6", "after 300 ms")
    ));
    assert!(!matches_in_real_time(
        &expected,
        &lines("100 ms: r2 replies v7", "after 300 ms")
    ));
    assert!(!matches_in_real_time(
        &expected,
        &lines("100 ms: r2 replies v6", "before 300 ms")
    ));
}

/// Every program under `dir` (relative to the crate), under simulated time;
/// `ORC_TEST_FILTER` restricts the run to paths containing it.
fn check_dir(dir: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files = Vec::new();
    orc_files(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no programs under {dir}");
    let filter = std::env::var("ORC_TEST_FILTER").unwrap_or_default();
    files.retain(|f| f.to_string_lossy().contains(&filter));
    let services = Path::new(env!("CARGO_MANIFEST_DIR")).join(SERVICE_EXAMPLES);
    files.retain(|f| !f.starts_with(&services));
    check_files(&root, &files, true);
}

#[test]
fn semantics_programs() {
    check_dir("tests/orc");
}

#[test]
fn example_programs() {
    check_dir("examples");
}

/// Example programs that need services (a local HTTP server), run by the
/// Rust example that starts them (`examples/http_patterns.rs`).
const SERVICE_EXAMPLES: &str = "examples/services";

/// Examples whose timings are short (at most a second) and whose ordered
/// events are at least 100 ms apart: they are also run in real time, where
/// timers really wait, and must print the same, each time printed within
/// [`REAL_TIME_MARGIN_MS`] of the simulated run's.
const REAL_TIME_EXAMPLES: &[&str] = &[
    "timeout.orc",
    "repeat_with_timeout.orc",
    "alarms.orc",
    "election_timer.orc",
    "ordered_requests.orc",
    "quorum.orc",
    "rate_limiter.orc",
    "fork_join.orc",
    "parallel_or.orc",
];

#[test]
fn example_programs_in_real_time() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let filter = std::env::var("ORC_TEST_FILTER").unwrap_or_default();
    let files: Vec<PathBuf> = REAL_TIME_EXAMPLES
        .iter()
        .map(|name| root.join(name))
        .filter(|f| f.to_string_lossy().contains(&filter))
        .collect();
    assert!(files.len() == REAL_TIME_EXAMPLES.len() || !filter.is_empty());
    // Each run mostly sleeps: running them side by side keeps the test
    // about as long as the longest one.
    let failures: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = files
            .iter()
            .map(|f| s.spawn(|| check_file(f, false)))
            .collect();
        runs.into_iter()
            .zip(&files)
            .filter_map(|(run, f)| {
                let name = f.strip_prefix(&root).unwrap_or(f).display();
                run.join()
                    .unwrap()
                    .err()
                    .map(|why| format!("{name}: {why}"))
            })
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} example(s) failed in real time:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
