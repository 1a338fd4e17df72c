//! The operators, as sites bound to their operator names (`+` is the
//! variable `(+)`), so a program may rebind them.

use super::site_value;
use super::util::{arity, site, Func, PureFunc};
use crate::value::limits::shown;
use crate::value::site::{
    BoolOp, IntOp, IntResult, MemberHint, Outcome, Peek, Site, SiteCx, SiteError,
};
use crate::value::{arith, Value};
use std::cmp::Ordering;

fn binary(
    name: &'static str,
    args: &[Value],
    f: fn(&Value, &Value) -> Result<Value, String>,
) -> Result<Value, SiteError> {
    let [a, b] = arity::<2>(name, args)?;
    f(a, b).map_err(SiteError::new)
}

fn ordering(
    name: &'static str,
    args: &[Value],
    test: fn(Ordering) -> bool,
) -> Result<Value, SiteError> {
    let [a, b] = arity::<2>(name, args)?;
    arith::compare(name, a, b)
        .map(|o| Value::Bool(test(o)))
        .map_err(SiteError::new)
}

fn logic(
    name: &'static str,
    args: &[Value],
    f: fn(bool, bool) -> bool,
) -> Result<Value, SiteError> {
    match arity::<2>(name, args)? {
        [Value::Bool(a), Value::Bool(b)] => Ok(Value::Bool(f(*a, *b))),
        [a, b] => Err(SiteError::new(format!(
            "{name} expects two booleans, but got {} {} and {} {}",
            a.type_name(),
            shown(a),
            b.type_name(),
            shown(b)
        ))),
    }
}

/// Calls a member of a reference-like value: `r?` reads, `r := v` writes.
struct MemberCall {
    op: &'static str,
    member: &'static str,
    hint: MemberHint,
}

/// Whether `site` is the built-in `?` (a reference's `read`), which
/// evaluations may fuse with the call that makes the reference
/// ([`Site::peek_read`]).
pub fn is_deref(site: &dyn Site) -> bool {
    site.is_deref()
}

/// The method an operator site stands for (`read` for the built-in `?`,
/// `write` for `:=`), which the resolver calls directly.
pub fn method_of_operator(site: &dyn Site) -> Option<&'static str> {
    site.as_any().downcast_ref::<MemberCall>().map(|m| m.member)
}

site!(impl MemberCall {
    fn name(&self) -> &str {
        self.op
    }
    fn is_deref(&self) -> bool {
        self.member == "read"
    }
    fn peek(&self, args: &[Value]) -> Peek {
        // Only reads (`r?`) can be answered without an effect.
        match args.split_first() {
            Some((Value::Site(s), rest)) if self.member == "read" => s.peek_member("read", rest),
            _ => Peek::Effect,
        }
    }
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        let Some((target, rest)) = args.split_first() else {
            return Outcome::Error(SiteError::new(format!("({}) expects arguments", self.op)));
        };
        let method = match target {
            Value::Site(s) => {
                // Answered without building the method, where the site can.
                if let Some(outcome) = s.call_member(self.member, &self.hint, rest, cx) {
                    return outcome;
                }
                s.member(self.member)
            }
            Value::Record(r) => r.get(self.member).cloned(),
            _ => None,
        };
        match method {
            Some(Value::Site(m)) => m.call(rest, cx),
            _ => Outcome::Error(SiteError::new(format!(
                "({}) needs a value with a `{}` method, but got {} {}",
                self.op,
                self.member,
                target.type_name(),
                shown(target)
            ))),
        }
    }
});

/// An operator on two values with a shortcut for two machine integers,
/// which the runtime takes without building an argument list.
struct IntOperator {
    func: Func,
    op: IntOp,
}

site!(impl IntOperator: immediate, pure {
    fn name(&self) -> &str {
        self.func.name
    }
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        self.func.call(args, cx)
    }
    fn call_ints(&self, a: i64, b: i64) -> Option<IntResult> {
        self.op.apply(a, b)
    }
    fn int_op(&self) -> Option<IntOp> {
        Some(self.op)
    }
});

