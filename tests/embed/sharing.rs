//! One engine shared: compiling takes `&self`, so an `Arc<Engine>` serves
//! many threads at once; and a compiled program owns its source texts, so
//! a long-running host that compiles and drops programs does not grow.

use crate::{shown, sim};
use orc::{Engine, RunOptions};
use std::sync::{Arc, Barrier};

#[test]
fn an_engine_is_send_and_sync() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<Engine>();
    shareable::<orc::Compiled>();
    shareable::<orc::CompileError>();
}

#[test]
fn one_engine_compiles_on_many_threads_at_once() {
    const THREADS: usize = 8;
    const ROUNDS: usize = 25;
    let mut engine = Engine::sandboxed();
    engine.register_fn("Scale", |args| {
        let [x] = orc::embed::arity::<1>(args)?;
        Ok(orc::Value::from(i64::try_from(x)? * 10))
    });
    let engine = Arc::new(engine);
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let engine = engine.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                for round in 0..ROUNDS {
                    let n = (t * ROUNDS + round) as i64;
                    // Each thread names other prelude functions, loaded on
                    // first use by whichever thread gets there first.
                    let source = match round % 3 {
                        0 => format!("sum(map(Scale, range(0, {n})))"),
                        1 => format!("foldl((+), {n}, reverse([1, 2, 3]))"),
                        _ => format!("timeout(Rwait(1) >> {n}, 100) >Some(x)> x"),
                    };
                    let program = engine
                        .compile(&format!("thread{t}.orc"), &source)
                        .unwrap_or_else(|e| panic!("{source}: {e}"));
                    let values: Vec<_> = engine.execute_blocking(&program, sim()).collect();
                    let expected = match round % 3 {
                        0 => 10 * n * (n - 1) / 2,
                        1 => n + 6,
                        _ => n,
                    };
                    assert_eq!(shown(&values), [expected.to_string()], "{source}");
                    // Errors render with their own program's text.
                    let err = engine
                        .compile(&format!("bad{t}-{round}.orc"), &format!("{n} + nosuch{t}"))
                        .unwrap_err();
                    let text = err.to_string();
                    assert!(text.contains(&format!("bad{t}-{round}.orc:1:")), "{text}");
                    assert!(text.contains(&format!("nosuch{t}")), "{text}");
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("a compiling thread panicked");
    }
}

#[test]
fn compiling_and_dropping_programs_does_not_grow_the_engine() {
    let engine = Engine::new();
    let before = engine.sources().len();
    let mut texts = Vec::new();
    for i in 0..2_000 {
        // A program, a program that does not compile, one that runs into
        // a runtime error: none of their texts stays with the engine.
        let program = engine
            .compile("p.orc", &format!("map(lambda(x) = x + {i}, [1, 2])"))
            .unwrap();
        texts.push(Arc::downgrade(&program.sources().own_files()[0].text));
        let err = engine
            .compile("bad.orc", &format!("{i} + nosuch"))
            .unwrap_err();
        texts.push(Arc::downgrade(&err.sources().own_files()[0].text));
        assert_eq!(engine.sources().len(), before, "after compile {i}");
    }
    assert!(
        texts.iter().all(|t| t.upgrade().is_none()),
        "every program's text is freed with the program"
    );
    assert_eq!(engine.sources().len(), before);
}

#[test]
fn a_program_keeps_what_its_runtime_errors_point_into() {
    let engine = Engine::new();
    let program = engine
        .compile("main.orc", "def f(x) = x / 0\nf(1) | take(-1, [])")
        .unwrap();
    let text = Arc::downgrade(&program.sources().own_files()[0].text);
    let report = engine
        .execute_blocking(&program, RunOptions::new().simulated_time())
        .finish();
    assert_eq!(report.errors.len(), 2, "{:?}", report.errors);
    let rendered: Vec<String> = report
        .errors
        .iter()
        .map(|e| program.render_error(e))
        .collect();
    // One points into the program, one into the prelude's shared text.
    assert!(
        rendered.iter().any(|r| r.contains("main.orc:1:12")),
        "{rendered:#?}"
    );
    assert!(
        rendered
            .iter()
            .any(|r| r.contains("stdlib/list.orc") && r.contains("the count is negative")),
        "{rendered:#?}"
    );
    // A clone shares the texts; the last one frees them.
    let clone = program.clone();
    drop(program);
    assert!(text.upgrade().is_some());
    drop(clone);
    assert!(text.upgrade().is_none());
}

#[test]
fn declared_inputs_keep_their_texts_with_the_engine() {
    let mut engine = Engine::new();
    let before = engine.sources().len();
    let input = engine.load_input("<decl>", "def half(x) = x / 0").unwrap();
    let declared = engine
        .declare(input, Box::new(crate::Ignore), sim())
        .unwrap();
    assert_eq!(declared.names, ["half"]);
    // The declared code points into the input: the engine keeps it.
    assert_eq!(engine.sources().len(), before + 1);
    let program = engine.compile("use.orc", "half(3)").unwrap();
    let report = engine.execute_blocking(&program, sim()).finish();
    let rendered = program.render_error(&report.errors[0]);
    assert!(rendered.contains("<decl>:1:15"), "{rendered}");
    // A program compiled afterwards adds nothing.
    drop(program);
    assert_eq!(engine.sources().len(), before + 1);
    // An input that does not compile renders with its own text.
    let input = engine.load_input("<bad>", "val y = nosuch").unwrap();
    match engine.declare(input, Box::new(crate::Ignore), sim()) {
        Err(orc::DeclareError::Compile(err)) => {
            assert!(err.to_string().contains("<bad>:1:9"), "{err}")
        }
        _ => panic!("expected a compile error"),
    }
    assert_eq!(engine.sources().len(), before + 1);
}
