//! Compile-time diagnostics of classes: the message and the span of each
//! mistake a class declaration or a `new` can have.

use orc::Engine;

/// Compiles `src` and returns (message, spanned text) of every error.
fn errors(src: &str) -> Vec<(String, String)> {
    let engine = Engine::new();
    let errors = match engine.compile("test.orc", src) {
        Ok(_) => panic!("expected a compile error for {src:?}"),
        Err(e) => e.diagnostics,
    };
    errors
        .iter()
        .map(|d| {
            let text = d
                .span
                .map(|s| src[s.start as usize..s.end as usize].to_string())
                .unwrap_or_default();
            (d.message.clone(), text)
        })
        .collect()
}

fn first_error(src: &str) -> (String, String) {
    errors(src).remove(0)
}

#[test]
fn unknown_classes_are_named() {
    let (msg, text) = first_error("class C extends B {}\nsignal");
    assert_eq!(msg, "unknown class `B`");
    assert_eq!(text, "B");
    let (msg, text) = first_error("new Nowhere");
    assert_eq!(msg, "unknown class `Nowhere`");
    assert_eq!(text, "Nowhere");
}

#[test]
fn a_class_is_not_visible_before_its_declaration() {
    let (msg, _) = first_error("val o = new C\nclass C {}\no");
    assert_eq!(msg, "unknown class `C`");
}

#[test]
fn class_names_are_not_values() {
    // `D` names the class after `new` and nothing else.
    let (msg, _) = first_error("class D { val x = 1 }\nD");
    assert_eq!(msg, "unbound variable `D`");
}

#[test]
fn cyclic_inheritance_is_an_error() {
    let (msg, text) = first_error("class C extends B {}\nclass B extends C {}\nsignal");
    assert_eq!(msg, "class `C` inherits from itself");
    assert_eq!(text, "C");
}

#[test]
fn conflicting_orders_cannot_be_linearized() {
    let src = "class B1 {}\nclass B2 {}\nclass C1 extends B1 with B2 {}\n\
               class C2 extends B2 with B1 {}\nnew C1 with C2";
    let (msg, text) = first_error(src);
    assert!(msg.contains("cannot be linearized"), "{msg}");
    assert!(msg.contains("`B1`") && msg.contains("`B2`"), "{msg}");
    assert_eq!(text, "new C1 with C2");
}

#[test]
fn abstract_members_must_be_defined_to_make_an_object() {
    let (msg, text) = first_error("class B { val y :: Integer  def f(Integer) :: Integer }\nnew B");
    assert_eq!(
        msg,
        "cannot create an object of class `B`: no class defines `y`, `f`"
    );
    assert_eq!(text, "new B");
    // Defined by a literal: fine.
    let engine = Engine::new();
    assert!(engine
        .compile(
            "t.orc",
            "class B { val y :: Integer }\n(new B { val y = 1 }).y"
        )
        .is_ok());
}

#[test]
fn this_and_super_need_a_class() {
    let (msg, text) = first_error("def f() = this\nf()");
    assert!(msg.starts_with("`this` is the object being built"), "{msg}");
    assert_eq!(text, "this");
    let (msg, text) = first_error("super.x");
    assert_eq!(msg, "`super` is only defined in a class body");
    assert_eq!(text, "super.x");
}

#[test]
fn an_abstract_val_needs_a_class() {
    let (msg, text) = first_error("val x :: Integer\n1");
    assert_eq!(
        msg,
        "`val x` has no value: only a class member may be abstract"
    );
    assert_eq!(text, "val x :: Integer");
}

#[test]
fn members_are_defined_once() {
    let (msg, _) = first_error("class C { val x = 1  def x() = 2 }\nsignal");
    assert_eq!(msg, "member `x` is defined twice in this class");
    // Clauses of one definition are fine.
    let engine = Engine::new();
    assert!(engine
        .compile(
            "t.orc",
            "class C { def f(0) = 0  def f(n) = n }\n(new C).f(1)"
        )
        .is_ok());
}

#[test]
fn a_class_body_holds_only_members() {
    let (msg, _) = first_error("class C { class D {} }\nsignal");
    assert_eq!(msg, "a class body may only declare `val` and `def` members");
}

#[test]
fn duplicate_classes_in_one_group_are_an_error() {
    let (msg, text) = first_error("class C {}\nclass C {}\nsignal");
    assert_eq!(msg, "class `C` is declared twice here");
    assert_eq!(text, "C");
}
