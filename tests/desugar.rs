//! Desugaring: each sugar's translation into the core calculus, checked on
//! the compact printing of the core (`Core::pretty`). Fresh variables print
//! as `$1`, `$2`, ... in the order the desugarer creates them.

use orc::compile::desugar::{desugar_expr, desugar_program};
use orc::diagnostics::SourceId;
use orc::syntax::{parse_expr, parse_program};

fn core(src: &str) -> String {
    let e = parse_expr(src, SourceId(0)).unwrap_or_else(|d| panic!("parse error in {src:?}: {d}"));
    desugar_expr(&e)
        .unwrap_or_else(|d| panic!("desugar error in {src:?}: {d:?}"))
        .pretty()
}

fn program(src: &str) -> String {
    let p =
        parse_program(src, SourceId(0)).unwrap_or_else(|d| panic!("parse error in {src:?}: {d}"));
    desugar_program(&p)
        .unwrap_or_else(|d| panic!("desugar error in {src:?}: {d:?}"))
        .pretty()
}

#[test]
fn combinators_map_to_themselves() {
    assert_eq!(core("a | b"), "(a | b)");
    assert_eq!(core("a >x> b"), "(a >x> b)");
    assert_eq!(core("a >> b"), "(a >> b)");
    assert_eq!(core("a <x< b"), "(a <x< b)");
    assert_eq!(core("a << b"), "(a << b)");
    assert_eq!(core("a ; b"), "(a ; b)");
    assert_eq!(core("{| a |}"), "{| a |}");
    assert_eq!(core("stop"), "stop");
}

#[test]
fn operators_call_the_variable_named_by_the_operator() {
    assert_eq!(core("a + b"), "+(a, b)");
    assert_eq!(core("a = b"), "=(a, b)");
    assert_eq!(core("a <: b"), "<:(a, b)");
    assert_eq!(core("-a"), "0-(a)");
    assert_eq!(core("~a"), "~(a)");
    assert_eq!(core("h : t"), ":(h, t)");
}

#[test]
fn dereference_and_assignment_call_their_operators() {
    // Programs may rebind `?` and `:=`; the resolver makes calls of the
    // built-in ones the method calls `x.read()` and `x.write(y)`
    // (tests/orc/values/rebound_dereference.orc).
    assert_eq!(core("r?"), "?(r)");
    assert_eq!(core("r := 1"), ":=(r, 1)");
}

#[test]
fn nested_arguments_are_bound_by_pruning() {
    assert_eq!(core("a + b * c"), "(+(a, $1) <$1< *(b, c))");
    assert_eq!(core("f(g(x), 1)"), "(f($1, 1) <$1< g(x))");
    assert_eq!(core("f(x)(y)"), "($1(y) <$1< f(x))");
    assert_eq!(core("f(1 | 2)"), "(f($1) <$1< (1 | 2))");
}

#[test]
fn data_constructors_are_site_calls() {
    assert_eq!(core("[1, x]"), "List(1, x)");
    assert_eq!(core("[]"), "[]");
    assert_eq!(core("(1, x)"), "Tuple(1, x)");
    assert_eq!(core("{. a = 1, b = x .}"), "Record(1, x)");
    assert_eq!(core("r.name"), "r.name");
}

#[test]
fn conditionals_use_ift_and_iff() {
    assert_eq!(
        core("if c then a else b"),
        "((Ift(c) >> a) | (Iff(c) >> b))"
    );
    assert_eq!(
        core("if x = 0 then a else b"),
        "(((Ift($1) >> a) | (Iff($1) >> b)) <$1< =(x, 0))"
    );
}

#[test]
fn val_is_pruning() {
    assert_eq!(program("val x = a  x + 1"), "(+(x, 1) <x< a)");
    assert_eq!(
        program("val (a, b) = e  a"),
        "(((a <a< match($2 ~ (a, _) => a else stop)) <b< match($2 ~ (_, b) => b else stop)) <$2< (e >$1> match($1 ~ (a, b) => Tuple(a, b) else stop)))"
    );
}

