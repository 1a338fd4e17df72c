//! Start-up benchmarks: what the prelude costs a fresh process.
//!
//! Run with `cargo bench --bench startup`. Groups:
//!
//! - `prelude/parse`: parsing the prelude's files only;
//! - `prelude/load`: parsing, desugaring, resolving and running them into a
//!   fresh global scope (what the first `Engine::new()` of a process pays);
//! - `engine/run_1`: `Engine::new()` (prelude cached), compiling and running
//!   the program `1`;
//! - `process/{prelude,no_prelude}`: spawning `orc run` on the program `1`,
//!   with and without `--no-prelude` (the prelude loads only what a program
//!   names, so these should match);
//! - `process/every_prelude_name`: spawning `orc run` on a program naming
//!   every prelude function, which loads all of it (the worst case).

use std::hint::black_box;
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use orc::diagnostics::SourceMap;
use orc::stdlib::{load_files, PRELUDE};
use orc::{Engine, Events, RunOptions, RuntimeError, Value};

struct Quiet;
impl Events for Quiet {
    fn publish(&mut self, _: &Value) {}
    fn print(&mut self, _: &str) {}
    fn error(&mut self, _: &RuntimeError) {}
}

fn prelude(c: &mut Criterion) {
    c.bench_function("prelude/parse", |b| {
        b.iter(|| {
            let mut sources = SourceMap::new();
            for (name, text) in PRELUDE {
                let id = sources.add(*name, *text);
                black_box(orc::syntax::parser::parse_program(text, id).is_ok());
            }
        })
    });
    c.bench_function("prelude/load", |b| {
        b.iter(|| {
            let mut globals = orc::sites::builtins();
            let mut sources = SourceMap::new();
            load_files(&mut globals, &mut sources, PRELUDE).expect("prelude loads");
            black_box(globals.len())
        })
    });
    c.bench_function("engine/run_1", |b| {
        b.iter(|| {
            let engine = Engine::new();
            let program = engine.compile("one.orc", "1").expect("compiles");
            let mut run = engine.start(&program, Box::new(Quiet), RunOptions::default());
            black_box(run.run_blocking())
        })
    });
}

fn process(c: &mut Criterion) {
    let dir = std::env::temp_dir().join("orc-startup-bench");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("one.orc");
    std::fs::write(&file, "1\n").expect("program file");
    let every = dir.join("every.orc");
    let names: Vec<&str> = orc::stdlib::prelude_names().collect();
    std::fs::write(&every, format!("[{}] >> 1\n", names.join(", "))).expect("program file");
    let exe = env!("CARGO_BIN_EXE_orc");
    let mut group = c.benchmark_group("process");
    group.sample_size(30);
    let runs = [
        ("prelude", &[][..], &file),
        ("no_prelude", &["--no-prelude"][..], &file),
        ("every_prelude_name", &[][..], &every),
    ];
    for (label, flags, program) in runs {
        group.bench_function(label, |b| {
            b.iter(|| {
                let out = Command::new(exe)
                    .arg("run")
                    .args(flags)
                    .arg(program)
                    .output()
                    .expect("orc runs");
                assert_eq!(out.stdout, b"1\n");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, prelude, process);
criterion_main!(benches);
