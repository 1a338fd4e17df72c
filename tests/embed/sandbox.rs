//! Sandboxes: what untrusted programs may not reach, and how the host
//! chooses.

use crate::{shown, sim};
use orc::{Engine, Value};

#[test]
fn a_sandbox_refuses_prompt_with_a_clear_message() {
    let engine = Engine::sandboxed();
    let err = engine
        .compile("untrusted", r#"Prompt("name?")"#)
        .unwrap_err();
    assert_eq!(err.diagnostics.len(), 1);
    assert_eq!(
        err.diagnostics[0].message,
        "`Prompt` is not available in this sandbox"
    );
    assert!(
        err.to_string().contains("untrusted"),
        "the snippet is shown: {err}"
    );
    // The same program compiles outside a sandbox.
    assert!(Engine::new()
        .compile("trusted", r#"Prompt("name?")"#)
        .is_ok());
}

#[test]
fn a_sandbox_refuses_withheld_sites_however_they_are_named() {
    let engine = Engine::sandboxed();
    for program in [
        r#"import site P = "orc.lib.util.Prompt"  P("x")"#,
        r#"def ask() = Prompt("x")  ask()"#,
        r#"val p = Prompt  p("x")"#,
    ] {
        let err = engine.compile("untrusted", program).unwrap_err();
        assert!(
            err.diagnostics
                .iter()
                .any(|d| d.message == "`Prompt` is not available in this sandbox"),
            "{program}: {err}"
        );
    }
    // A program's own `Prompt` is its business.
    let program = engine
        .compile("untrusted", r#"def Prompt(x) = x + "!"  Prompt("hi")"#)
        .unwrap();
    let values: Vec<Value> = engine.execute_blocking(&program, sim()).collect();
    assert_eq!(shown(&values), ["\"hi!\""]);
}

#[test]
fn a_sandbox_reads_no_files() {
    let dir = std::env::temp_dir().join(format!("orc-embed-sandbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("lib.inc"), "val secret = 42\n").unwrap();
    let program = "include \"lib.inc\"  secret";

    let mut open = Engine::new();
    open.add_include_dir(&dir);
    assert!(open.compile("p", program).is_ok());

    let mut sandboxed = Engine::sandboxed();
    sandboxed.add_include_dir(&dir);
    let err = sandboxed.compile("p", program).unwrap_err();
    assert!(
        err.diagnostics[0]
            .message
            .contains("is not available in this sandbox"),
        "{err}"
    );
    // The host may allow includes again.
    sandboxed.allow_includes(true);
    assert!(sandboxed.compile("p", program).is_ok());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_sandbox_keeps_the_prelude_computation_and_host_sites() {
    let mut engine = Engine::sandboxed();
    engine.register_fn("Host", |_| Ok(Value::from("host")));
    let program = engine
        .compile(
            "p",
            r#"val c = Channel()  c.put(Host()) >> c.get() >x> (x, length([1, 2]), Rwait(10) >> 3)"#,
        )
        .unwrap();
    let values: Vec<Value> = engine.execute_blocking(&program, sim()).collect();
    assert_eq!(shown(&values), [r#"("host", 2, 3)"#]);
}

#[test]
fn the_host_chooses_what_to_withhold_and_to_grant() {
    let mut engine = Engine::new();
    engine.withhold("Random").withhold("Rtime");
    assert!(engine.is_withheld("Random"));
    let err = engine.compile("p", "Random(10) + Rtime()").unwrap_err();
    let messages: Vec<&str> = err.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`Random` is not available in this sandbox",
            "`Rtime` is not available in this sandbox"
        ]
    );
    // Granting a name back: the host's own version.
    engine.register_fn("Random", |_| Ok(Value::from(4)));
    assert!(!engine.is_withheld("Random"));
    let program = engine.compile("p", "Random(10)").unwrap();
    let values: Vec<Value> = engine.execute_blocking(&program, sim()).collect();
    assert_eq!(shown(&values), ["4"]);
}
