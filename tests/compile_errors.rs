//! Compile-time diagnostics: the message and the span of each problem a
//! program can have after parsing (unbound names, clause arity, includes).

use orc::Engine;
use std::io::Write;

/// Compiles `src` and returns (message, spanned text) of the first error.
fn first_error(src: &str) -> (String, String) {
    let engine = Engine::new();
    let errors = match engine.compile("test.orc", src) {
        Ok(_) => panic!("expected a compile error for {src:?}"),
        Err(e) => e.diagnostics,
    };
    let d = &errors[0];
    let text = d
        .span
        .map(|s| src[s.start as usize..s.end as usize].to_string())
        .unwrap_or_default();
    (d.message.clone(), text)
}

#[test]
fn unbound_variable_points_at_the_use() {
    let (msg, text) = first_error("val x = 1\nx + y");
    assert_eq!(msg, "unbound variable `y`");
    assert_eq!(text, "y");
}

#[test]
fn names_in_a_branch_never_taken_are_still_resolved() {
    // The condition is a constant, so only one branch runs, but a mistake
    // in the other is still an error.
    let (msg, text) = first_error("val t = 1 = 1\nif t then 1 else nosuch");
    assert_eq!(msg, "unbound variable `nosuch`");
    assert_eq!(text, "nosuch");
}

#[test]
fn unbound_operator_is_named_with_parentheses() {
    let engine = Engine::without_prelude();
    let errors = engine.compile("t.orc", "map(1)").unwrap_err().diagnostics;
    assert_eq!(errors[0].message, "unbound variable `map`");
}

#[test]
fn every_unbound_name_is_reported() {
    let engine = Engine::new();
    let errors = engine
        .compile("t.orc", "a | b | c")
        .unwrap_err()
        .diagnostics;
    let names: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        names,
        [
            "unbound variable `a`",
            "unbound variable `b`",
            "unbound variable `c`"
        ]
    );
}

#[test]
fn names_are_scoped() {
    // x is bound only on the right of >x>.
    let (msg, text) = first_error("(1 >x> x) | x");
    assert_eq!(msg, "unbound variable `x`");
    assert_eq!(text, "x");
    // A definition's parameters are not visible after it.
    let (msg, _) = first_error("def f(p) = p\np");
    assert_eq!(msg, "unbound variable `p`");
}

#[test]
fn clauses_must_agree_on_arity() {
    let (msg, text) = first_error("def f(x) = x\ndef f(x, y) = y\nf(1)");
    assert!(
        msg.contains("has 2 parameters, but the first clause has 1"),
        "{msg}"
    );
    assert_eq!(text, "f");
}

#[test]
fn missing_include_is_reported_at_the_include() {
    let (msg, text) = first_error("include \"no-such-file.inc\"\n1");
    assert!(
        msg.contains("cannot find included file \"no-such-file.inc\""),
        "{msg}"
    );
    assert_eq!(text, "include \"no-such-file.inc\"");
}

#[test]
fn include_cycles_are_reported() {
    let dir = std::env::temp_dir().join(format!("orc-include-cycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a.inc");
    let b = dir.join("b.inc");
    writeln!(std::fs::File::create(&a).unwrap(), "include \"b.inc\"").unwrap();
    writeln!(std::fs::File::create(&b).unwrap(), "include \"a.inc\"").unwrap();
    let main = dir.join("main.orc");
    writeln!(
        std::fs::File::create(&main).unwrap(),
        "include \"a.inc\"\n1"
    )
    .unwrap();
    let engine = Engine::new();
    let errors = engine.compile_file(&main).unwrap_err().diagnostics;
    assert!(
        errors[0].message.contains("include cycle"),
        "{}",
        errors[0].message
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn included_declarations_are_visible() {
    let dir = std::env::temp_dir().join(format!("orc-include-ok-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    writeln!(
        std::fs::File::create(dir.join("lib.inc")).unwrap(),
        "def twice(x) = x * 2"
    )
    .unwrap();
    let main = dir.join("main.orc");
    writeln!(
        std::fs::File::create(&main).unwrap(),
        "include \"lib.inc\"\ntwice(21)"
    )
    .unwrap();
    let engine = Engine::new();
    assert!(engine.compile_file(&main).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unreadable_file_is_an_error_not_a_panic() {
    let engine = Engine::new();
    let errors = engine
        .compile_file(std::path::Path::new("/no/such/dir/prog.orc"))
        .unwrap_err()
        .diagnostics;
    assert!(
        errors[0]
            .message
            .starts_with("cannot read /no/such/dir/prog.orc"),
        "{}",
        errors[0].message
    );
}

#[test]
fn declarations_alone_are_not_a_program() {
    let (msg, _) = first_error("def a(x) = x\n");
    assert_eq!(msg, "the program has declarations but no expression to run");
}

/// A parenthesised expression after a definition, on its line, is read as
/// arguments of what the definition ends with (`v (x, y)` is `v(x, y)`):
/// the error points there. (On a line of its own it begins the program's
/// expression: `tests/orc/values/parentheses_after_a_line_break.orc`.)
#[test]
fn a_call_spaced_from_its_callee_is_pointed_at() {
    let (msg, text) = first_error("def at(t, v) = Rwait(t) >> v (at(1, 2), 3)\n");
    assert_eq!(msg, "the program has declarations but no expression to run");
    assert_eq!(text, "v (at(1, 2), 3)");
    let (_, text) = first_error("def f(n) = if n = 0 then 1 else f(n - 1) (f(3))\n");
    assert_eq!(text, "f(n - 1) (f(3))");
    // A definition ending in a plain call keeps the usual span (its end).
    for src in ["def g(x) = g(x)\n", "def h() = h()\n"] {
        let (_, text) = first_error(src);
        assert_eq!(text, "", "{src}");
    }
}
