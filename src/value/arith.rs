//! Arithmetic and comparison on values, with the reference's promotions:
//! integers stay exact (machine words, promoted to big integers on
//! overflow), an integer mixed with a decimal becomes a decimal, `+` on a
//! string concatenates the printed forms, `+` on records extends.

use super::limits::{bounded_text, check_int_bits, shown};
use super::{Decimal, Value};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::sync::Arc;

/// A numeric operand, widened as needed.
enum Num {
    Int(BigInt),
    Dec(Decimal),
    Float(f64),
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::Int(BigInt::from(*i))),
        Value::BigInt(b) => Some(Num::Int((**b).clone())),
        Value::Decimal(d) => Some(Num::Dec((**d).clone())),
        Value::Float(x) => Some(Num::Float(*x)),
        _ => None,
    }
}

fn dec(n: Num) -> Decimal {
    match n {
        Num::Int(i) => Decimal::from_int(&i),
        Num::Dec(d) => d,
        Num::Float(x) => {
            Decimal::from_f64(x).unwrap_or_else(|| Decimal::from_int(&BigInt::from(0)))
        }
    }
}

fn float(n: &Num) -> f64 {
    match n {
        Num::Int(i) => i.to_f64().unwrap_or(f64::NAN),
        Num::Dec(d) => d.to_f64(),
        Num::Float(x) => *x,
    }
}

/// An integer result, unless it passes the size limit.
fn int_result(op: &str, n: BigInt) -> Result<Value, String> {
    check_int_bits(op, n.bits())?;
    Ok(Value::from_bigint(n))
}

/// A decimal result, unless it passes the size limits.
fn dec_result(op: &str, d: Decimal) -> Result<Value, String> {
    d.check(op)?;
    Ok(Value::decimal(d))
}

fn type_error(op: &str, a: &Value, b: &Value) -> String {
    format!(
        "cannot apply {op} to {} {} and {} {}",
        a.type_name(),
        shown(a),
        b.type_name(),
        shown(b)
    )
}

/// Applies an operation at the widest type of its operands: integers,
/// then decimals, then floating point.
fn numeric(
    op: &str,
    a: &Value,
    b: &Value,
    int: impl Fn(BigInt, BigInt) -> Result<Value, String>,
    decimal: impl Fn(Decimal, Decimal) -> Result<Value, String>,
    floating: impl Fn(f64, f64) -> f64,
) -> Result<Value, String> {
    match (num(a), num(b)) {
        (Some(Num::Int(x)), Some(Num::Int(y))) => int(x, y),
        (Some(x @ Num::Float(_)), Some(y)) | (Some(x), Some(y @ Num::Float(_))) => {
            Ok(Value::Float(floating(float(&x), float(&y))))
        }
        (Some(x), Some(y)) => decimal(dec(x), dec(y)),
        _ => Err(type_error(op, a, b)),
    }
}

pub fn add(a: &Value, b: &Value) -> Result<Value, String> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x
            .checked_add(*y)
            .map_or_else(|| Value::int(BigInt::from(*x) + *y), Value::Int)),
        (Value::Str(_), _) | (_, Value::Str(_)) => {
            // Written through a bounded buffer: the printed form of a list
            // can be far larger than the list.
            let s = bounded_text("string concatenation (+)", |w| {
                write_plain(w, a)?;
                write_plain(w, b)
            })?;
            Ok(Value::Str(Arc::from(s)))
        }
        (Value::Record(x), Value::Record(y)) => Ok(Value::Record(Arc::new(x.extend(y)))),
        _ => numeric(
            "+",
            a,
            b,
            |x, y| int_result("+", x + y),
            |x, y| {
                x.check_aligned("+", &y)?;
                dec_result("+", x.add(&y))
            },
            |x, y| x + y,
        ),
    }
}

pub fn sub(a: &Value, b: &Value) -> Result<Value, String> {
    if let Some(r) = small(a, b, i64::checked_sub) {
        return Ok(r);
    }
    numeric(
        "-",
        a,
        b,
        |x, y| int_result("-", x - y),
        |x, y| {
            x.check_aligned("-", &y)?;
            dec_result("-", x.sub(&y))
        },
        |x, y| x - y,
    )
}

