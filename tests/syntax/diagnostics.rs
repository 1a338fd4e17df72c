//! Syntax errors: messages, spans, labels and help for bad programs.

use orc::diagnostics::{Diagnostic, SourceId, SourceMap};
use orc::syntax::parse_program;

fn diag(src: &str) -> Diagnostic {
    match parse_program(src, SourceId(0)) {
        Ok(p) => panic!("expected an error for {src:?}, got {p:?}"),
        Err(d) => d,
    }
}

/// The error's message and the text its span covers (or `<end>` for an
/// empty span at the end of the input).
fn check(src: &str) -> (String, String) {
    let d = diag(src);
    let sp = d.span.expect("syntax errors have spans");
    let text = if sp.is_empty() && sp.start as usize == src.len() {
        "<end>".to_string()
    } else {
        src[sp.start as usize..sp.end as usize].to_string()
    };
    (d.message, text)
}

fn pair(msg: &str, text: &str) -> (String, String) {
    (msg.to_string(), text.to_string())
}

#[test]
fn missing_operand_names_the_operator() {
    assert_eq!(
        check("1 +"),
        pair(
            "unexpected end of input; expected an expression after `+`",
            "<end>"
        )
    );
    assert_eq!(
        check("a >> )"),
        pair("unexpected `)`; expected an expression after `>>`", ")")
    );
    assert_eq!(
        check("(a >x> )"),
        pair("unexpected `)`; expected an expression after `>x>`", ")")
    );
    assert_eq!(
        check("a <(x, y)<"),
        pair(
            "unexpected end of input; expected an expression after `<(x, y)<`",
            "<end>"
        )
    );
    assert_eq!(
        check("a ; | b"),
        pair("unexpected `|`; expected an expression after `;`", "|")
    );
}

#[test]
fn unclosed_bracket_is_shown_where_it_opens() {
    assert_eq!(
        check("f(1, (2)"),
        pair("unexpected end of input; expected `)` or `,`", "(")
    );
    assert_eq!(
        check("[1, 2"),
        pair("unexpected end of input; expected `]` or `,`", "[")
    );
}

#[test]
fn two_expressions_side_by_side() {
    let d = diag("Println(\"a\") \"b\"");
    assert_eq!(d.message, "unexpected string literal");
    assert_eq!(
        d.label.as_deref(),
        Some("the expression before this is complete")
    );
    assert!(d.help.unwrap().contains("combinator"));
    assert_eq!(check("f(x) 2"), pair("unexpected number `2`", "2"));
}

#[test]
fn reserved_words_are_not_names() {
    let d = diag("val if = 2\n1");
    assert_eq!(d.message, "unexpected `if`; expected a pattern");
    assert_eq!(
        d.help.as_deref(),
        Some("`if` is a reserved word and cannot be used as a name")
    );
    assert_eq!(
        check("def = true"),
        pair("unexpected `=`; expected a name", "=")
    );
}

#[test]
fn comparisons_do_not_chain() {
    assert_eq!(
        check("a = b = c"),
        pair("comparison operators do not chain", "=")
    );
    assert_eq!(
        check("a <= b >= c"),
        pair("comparison operators do not chain", ">=")
    );
    assert_eq!(
        check("val x = y <: z <: w  x"),
        pair("comparison operators do not chain", "<:")
    );
}

#[test]
fn double_equals() {
    let d = diag("if x == 1 then 2 else 3");
    assert_eq!(
        d.message,
        "unexpected `=`; expected an expression after `=`"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("equality is written `=` in Orc, not `==`")
    );
}

#[test]
fn declaration_without_expression_inside_parentheses() {
    let d = diag("(val x = 3 + 2) >> x");
    assert_eq!(d.message, "unexpected `)`; expected an expression");
    assert_eq!(
        d.help.as_deref(),
        Some("a declaration must be followed by the expression it scopes over")
    );
}

#[test]
fn val_without_value() {
    assert_eq!(
        check("val (a, b)  a"),
        pair("expected `=` and a value after this pattern", "(a, b)")
    );
}

#[test]
fn signatures_take_types_and_definitions_patterns() {
    assert_eq!(
        check("def f(x, 1) :: Integer"),
        pair("expected a type in this signature", "1")
    );
    assert_eq!(
        check("def f(List[A]) = 1"),
        pair("expected a pattern, found a type", "List[A]")
    );
}

#[test]
fn lexical_errors() {
    assert_eq!(check("x + \"abc"), pair("unclosed string literal", "\""));
    assert_eq!(check("{- never closed"), pair("unclosed comment", "{-"));
    assert_eq!(check("1 § 2"), pair("invalid character `§`", "§"));
    assert_eq!(
        check("\"a\\u{XYZ}b\""),
        pair("invalid escape `\\u{XYZ}`", "\\u{XYZ}")
    );
    assert_eq!(check("\"\\u12\""), pair("invalid escape `\\u12`", "\\u12"));
}

#[test]
fn modules_reject_expressions() {
    let d = orc::syntax::parse_module("def f() = 1\nf()", SourceId(0)).unwrap_err();
    assert_eq!(d.message, "expected a declaration");
}

#[test]
fn rendering_shows_message_label_and_help() {
    let mut sources = SourceMap::new();
    let text = "val x = 1\nx >> )";
    let id = sources.add("bad.orc", text);
    let d = parse_program(text, id).unwrap_err();
    let out = d.render(&sources);
    assert!(
        out.contains("unexpected `)`; expected an expression after `>>`"),
        "{out}"
    );
    assert!(out.contains("expected an expression here"), "{out}");
    assert!(out.contains("bad.orc:2:6"), "{out}");
}

#[test]
fn expression_after_a_declaration_that_would_continue_it() {
    let d = diag("def f(Integer) :: Integer (1, 2)");
    assert_eq!(d.message, "unexpected `(`; expected an expression");
    assert!(d.help.unwrap().contains("end the declaration with `#`"));
    let d = diag("def f(Integer) :: Integer\nif b then 1 else 2");
    assert_eq!(d.message, "unexpected identifier `b`; expected `(`");
    assert!(d.help.unwrap().contains("end the signature with `#`"));
    let d = diag("type T = Integer\n-1");
    assert!(d.help.unwrap().contains("end the declaration with `#`"));
}

#[test]
fn a_bracket_on_the_same_line_reads_as_type_arguments() {
    let d = diag("val x = 3 [1, 2]");
    assert_eq!(d.message, "unexpected number `1`; expected a type");
    assert!(d.help.unwrap().contains("begins type arguments"));
}

#[test]
fn a_parenthesis_that_begins_a_line_is_never_arguments() {
    let d = diag("Println\n  (\"x\")");
    assert!(d
        .help
        .unwrap()
        .contains("a call's arguments begin on the line"));
}

#[test]
fn a_bracket_that_begins_a_line_is_never_type_arguments() {
    let d = diag("def id[A](x :: A) = x\nid\n[Integer](5)");
    assert_eq!(d.message, "unexpected `[`");
    assert!(d.help.unwrap().contains("type arguments go on the line"));
}
