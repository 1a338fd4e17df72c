//! Precedence and associativity of every operator and combinator.

use crate::sexpr::{e, err};

#[test]
fn postfix_forms_chain_left_to_right() {
    assert_eq!(e("f(1)(2)"), "(call (call f 1) 2)");
    assert_eq!(e("f()"), "(call f)");
    assert_eq!(e("a.b.c"), "(. (. a b) c)");
    assert_eq!(e("r?"), "(? r)");
    assert_eq!(e("r??"), "(? (? r))");
    assert_eq!(e("a.b(1).c?"), "(? (. (call (. a b) 1) c))");
    assert_eq!(e("f[Integer, T](x)"), "(call f [Integer T] x)");
    assert_eq!(e("f[](x)"), "(call f [] x)");
    assert_eq!(e("x.get()"), "(call (. x get))");
    assert_eq!(e("(f)(x)"), "(call f x)");
    assert_eq!(e("[1](0)"), "(call (list 1) 0)");
}

#[test]
fn prefix_binds_tighter_than_infix_but_looser_than_postfix() {
    assert_eq!(e("-x"), "(neg x)");
    assert_eq!(e("~b"), "(not b)");
    assert_eq!(e("-f(x)"), "(neg (call f x))");
    assert_eq!(e("~a.b"), "(not (. a b))");
    assert_eq!(e("-x + y"), "(+ (neg x) y)");
    assert_eq!(e("-x ** 2"), "(** (neg x) 2)");
    assert_eq!(e("~a && b"), "(&& (not a) b)");
    assert_eq!(e("a - -b"), "(- a (neg b))");
}

#[test]
fn minus_before_a_number_is_a_negative_literal() {
    assert_eq!(e("-3"), "-3");
    assert_eq!(e("- 3"), "-3");
    assert_eq!(e("-2.5"), "-2.5");
    assert_eq!(e("-1e3"), "-1e3");
    assert_eq!(e("1 - 3"), "(- 1 3)");
    assert_eq!(e("1 + -3"), "(+ 1 -3)");
    assert_eq!(e("-3 ** 2"), "(** -3 2)");
    assert_eq!(e("-99999999999999999999999"), "-99999999999999999999999");
    // Parentheses make no node, so these fold too; the value is the same.
    assert_eq!(e("-(2)"), "-2");
    assert_eq!(e("-(-1.5)"), "1.5");
    assert_eq!(e("-(-7)"), "7");
}

#[test]
fn prefix_operators_do_not_stack() {
    assert!(err("- -x").contains("expected"));
    assert!(err("~~x").contains("expected"));
}

#[test]
fn power_is_right_associative() {
    assert_eq!(e("a ** b ** c"), "(** a (** b c))");
    assert_eq!(e("a * b ** c"), "(* a (** b c))");
    assert_eq!(e("a ** b * c"), "(* (** a b) c)");
}

#[test]
fn multiplicative_is_left_associative() {
    assert_eq!(e("a * b / c % d"), "(% (/ (* a b) c) d)");
    assert_eq!(e("a + b * c"), "(+ a (* b c))");
    assert_eq!(e("a * b + c"), "(+ (* a b) c)");
}

#[test]
fn additive_is_left_associative() {
    assert_eq!(e("a - b + c - d"), "(- (+ (- a b) c) d)");
    assert_eq!(e("1-2"), "(- 1 2)");
}

#[test]
fn cons_is_right_associative_and_looser_than_additive() {
    assert_eq!(e("a : b : c"), "(: a (: b c))");
    assert_eq!(e("a + 1 : b"), "(: (+ a 1) b)");
    assert_eq!(e("x : xs = ys"), "(= (: x xs) ys)");
}

