//! Base expressions, patterns, types, declarations, classes and programs.

use crate::sexpr::{e, err, p};

#[test]
fn literals() {
    assert_eq!(e("true"), "true");
    assert_eq!(e("false"), "false");
    assert_eq!(e("signal"), "signal");
    assert_eq!(e("null"), "null");
    assert_eq!(e("42"), "42");
    assert_eq!(
        e("123456789012345678901234567890"),
        "123456789012345678901234567890"
    );
    assert_eq!(e("3.25"), "3.25");
    assert_eq!(e("1.5E-3"), "1.5E-3");
    assert_eq!(e(r#""hi\n""#), r#""hi\n""#);
}

#[test]
fn base_expressions() {
    assert_eq!(e("x"), "x");
    assert_eq!(e("(+)"), "+");
    assert_eq!(e("(0-)(3)"), "(call 0- 3)");
    assert_eq!(e("(**)(2, 3)"), "(call ** 2 3)");
    assert_eq!(e("stop"), "stop");
    assert_eq!(e("this"), "this");
    assert_eq!(e("super.m"), "(super m)");
    assert_eq!(e("super.m(1)"), "(call (super m) 1)");
    assert_eq!(e("[]"), "(list)");
    assert_eq!(e("[1, 2, 3]"), "(list 1 2 3)");
    assert_eq!(e("[[1], []]"), "(list (list 1) (list))");
    assert_eq!(e("(1, 2)"), "(tuple 1 2)");
    assert_eq!(e("(1, (2, 3), 4)"), "(tuple 1 (tuple 2 3) 4)");
    assert_eq!(e("((1))"), "1");
    assert_eq!(e("{. .}"), "(record)");
    assert_eq!(e("{. x = 1, y = a | b .}"), "(record (x 1) (y (| a b)))");
    assert_eq!(e("{| a | b |}"), "(trim (| a b))");
    assert_eq!(e("{ _ + 1 }"), "(section (+ _ 1))");
    assert_eq!(e("{ f(_, 2) }"), "(section (call f _ 2))");
    assert_eq!(e("new C"), "(new C)");
}

#[test]
fn empty_parentheses_and_trailing_commas_are_errors() {
    err("()");
    err("f(1,)");
    err("[1,]");
    err("(1,)");
}

#[test]
fn patterns() {
    let pat = |src: &str| {
        let out = p(&format!("val {src} = v  x"));
        let inner = out
            .strip_prefix("(program (val ")
            .and_then(|s| s.strip_suffix(" v) x)"))
            .unwrap_or_else(|| panic!("{out}"));
        inner.to_string()
    };
    assert_eq!(pat("x"), "x");
    assert_eq!(pat("_"), "_");
    assert_eq!(pat("3"), "3");
    assert_eq!(pat("-3"), "-3");
    assert_eq!(pat("-1.5"), "-1.5");
    assert_eq!(pat("\"s\""), "\"s\"");
    assert_eq!(pat("true"), "true");
    assert_eq!(pat("null"), "null");
    assert_eq!(pat("signal"), "signal");
    assert_eq!(pat("(x)"), "x");
    assert_eq!(pat("(x, _, 1)"), "(tuple x _ 1)");
    assert_eq!(pat("[]"), "(list)");
    assert_eq!(pat("[x, [y]]"), "(list x (list y))");
    assert_eq!(
        pat("{. a = x, b = (y, z) .}"),
        "(record (a x) (b (tuple y z)))"
    );
    assert_eq!(pat("Some(x)"), "(call Some x)");
    assert_eq!(pat("None()"), "(call None)");
    assert_eq!(pat("x : y : zs"), "(: x (: y zs))");
    assert_eq!(pat("x : xs as l"), "(as (: x xs) l)");
    assert_eq!(pat("x as y as z"), "(as (as x y) z)");
    assert_eq!(pat("x :: Integer"), "(:: x Integer)");
    assert_eq!(
        pat("x : xs as l :: List[T]"),
        "(:: (as (: x xs) l) (app List T))"
    );
    assert_eq!(pat("(x :: T, y)"), "(tuple (:: x T) y)");
    assert_eq!(pat("(+)"), "+");
}

#[test]
fn types() {
    let ty = |src: &str| {
        let out = p(&format!("val x :: {src}"));
        let inner = out
            .strip_prefix("(program (valsig x ")
            .and_then(|s| s.strip_suffix("))"))
            .unwrap_or_else(|| panic!("{out}"));
        inner.to_string()
    };
    assert_eq!(ty("Integer"), "Integer");
    assert_eq!(ty("List[Integer]"), "(app List Integer)");
    assert_eq!(ty("Map[String, List[T]]"), "(app Map String (app List T))");
    assert_eq!(ty("(Integer, String)"), "(tuple Integer String)");
    assert_eq!(ty("(Integer)"), "Integer");
    assert_eq!(ty("()"), "(tuple)");
    assert_eq!(
        ty("{. x :: Integer, y :: T .}"),
        "(record (x Integer) (y T))"
    );
    assert_eq!(ty("{. .}"), "(record)");
    assert_eq!(
        ty("lambda(Integer) :: Boolean"),
        "(lambda [] (Integer) Boolean)"
    );
    assert_eq!(
        ty("lambda[A, B](A, B) :: (A, B)"),
        "(lambda [A B] (A B) (tuple A B))"
    );
    assert_eq!(
        ty("lambda() :: lambda() :: T"),
        "(lambda [] () (lambda [] () T))"
    );
}

#[test]
fn val_declarations() {
    assert_eq!(p("val x = 1  x"), "(program (val x 1) x)");
    assert_eq!(
        p("val (a, b) = (1, 2)  a"),
        "(program (val (tuple a b) (tuple 1 2)) a)"
    );
    assert_eq!(
        p("val x :: Integer = 1  x"),
        "(program (val (:: x Integer) 1) x)"
    );
    assert_eq!(p("val x :: Integer"), "(program (valsig x Integer))");
    assert_eq!(p("val x"), "(program (valsig x))");
}

#[test]
fn def_declarations() {
    assert_eq!(p("def f() = 1"), "(program (def f () 1))");
    assert_eq!(
        p("def f(x, y) = x + y  f(1, 2)"),
        "(program (def f (x y) (+ x y)) (call f 1 2))"
    );
    assert_eq!(
        p("def f[A](x :: A) :: A = x"),
        "(program (def f [A] ((:: x A)) :: A x))"
    );
    assert_eq!(
        p("def f(x) if (x :> 0) = x"),
        "(program (def f (x) if (:> x 0) x))"
    );
    assert_eq!(
        p("def f(x) :: Integer if (x :> 0) = x"),
        "(program (def f (x) :: Integer if (:> x 0) x))"
    );
    assert_eq!(
        p("def f(0) = 1  def f(n) = n * f(n - 1)  f(5)"),
        "(program (def f (0) 1) (def f (n) (* n (call f (- n 1)))) (call f 5))"
    );
    assert_eq!(
        p("def f(x : xs, [], (a, _), Some(y), -1, {. k = v .}) = 0"),
        "(program (def f ((: x xs) (list) (tuple a _) (call Some y) -1 (record (k v))) 0))"
    );
    assert_eq!(p("def (+)(a, b) = a"), "(program (def + (a b) a))");
    assert_eq!(p("site s(x) = x"), "(program (site s (x) x))");
}

#[test]
fn def_signatures() {
    assert_eq!(
        p("def f(Integer) :: Integer"),
        "(program (defsig f (Integer) Integer))"
    );
    assert_eq!(
        p("def f[A, B](A, List[B], (A, B), {. x :: A .}, lambda(A) :: B) :: B"),
        "(program (defsig f [A B] (A (app List B) (tuple A B) (record (x A)) (lambda [] (A) B)) B))"
    );
    assert_eq!(p("def f() :: Signal"), "(program (defsig f () Signal))");
    assert_eq!(p("site s(Top) :: Top"), "(program (sitesig s (Top) Top))");
    assert_eq!(
        p("def f(Integer) :: Integer  def f(x) = x  f(1)"),
        "(program (defsig f (Integer) Integer) (def f (x) x) (call f 1))"
    );
    // A signature's parameters must be types, a definition's patterns.
    assert!(err("def f(1) :: Integer").contains("expected a type"));
    assert!(err("def f(List[Integer]) = 1").contains("expected a pattern"));
    assert!(err("def f(x as y) :: T").contains("expected a type"));
}

#[test]
fn type_declarations() {
    assert_eq!(p("type T = Integer"), "(program (alias T [] Integer))");
    assert_eq!(
        p("type Pair[A] = (A, A)"),
        "(program (alias Pair [A] (tuple A A)))"
    );
    assert_eq!(
        p("type Tree[A] = Leaf() | Node(Tree[A], A, Tree[A])"),
        "(program (data Tree [A] (Leaf) (Node (app Tree A) A (app Tree A))))"
    );
    assert_eq!(
        p("type Shape = Circle(_) | Rect(_, _)"),
        "(program (data Shape [] (Circle _) (Rect _ _)))"
    );
    assert_eq!(
        p("type T = A(Integer)"),
        "(program (data T [] (A Integer)))"
    );
}

#[test]
fn imports_and_includes() {
    assert_eq!(
        p(r#"import site Buffer = "orc.lib.state.Buffer""#),
        r#"(program (import-site Buffer "orc.lib.state.Buffer"))"#
    );
    assert_eq!(
        p(r#"import class S = "java.lang.String""#),
        r#"(program (import-class S "java.lang.String"))"#
    );
    assert_eq!(
        p(r#"import type T = "orc.types.T""#),
        r#"(program (import-type T "orc.types.T"))"#
    );
    assert_eq!(
        p(r#"include "a.inc"  1"#),
        r#"(program (include "a.inc") 1)"#
    );
}

#[test]
fn hash_ends_a_declaration() {
    // Without `#`, `(1, 2)` would be arguments to `x`.
    assert_eq!(p("val y = x # (1, 2)"), "(program (val y x) (tuple 1 2))");
    assert_eq!(p("val y = x (1, 2)"), "(program (val y (call x 1 2)))");
    assert_eq!(p("val y = x # -1"), "(program (val y x) -1)");
    assert_eq!(p("val y = x -1"), "(program (val y (- x 1)))");
    assert_eq!(
        p("def f(T) :: T # if b then 1 else 2"),
        "(program (defsig f (T) T) (if b 1 2))"
    );
    assert_eq!(p("type T = A # [1]"), "(program (alias T [] A) (list 1))");
}

#[test]
fn expression_after_declarations_may_start_with_most_tokens() {
    assert_eq!(
        p("val x = 1 if x = 1 then 2 else 3"),
        "(program (val x 1) (if (= x 1) 2 3))"
    );
    assert_eq!(p("val x = 1 ~x"), "(program (val x 1) (not x))");
    assert_eq!(p("val x = 1 {| x |}"), "(program (val x 1) (trim x))");
    assert_eq!(
        p("val x = 1 {. a = x .}"),
        "(program (val x 1) (record (a x)))"
    );
    assert_eq!(
        p("val x = 1 lambda() = x"),
        "(program (val x 1) (lambda () x))"
    );
    assert_eq!(p("def f(T) :: T  f"), "(program (defsig f (T) T) f)");
    assert_eq!(
        p("type T = A() (1, 2)"),
        "(program (data T [] (A)) (tuple 1 2))"
    );
    assert_eq!(p("class C {} (1, 2)"), "(program (class C {}) (tuple 1 2))");
}

#[test]
fn classes() {
    assert_eq!(p("class C { }"), "(program (class C {}))");
    assert_eq!(
        p("class C { val x = 1  def get() = x }"),
        "(program (class C {(val x 1) (def get () x)}))"
    );
    assert_eq!(
        p("class C[A] extends D { self # val x :: A  def m(Integer) :: A }"),
        "(program (class C [A] extends D {self # (valsig x A) (defsig m (Integer) A)}))"
    );
    assert_eq!(
        p("class C extends A with B with { val y = 2 } { val x = 1 # }"),
        "(program (class C extends (with A (with B {(val y 2)})) {(val x 1)}))"
    );
    assert_eq!(
        p("class C extends (A with B) { }"),
        "(program (class C extends (with A B) {}))"
    );
    assert_eq!(
        p("class C { class D { } type T = Integer  site s() = 1 }"),
        "(program (class C {(class D {}) (alias T [] Integer) (site s () 1)}))"
    );
}

#[test]
fn new_expressions() {
    assert_eq!(e("new C"), "(new C)");
    assert_eq!(e("new C { val x = 1 }"), "(new (subclass C {(val x 1)}))");
    assert_eq!(e("new { val x = 1 }"), "(new {(val x 1)})");
    assert_eq!(e("new { s # val x = s }"), "(new {s # (val x s)})");
    assert_eq!(e("new (A with B)"), "(new (with A B))");
    assert_eq!(e("new A with B"), "(new (with A B))");
    assert_eq!(e("new (A with B) { }"), "(new (subclass (with A B) {}))");
    assert_eq!(e("new C.m()"), "(call (. (new C) m))");
}

#[test]
fn programs() {
    assert_eq!(p(""), "(program)");
    assert_eq!(
        p("  -- only a comment\n {- and {- nested -} -} "),
        "(program)"
    );
    assert_eq!(p("def f() = 1  f()"), "(program (def f () 1) (call f))");
    assert_eq!(p("val x = 1  val y = 2"), "(program (val x 1) (val y 2))");
    // As in the reference, a parenthesis after a declaration's value, on
    // its line, continues the value (a call); one that begins a line
    // begins the program's expression (DIVERGENCES.md, 8).
    assert_eq!(
        p("val x = 1 (val y = 2  y)"),
        "(program (val x (call 1 (declare (val y 2) y))))"
    );
    assert_eq!(
        p("val x = 1\n(val y = 2  y)"),
        "(program (val x 1) (declare (val y 2) y))"
    );
}

#[test]
fn parse_module_accepts_only_declarations() {
    use orc::diagnostics::SourceId;
    use orc::syntax::parse_module;
    let m = parse_module("def f() = 1  val x = 2", SourceId(0)).unwrap();
    assert_eq!(m.decls.len(), 2);
    assert!(m.body.is_none());
    let d = parse_module("def f() = 1  f()", SourceId(0)).unwrap_err();
    assert_eq!(d.message, "expected a declaration");
}
