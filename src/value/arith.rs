//! Arithmetic and comparison on values, with the reference's promotions:
//! integers stay exact (machine words, promoted to big integers on
//! overflow), an integer mixed with a decimal becomes a decimal, `+` on a
//! string concatenates the printed forms, `+` on records extends.

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
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::Int(BigInt::from(*i))),
        Value::BigInt(b) => Some(Num::Int((**b).clone())),
        Value::Decimal(d) => Some(Num::Dec((**d).clone())),
        _ => None,
    }
}

fn dec(n: Num) -> Decimal {
    match n {
        Num::Int(i) => Decimal::from_int_mixed(&i),
        Num::Dec(d) => d,
    }
}

fn type_error(op: &str, a: &Value, b: &Value) -> String {
    format!(
        "cannot apply {op} to {} {a} and {} {b}",
        a.type_name(),
        b.type_name()
    )
}

fn numeric(
    op: &str,
    a: &Value,
    b: &Value,
    int: impl Fn(BigInt, BigInt) -> Result<Value, String>,
    decimal: impl Fn(Decimal, Decimal) -> Result<Value, String>,
) -> Result<Value, String> {
    match (num(a), num(b)) {
        (Some(Num::Int(x)), Some(Num::Int(y))) => int(x, y),
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
            let mut s = a.to_plain_string();
            s.push_str(&b.to_plain_string());
            Ok(Value::Str(Arc::from(s)))
        }
        (Value::Record(x), Value::Record(y)) => Ok(Value::Record(Arc::new(x.extend(y)))),
        _ => numeric(
            "+",
            a,
            b,
            |x, y| Ok(Value::from_bigint(x + y)),
            |x, y| Ok(Value::decimal(x.add(&y))),
        ),
    }
}

pub fn sub(a: &Value, b: &Value) -> Result<Value, String> {
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        if let Some(r) = x.checked_sub(*y) {
            return Ok(Value::Int(r));
        }
    }
    numeric(
        "-",
        a,
        b,
        |x, y| Ok(Value::from_bigint(x - y)),
        |x, y| Ok(Value::decimal(x.sub(&y))),
    )
}

pub fn mul(a: &Value, b: &Value) -> Result<Value, String> {
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        if let Some(r) = x.checked_mul(*y) {
            return Ok(Value::Int(r));
        }
    }
    numeric(
        "*",
        a,
        b,
        |x, y| Ok(Value::from_bigint(x * y)),
        |x, y| Ok(Value::decimal(x.mul(&y))),
    )
}

pub fn div(a: &Value, b: &Value) -> Result<Value, String> {
    numeric(
        "/",
        a,
        b,
        |x, y| {
            if y.is_zero() {
                Err("division by zero".into())
            } else {
                Ok(Value::from_bigint(x / y))
            }
        },
        |x, y| {
            x.div(&y)
                .map(Value::decimal)
                .ok_or_else(|| "division by zero".to_string())
        },
    )
}

pub fn rem(a: &Value, b: &Value) -> Result<Value, String> {
    numeric(
        "%",
        a,
        b,
        |x, y| {
            if y.is_zero() {
                Err("division by zero".into())
            } else {
                Ok(Value::from_bigint(x % y))
            }
        },
        |x, y| {
            x.rem(&y)
                .map(Value::decimal)
                .ok_or_else(|| "division by zero".to_string())
        },
    )
}

pub fn pow(a: &Value, b: &Value) -> Result<Value, String> {
    match (num(a), num(b)) {
        (Some(Num::Int(x)), Some(Num::Int(y))) => {
            if y.is_negative() {
                let base = Decimal::new(x, 0);
                let e = y.abs().to_u32().ok_or("exponent out of range")?;
                let one = Decimal::new(BigInt::from(1), 0);
                one.div(&base.powi(e))
                    .map(Value::decimal)
                    .ok_or_else(|| "division by zero".to_string())
            } else {
                let e = y.to_u32().ok_or("exponent out of range")?;
                if x.bits() * e as u64 > 64 * 1024 * 1024 {
                    return Err("result too large".into());
                }
                Ok(Value::from_bigint(num_traits::pow(x, e as usize)))
            }
        }
        (Some(Num::Dec(x)), Some(Num::Int(y))) => {
            let e = y.to_i32().ok_or("exponent out of range")?;
            if e >= 0 {
                Ok(Value::decimal(x.powi(e as u32)))
            } else {
                let one = Decimal::new(BigInt::from(1), 0);
                one.div(&x.powi(e.unsigned_abs()))
                    .map(Value::decimal)
                    .ok_or_else(|| "division by zero".to_string())
            }
        }
        (Some(x), Some(y)) => {
            let r = dec(x).to_f64().powf(dec(y).to_f64());
            Decimal::from_f64(r)
                .map(Value::decimal)
                .ok_or_else(|| "result is not a number".to_string())
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
        other => Err(format!("cannot negate {} {other}", other.type_name())),
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