pub fn mul(a: &Value, b: &Value) -> Result<Value, String> {
    if let Some(r) = small(a, b, i64::checked_mul) {
        return Ok(r);
    }
    numeric(
        "*",
        a,
        b,
        |x, y| {
            check_int_bits("*", (x.bits() + y.bits()).saturating_sub(1))?;
            int_result("*", x * y)
        },
        |x, y| {
            x.check_mul("*", &y)?;
            dec_result("*", x.mul(&y))
        },
        |x, y| x * y,
    )
}

/// `op` on two machine integers, if both are and it does not overflow.
#[inline(always)]
fn small(a: &Value, b: &Value, op: fn(i64, i64) -> Option<i64>) -> Option<Value> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => op(*x, *y).map(Value::Int),
        _ => None,
    }
}

/// `f(x, y)` for a divisor `y` that is not zero.
fn divide(x: BigInt, y: BigInt, f: fn(BigInt, BigInt) -> BigInt) -> Result<Value, String> {
    if y.is_zero() {
        Err("division by zero".into())
    } else {
        Ok(Value::from_bigint(f(x, y)))
    }
}

pub fn div(a: &Value, b: &Value) -> Result<Value, String> {
    numeric(
        "/",
        a,
        b,
        |x, y| divide(x, y, |x, y| x / y),
        // A quotient that does not terminate (or a division by zero) is
        // computed in floating point, as the reference does.
        |x, y| match x.div(&y) {
            Some(q) => dec_result("/", q),
            None => Ok(Value::Float(x.to_f64() / y.to_f64())),
        },
        |x, y| x / y,
    )
}

pub fn rem(a: &Value, b: &Value) -> Result<Value, String> {
    numeric(
        "%",
        a,
        b,
        |x, y| divide(x, y, |x, y| x % y),
        |x, y| {
            x.check_aligned("%", &y)?;
            Ok(x.rem(&y).map_or(Value::Float(f64::NAN), Value::decimal))
        },
        |x, y| x % y,
    )
}

pub fn pow(a: &Value, b: &Value) -> Result<Value, String> {
    match (num(a), num(b)) {
        (Some(Num::Int(x)), Some(Num::Int(y))) => {
            if y.is_negative() {
                let base = Decimal::new(x, 0);
                let e = y.abs().to_u32().ok_or("exponent out of range")?;
                let one = Decimal::new(BigInt::from(1), 0);
                let p = base.powi("**", e)?;
                Ok(one
                    .div(&p)
                    .map_or_else(|| Value::Float(1.0 / p.to_f64()), Value::decimal))
            } else {
                let e = y.to_u32().ok_or("exponent out of range")?;
                // |x|^e has at least (bits(x) - 1)·e + 1 bits: refuse
                // before computing what would pass the limit.
                let bits = x.bits();
                if bits > 1 {
                    check_int_bits("**", (bits - 1) * e as u64 + 1)?;
                }
                int_result("**", num_traits::pow(x, e as usize))
            }
        }
        (Some(Num::Dec(x)), Some(Num::Int(y))) => {
            let e = y.to_i32().ok_or("exponent out of range")?;
            if e >= 0 {
                dec_result("**", x.powi("**", e as u32)?)
            } else {
                let one = Decimal::new(BigInt::from(1), 0);
                let p = x.powi("**", e.unsigned_abs())?;
                Ok(one
                    .div(&p)
                    .map_or_else(|| Value::Float(1.0 / p.to_f64()), Value::decimal))
            }
        }
        // A fractional power is computed in double precision, as the
        // reference does, and is a decimal of the double's digits (Java's
        // `BigDecimal.valueOf`), so that arithmetic on it keeps decimal
        // scales: with `m = 25.0 ** 0.5`, `0.0 / m` is `0`, as the manual
        // shows. A power that is not finite stays a floating value.
        (Some(x), Some(y)) => {
            let p = float(&x).powf(float(&y));
            Ok(Decimal::from_f64(p).map_or(Value::Float(p), Value::decimal))
        }
        _ => Err(type_error("**", a, b)),
    }
}

