//! Deeply nested inputs are parsed or rejected without exhausting the
//! stack (the parser is table-driven, and it refuses to build trees deeper
//! than `MAX_DEPTH`, which keeps recursive passes and `Drop` safe).

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
    let n = MAX_DEPTH as usize - 1;
    let src = format!("{}1{}", "[".repeat(n), "]".repeat(n));
    parse_program(&src, SourceId(0)).unwrap();
    let chain = vec!["a"; n].join(" >> ");
    parse_program(&chain, SourceId(0)).unwrap();
}

#[test]
fn derived_traits_cope_with_the_deepest_trees() {
    // Runs on a test thread (2 MiB stack by default).
    let n = MAX_DEPTH as usize - 1;
    let src = format!("{}1{}", "[f(".repeat(n / 2), ")]".repeat(n / 2));
    let p = parse_program(&src, SourceId(0)).unwrap();
    let copy = p.clone();
    assert_eq!(copy, p);
    assert!(format!("{p:?}").len() > n);
}

#[test]
fn deeper_nesting_is_rejected() {
    for n in [MAX_DEPTH as usize + 1, 5_000] {
        too_deep(&format!("{}1{}", "[".repeat(n), "]".repeat(n)));
        too_deep(&vec!["1"; n].join(" + "));
        too_deep(&vec!["a"; n].join(" >> "));
        too_deep(&vec!["a"; n].join(" ; "));
        too_deep(&format!("f{}", "(x)".repeat(n)));
        too_deep(&format!("({}x)", "val x = 1 ".repeat(n)));
        too_deep(&format!("{}x{}", "f(".repeat(n), ")".repeat(n)));
        too_deep(&format!("{}0", "if b then 1 else ".repeat(n)));
        too_deep(&format!("{}0", "lambda(x) = ".repeat(n)));
        too_deep(&format!("val {}x{} = 1", "[".repeat(n), "]".repeat(n)));
        too_deep(&format!("val x :: {}T{}", "List[".repeat(n), "]".repeat(n)));
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