#[test]
fn relational_operators_do_not_associate() {
    assert_eq!(e("a = b"), "(= a b)");
    assert_eq!(e("a /= b"), "(/= a b)");
    assert_eq!(e("a <: b"), "(<: a b)");
    assert_eq!(e("a :> b"), "(:> a b)");
    assert_eq!(e("a <= b"), "(<= a b)");
    assert_eq!(e("a >= b"), "(>= a b)");
    assert_eq!(e("a + 1 = b * 2"), "(= (+ a 1) (* b 2))");
    for src in ["a = b = c", "a <: b <: c", "a = b /= c", "a <= b >= c"] {
        assert_eq!(err(src), "comparison operators do not chain", "{src}");
    }
    assert_eq!(e("(a = b) = c"), "(= (= a b) c)");
}

#[test]
fn logical_operators_share_a_level_and_associate_left() {
    assert_eq!(e("a || b && c"), "(&& (|| a b) c)");
    assert_eq!(e("a && b || c"), "(|| (&& a b) c)");
    assert_eq!(e("a = b && c <: d"), "(&& (= a b) (<: c d))");
}

#[test]
fn assignment_does_not_associate() {
    assert_eq!(e("r := 1 + 2"), "(:= r (+ 1 2))");
    assert_eq!(e("r := a && b"), "(:= r (&& a b))");
    assert!(err("a := b := c").starts_with("unexpected"));
}

#[test]
fn sequential_is_right_associative() {
    assert_eq!(e("a >> b >> c"), "(>> a (>> b c))");
    assert_eq!(e("a >x> b >y> c"), "(>x> a (>y> b c))");
    assert_eq!(e("a >x> b"), "(>x> a b)");
    assert_eq!(e("r := 1 >> 2"), "(>> (:= r 1) 2)");
    assert_eq!(e("a || b >x> x"), "(>x> (|| a b) x)");
}

#[test]
fn sequential_takes_full_patterns() {
    assert_eq!(e("a >(x, y)> b"), "(>(tuple x y)> a b)");
    assert_eq!(e("a >x:xs> b"), "(>(: x xs)> a b)");
    assert_eq!(e("a >_> b"), "(>_> a b)");
    assert_eq!(e("a >[x, y]> b"), "(>(list x y)> a b)");
    assert_eq!(e("a >Some(x)> b"), "(>(call Some x)> a b)");
    assert_eq!(e("a >x :: Integer> b"), "(>(:: x Integer)> a b)");
    assert_eq!(e("a >-1> b"), "(>-1> a b)");
    assert_eq!(e("a >{. x = y .}> b"), "(>(record (x y))> a b)");
}

#[test]
fn parallel_is_left_associative_and_looser_than_sequential() {
    assert_eq!(e("a | b | c"), "(| (| a b) c)");
    assert_eq!(e("a >x> b | c"), "(| (>x> a b) c)");
    assert_eq!(e("a | b >x> c"), "(| a (>x> b c))");
}

#[test]
fn pruning_is_left_associative_and_looser_than_parallel() {
    assert_eq!(e("a <x< b <y< c"), "(<y< (<x< a b) c)");
    assert_eq!(e("a << b"), "(<< a b)");
    assert_eq!(e("a << b << c"), "(<< (<< a b) c)");
    assert_eq!(e("a | b <x< c | d"), "(<x< (| a b) (| c d))");
    assert_eq!(e("a >> b <x< c >> d"), "(<x< (>> a b) (>> c d))");
    assert_eq!(e("f(x) <(x, y)< g"), "(<(tuple x y)< (call f x) g)");
}

#[test]
fn otherwise_is_left_associative_and_loosest() {
    assert_eq!(e("a ; b ; c"), "(; (; a b) c)");
    assert_eq!(e("a <x< b ; c"), "(; (<x< a b) c)");
    assert_eq!(e("a ; b <x< c"), "(; a (<x< b c))");
    assert_eq!(e("a | b ; c | d"), "(; (| a b) (| c d))");
}

#[test]
fn all_levels_together() {
    assert_eq!(
        e("a ; b <x< c | d >y> e := f || g = h : i + j * k ** -l.m"),
        "(; a (<x< b (| c (>y> d (:= e (|| f (= g (: h (+ i (* j (** k (neg (. l m)))))))))))))"
    );
}