/// An operator on two booleans, with the shortcut the runtime takes for
/// two boolean values.
struct BoolOperator {
    func: Func,
    op: BoolOp,
}

site!(impl BoolOperator: immediate, pure {
    fn name(&self) -> &str {
        self.func.name
    }
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        self.func.call(args, cx)
    }
    fn bool_op(&self) -> Option<BoolOp> {
        Some(self.op)
    }
});

pub fn sites() -> Vec<(&'static str, Value)> {
    let f = |name: &'static str, f: fn(&[Value]) -> Result<Value, SiteError>| {
        (name, site_value(PureFunc { name, f }))
    };
    let int_op = |name: &'static str, f: fn(&[Value]) -> Result<Value, SiteError>, op: IntOp| {
        (
            name,
            site_value(IntOperator {
                func: Func { name, f },
                op,
            }),
        )
    };
    let bool_op = |name: &'static str, f: fn(&[Value]) -> Result<Value, SiteError>, op: BoolOp| {
        (
            name,
            site_value(BoolOperator {
                func: Func { name, f },
                op,
            }),
        )
    };
    // `+` on two values, and on two machine integers (`None` on overflow).
    macro_rules! arith_op {
        ($name:literal, $big:ident, $op:ident) => {
            int_op($name, |a| binary($name, a, arith::$big), IntOp::$op)
        };
    }
    // `<:` on two values (by their ordering), and on two machine integers.
    macro_rules! compare_op {
        ($name:literal, $test:expr, $op:ident) => {
            int_op($name, |a| ordering($name, a, $test), IntOp::$op)
        };
    }
    vec![
        // The shortcuts give what the general path gives for integers
        // that fit, and leave overflow (promotion to big integers) to it.
        arith_op!("+", add, Add),
        arith_op!("-", sub, Sub),
        arith_op!("*", mul, Mul),
        // Integer division truncates toward zero and the remainder takes
        // the dividend's sign, in i64 as for big integers; a zero divisor
        // (an error) and MIN / -1 (overflow) take the general path.
        arith_op!("/", div, Div),
        arith_op!("%", rem, Rem),
        f("**", |a| binary("**", a, arith::pow)),
        f("0-", |a| {
            let [x] = arity::<1>("0-", a)?;
            arith::neg(x).map_err(SiteError::new)
        }),
        int_op(
            "=",
            |a| {
                let [x, y] = arity::<2>("=", a)?;
                Ok(Value::Bool(x.equals(y)))
            },
            IntOp::Eq,
        ),
        int_op(
            "/=",
            |a| {
                let [x, y] = arity::<2>("/=", a)?;
                Ok(Value::Bool(!x.equals(y)))
            },
            IntOp::Ne,
        ),
        compare_op!("<:", |o| o == Ordering::Less, Lt),
        compare_op!(":>", |o| o == Ordering::Greater, Gt),
        compare_op!("<=", |o| o != Ordering::Greater, Le),
        compare_op!(">=", |o| o != Ordering::Less, Ge),
        bool_op("&&", |a| logic("&&", a, |x, y| x && y), BoolOp::And),
        bool_op("||", |a| logic("||", a, |x, y| x || y), BoolOp::Or),
        f("~", |a| match arity::<1>("~", a)? {
            [Value::Bool(b)] => Ok(Value::Bool(!b)),
            [other] => Err(super::util::expected("~", "a boolean", other)),
        }),
        f(":", |a| match arity::<2>(":", a)? {
            [h, Value::List(t)] => Ok(Value::List(crate::value::List::cons(h.clone(), t.clone()))),
            [_, other] => Err(super::util::expected(
                ":",
                "a list as its second argument",
                other,
            )),
        }),
        (
            "?",
            site_value(MemberCall {
                op: "?",
                member: "read",
                hint: MemberHint::default(),
            }),
        ),
        (
            ":=",
            site_value(MemberCall {
                op: ":=",
                member: "write",
                hint: MemberHint::default(),
            }),
        ),
    ]
}
