//! Deeply nested inputs are parsed or rejected without exhausting the
//! stack: the parser is table-driven, expressions nest without limit (every
//! pass over them, and their `Drop`, works with worklists), and patterns
//! and types deeper than `MAX_DEPTH` are refused (the passes over them,
//! and the run-time matcher, recurse). Compiling and running such
//! programs is tested in `tests/large_programs.rs`.

use orc::diagnostics::SourceId;
use orc::syntax::parser::MAX_DEPTH;
use orc::syntax::{parse_expr, parse_program};

fn too_deep(src: &str) {
    let d = parse_program(src, SourceId(0)).unwrap_err();
    assert_eq!(d.message, "program nests too deeply");
}

#[test]
fn parentheses_make_no_nodes() {
    let n = 10_000;
    let src = format!("{}x{}", "(".repeat(n), ")".repeat(n));
    assert_eq!(
        parse_expr(&src, SourceId(0)).unwrap().span.start as usize,
        n
    );
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    // The pattern (or type) and the declaration around it.
    let n = MAX_DEPTH as usize - 2;
    let src = format!("val {}x{} = 1  x", "[".repeat(n), "]".repeat(n));
    parse_program(&src, SourceId(0)).unwrap();
    let n = MAX_DEPTH as usize - 3;
    let src = format!("val x :: {}T{} = 1  x", "List[".repeat(n), "]".repeat(n));
    parse_program(&src, SourceId(0)).unwrap();
}

#[test]
fn derived_traits_cope_with_ordinary_trees() {
    // The derived `Clone`, `PartialEq` and `Debug` recurse (the compiler
    // uses none of them); trees 500 deep are fine on a test thread (2 MiB
    // stack by default).
    let n = MAX_DEPTH as usize - 1;
    let src = format!("{}1{}", "[f(".repeat(n / 2), ")]".repeat(n / 2));
    let p = parse_program(&src, SourceId(0)).unwrap();
    let copy = p.clone();
    assert_eq!(copy, p);
    assert!(format!("{p:?}").len() > n);
}

#[test]
fn deeper_patterns_and_types_are_rejected() {
    for n in [MAX_DEPTH as usize + 1, 5_000] {
        too_deep(&format!("val {}x{} = 1  x", "[".repeat(n), "]".repeat(n)));
        too_deep(&format!(
            "val {}x{} = 1  x",
            "(x, ".repeat(n),
            ")".repeat(n)
        ));
        too_deep(&format!("val {}x = 1  x", "h : ".repeat(n)));
        too_deep(&format!("val x :: {}T{}", "List[".repeat(n), "]".repeat(n)));
        too_deep(&format!(
            "def f({}x{}) = x  f",
            "[".repeat(n),
            "]".repeat(n)
        ));
    }
}

#[test]
fn expressions_nest_without_limit() {
    // Each of these once hit the parser's bound (500 levels); it now
    // parses, and the tree is dropped without recursion (on this 2 MiB
    // test thread).
    let n = 20_000;
    let srcs = [
        format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        vec!["1"; n].join(" + "),
        vec!["a"; n].join(" >> "),
        vec!["a"; n].join(" ; "),
        vec!["a"; n].join(" | "),
        format!("f{}", "(x)".repeat(n)),
        format!("({}x)", "val x = 1 ".repeat(n)),
        format!("{}x{}", "f(".repeat(n), ")".repeat(n)),
        format!("{}0", "if b then 1 else ".repeat(n)),
        format!("{}0", "lambda(x) = ".repeat(n)),
        format!("{}x{}", "{| ".repeat(n), " |}".repeat(n)),
        format!("{}1", "-".repeat(n)),
    ];
    for src in srcs {
        let p = parse_program(&src, SourceId(0))
            .unwrap_or_else(|d| panic!("{}: {}", &src[..20], d.message));
        drop(p);
    }
}

#[test]
fn unclosed_deep_nesting_fails_cleanly() {
    let n = 100_000;
    assert!(parse_program(&"[".repeat(n), SourceId(0)).is_err());
    assert!(parse_program(&"(".repeat(n), SourceId(0)).is_err());
    assert!(parse_program(&"{- ".repeat(n), SourceId(0)).is_err());
    assert!(parse_program(&format!("{}1 )", "1 + ".repeat(n)), SourceId(0)).is_err());
}

#[test]
fn top_level_declarations_do_not_nest() {
    let src = format!("{}x", "val x = 1\n".repeat(20_000));
    let p = parse_program(&src, SourceId(0)).unwrap();
    assert_eq!(p.decls.len(), 20_000);
}

#[test]
fn deeply_nested_comments() {
    let n = 100_000;
    let src = format!("{}{}1", "{-".repeat(n), "-}".repeat(n));
    parse_program(&src, SourceId(0)).unwrap();
}