#[test]
fn ascription_is_looser_than_combinators() {
    assert_eq!(e("a | b :: Integer"), "(:: (| a b) Integer)");
    assert_eq!(e("a ; b :!: T"), "(:!: (; a b) T)");
    assert_eq!(e("(x :: Integer) + 1"), "(+ (:: x Integer) 1)");
    assert_eq!(
        e("f(x :: List[Integer])"),
        "(call f (:: x (app List Integer)))"
    );
}

#[test]
fn conditional_extends_as_far_right_as_possible() {
    assert_eq!(e("if a then b else c | d"), "(if a b (| c d))");
    assert_eq!(e("if a then b | c else d"), "(if a (| b c) d)");
    assert_eq!(
        e("if a then b else if c then d else e"),
        "(if a b (if c d e))"
    );
    assert_eq!(e("(if a then b else c) | d"), "(| (if a b c) d)");
    assert_eq!(e("f(if a then b else c, d)"), "(call f (if a b c) d)");
}

#[test]
fn lambda_extends_as_far_right_as_possible() {
    assert_eq!(e("lambda(x) = x + 1"), "(lambda (x) (+ x 1))");
    assert_eq!(e("lambda(x) = x | y"), "(lambda (x) (| x y))");
    assert_eq!(
        e("lambda[A](x :: A, _) :: A = x"),
        "(lambda [A] ((:: x A) _) :: A x)"
    );
    assert_eq!(e("lambda() = stop"), "(lambda () stop)");
    assert_eq!(
        e("map(lambda(x) = x * 2, xs)"),
        "(call map (lambda (x) (* x 2)) xs)"
    );
}

#[test]
fn declarations_scope_over_the_rest() {
    assert_eq!(e("val x = 1 x + 2"), "(declare (val x 1) (+ x 2))");
    assert_eq!(e("val x = 1 | 2 x"), "(declare (val x (| 1 2)) x)");
    assert_eq!(
        e("(def f() = 1 f()) >> 2"),
        "(>> (declare (def f () 1) (call f)) 2)"
    );
    assert_eq!(
        e("if c then val x = 1 x else 2"),
        "(if c (declare (val x 1) x) 2)"
    );
}

#[test]
fn greater_and_less_are_never_comparisons() {
    // `>` and `<` only belong to combinators; comparisons are `:>`, `<:`.
    assert_eq!(e("a > b > c"), "(>b> a c)");
    assert_eq!(e("a < b < c"), "(<b< a c)");
}

#[test]
fn open_forms_may_be_the_rightmost_operand_of_a_combinator() {
    assert_eq!(e("a >x> if x then b else c"), "(>x> a (if x b c))");
    assert_eq!(
        e("a >x> if x then b else c | d"),
        "(>x> a (if x b (| c d)))"
    );
    assert_eq!(e("a | lambda(x) = x"), "(| a (lambda (x) x))");
    assert_eq!(e("a ; val x = 1 x"), "(; a (declare (val x 1) x))");
    assert_eq!(
        e("a <x< def f() = x f()"),
        "(<x< a (declare (def f () x) (call f)))"
    );
    assert_eq!(
        e("a >> b >> if c then d else e"),
        "(>> a (>> b (if c d e)))"
    );
    assert_eq!(e("a | b >> if c then d else e"), "(| a (>> b (if c d e)))");
    assert_eq!(
        e("a ; b | c >> lambda() = d"),
        "(; a (| b (>> c (lambda () d))))"
    );
    assert_eq!(e("if a then b else c >> d"), "(if a b (>> c d))");
    // Only as the rightmost operand: an operator cannot follow them.
    assert_eq!(
        e("a >> if b then c else d :: T"),
        "(>> a (if b c (:: d T)))"
    );
    assert_eq!(e("a + (if b then c else d)"), "(+ a (if b c d))");
    assert!(err("a + if b then c else d").contains("expected an expression"));
}