pub fn neg(a: &Value) -> Result<Value, String> {
    match a {
        Value::Int(x) => Ok(x
            .checked_neg()
            .map_or_else(|| Value::int(-BigInt::from(*x)), Value::Int)),
        Value::BigInt(b) => Ok(Value::from_bigint(-(**b).clone())),
        Value::Decimal(d) => Ok(Value::decimal(d.neg())),
        Value::Float(x) => Ok(Value::Float(-x)),
        other => Err(format!(
            "cannot negate {} {}",
            other.type_name(),
            shown(other)
        )),
    }
}

/// Writes what [`Value::to_plain_string`] returns.
fn write_plain(w: &mut impl std::fmt::Write, v: &Value) -> std::fmt::Result {
    match v {
        Value::Str(s) => w.write_str(s),
        other => write!(w, "{other}"),
    }
}

/// The order of floating values as Java's `Double.compareTo` has it (the
/// reference's): NaN is above everything, infinities included, and equal
/// to itself; -0.0 is below 0.0.
fn java_order(x: f64, y: f64) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => x.total_cmp(&y),
    }
}

/// Ordering for `<:`, `:>`, `<=`, `>=`: numbers, strings, booleans.
pub fn compare(op: &str, a: &Value, b: &Value) -> Result<Ordering, String> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Ok(x.encode_utf16().cmp(y.encode_utf16())),
        (Value::Bool(x), Value::Bool(y)) => Ok(x.cmp(y)),
        _ => match (num(a), num(b)) {
            (Some(Num::Int(x)), Some(Num::Int(y))) => Ok(x.cmp(&y)),
            (Some(x @ Num::Float(_)), Some(y)) | (Some(x), Some(y @ Num::Float(_))) => {
                Ok(java_order(float(&x), float(&y)))
            }
            (Some(x), Some(y)) => {
                let (x, y) = (dec(x), dec(y));
                Ok(x.cmp(&y))
            }
            _ => Err(type_error(op, a, b)),
        },
    }
}

/// Integer helpers for sites that need them.
pub fn is_even(v: &Value) -> Option<bool> {
    v.as_bigint().map(|b| b.is_even())
}

/// An operator's shortcut on two machine integers ([`super::site::Site::int_op`]):
/// which operator, computed in line where it is applied (register code
/// keeps it in the op; through a function pointer, each operation was a
/// call whose result came back through memory).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOp {
    Add,
    Sub,
    Mul,
    /// Truncating toward zero, as for big integers.
    Div,
    /// Taking the dividend's sign, as for big integers.
    Rem,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

impl IntOp {
    /// The operator on `x` and `y`: `None` where the general path must
    /// answer (overflow, which promotes to a big integer; a zero divisor,
    /// an error).
    #[inline(always)]
    pub fn apply(self, x: i64, y: i64) -> Option<IntResult> {
        use IntResult::{Bool, Int};
        match self {
            IntOp::Add => x.checked_add(y).map(Int),
            IntOp::Sub => x.checked_sub(y).map(Int),
            IntOp::Mul => x.checked_mul(y).map(Int),
            IntOp::Div => x.checked_div(y).map(Int),
            IntOp::Rem => x.checked_rem(y).map(Int),
            IntOp::Eq => Some(Bool(x == y)),
            IntOp::Ne => Some(Bool(x != y)),
            IntOp::Lt => Some(Bool(x < y)),
            IntOp::Gt => Some(Bool(x > y)),
            IntOp::Le => Some(Bool(x <= y)),
            IntOp::Ge => Some(Bool(x >= y)),
        }
    }
}

/// The same shortcut for an operator on two booleans (`&&`, `||`, strict
/// in Orc: both sides are values by now).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

impl BoolOp {
    #[inline(always)]
    pub fn apply(self, x: bool, y: bool) -> bool {
        match self {
            BoolOp::And => x && y,
            BoolOp::Or => x || y,
        }
    }
}

/// What an operator on two machine integers gives ([`super::site::Site::call_ints`]):
/// small enough to come back in registers (an `Option<Value>` would go
/// through memory, at every integer operation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntResult {
    Int(i64),
    Bool(bool),
}

impl From<IntResult> for Value {
    #[inline(always)]
    fn from(r: IntResult) -> Value {
        match r {
            IntResult::Int(i) => Value::Int(i),
            IntResult::Bool(b) => Value::Bool(b),
        }
    }
}