#[test]
fn sequential_patterns_match() {
    assert_eq!(
        core("e >(a, b)> a"),
        "(e >$1> match($1 ~ (a, b) => a else stop))"
    );
    // A call pattern matches through the target's `unapply`.
    assert_eq!(
        core("e >Some(x)> x"),
        "(e >$1> ((Some.unapply >$2> $2($1)) >x> x))"
    );
    assert_eq!(
        core("e >(a, sq(n))> n"),
        "(e >$1> match($1 ~ (a, $2) => ((sq.unapply >$3> $3($2)) >n> n) else stop))"
    );
    assert_eq!(core("e >_> 1"), "(e >> 1)");
}

#[test]
fn definitions_become_closures() {
    assert_eq!(program("def f(x) = x  f(1)"), "(def f(x) = x # f(1))");
    assert_eq!(
        program("def f(0) = 1 def f(n) = n  f(2)"),
        "(def f($1) = match($1 ~ 0 => 1 else match($1 ~ n => n else stop)) # f(2))"
    );
    // Consecutive definitions form one mutually recursive group.
    assert_eq!(
        program("def f() = g() def g() = f()  f()"),
        "(def f() = g() def g() = f() # f())"
    );
}

#[test]
fn guards_fall_through_when_false_or_silent() {
    assert_eq!(
        program("def f(x) if (x) = 1  f(true)"),
        "(def f($1) = ((({| match($1 ~ x => (x >$2> Ift($2)) else stop) |} >> true) ; false) >$3> match($3 ~ true => match($1 ~ x => 1 else stop) else stop)) # f(true))"
    );
}

#[test]
fn lambdas_and_sections_are_local_definitions() {
    assert_eq!(core("lambda(x) = x"), "(def lambda1(x) = x # lambda1)");
    assert_eq!(core("{ _ + 1 }"), "(def lambda2($1) = +($1, 1) # lambda2)");
}

#[test]
fn types_are_erased_and_datatypes_bind_constructors() {
    assert_eq!(program("type T = Int  1 :: T"), "1");
    assert_eq!(program("type S = A(_) | B()  A(1)"), "(A >A> (B >B> A(1)))");
}

#[test]
fn unsupported_forms_are_diagnosed() {
    let e = parse_program("import class Foo = \"java.lang.Foo\"  1", SourceId(0)).unwrap();
    let errors = desugar_program(&e).unwrap_err();
    assert!(
        errors[0].message.contains("import class"),
        "{:?}",
        errors[0].message
    );
    let e = parse_expr("_ + 1", SourceId(0)).unwrap();
    let errors = desugar_expr(&e).unwrap_err();
    assert!(
        errors[0].message.contains("section"),
        "{:?}",
        errors[0].message
    );
}

#[test]
fn classes_become_layer_definitions_and_new_binds_in_sequence() {
    // A class is a layer definition `class C#n(this, k)` that binds its
    // members and installs them as layer k; `new` makes the object once
    // the layers' captures are resolved (they are its arguments), runs
    // every layer of the linearization and publishes the object.
    // A method call on it binds the object first, then calls the method
    // on the variable.
    assert_eq!(
        program("class C { val x = 1  def f() = x }\n(new C).f()"),
        "(def class C#1($5, $6) = ((1 >x> (def f() = $5.x # install($5, $6, x, f))) \
         <$7< super($5, $6)) # ((new(class C#1) >$3> (class C#1($3, 0) | $3)) >$2> ($2.f >$4> $4())))"
    );
}

#[test]
fn a_method_call_on_a_computed_receiver_binds_the_receiver_around_the_call() {
    // `e.m(args)`: the receiver is bound around the call of the method on
    // a variable, inside the bindings of the arguments.
    assert_eq!(
        core("f(x).m(y + 1)"),
        "((($2.m >$3> $3($1)) <$2< f(x)) <$1< +(y, 1))"
    );
    assert_eq!(core("a.m(b)"), "(a.m >$1> $1(b))");
}
