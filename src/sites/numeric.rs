//! Numeric sites of the reference prelude: `Abs`, `Floor`, `Ceil`, `Exp`
//! and `Log`. (`abs`, `sqrt`, `min`, `max`, `signum` are Orc definitions
//! in the prelude, not sites.)
//!
//! They take every kind of number: integers, decimals, and the floating
//! values that `**` and non-terminating `/` give. `Floor` and `Ceil` give
//! integers (an infinite or NaN argument is an error: it has no integer
//! part) and leave integers alone; `Abs` keeps the kind of its argument;
//! `Exp` and `Log` compute in double precision, as the reference does,
//! and publish a decimal when the result is finite, else the floating
//! value Java's `Math` gives (`Exp(1000)` is `Infinity`, `Log(-1)` is
//! `NaN`).

use super::site_value;
use super::util::{arity, expected, PureFunc};
use crate::value::site::SiteError;
use crate::value::{Decimal, Value};
use num_traits::Signed;

fn one_number<'a>(name: &str, args: &'a [Value]) -> Result<&'a Value, SiteError> {
    let [x] = arity::<1>(name, args)?;
    match x {
        Value::Int(_) | Value::BigInt(_) | Value::Decimal(_) | Value::Float(_) => Ok(x),
        other => Err(expected(name, "a number", other)),
    }
}

fn rounding(
    name: &str,
    args: &[Value],
    f: fn(&Decimal) -> num_bigint::BigInt,
) -> Result<Value, SiteError> {
    Ok(match one_number(name, args)? {
        Value::Decimal(d) => Value::from_bigint(f(d)),
        Value::Float(x) => match Decimal::from_f64(*x) {
            Some(d) => Value::from_bigint(f(&d)),
            None => {
                return Err(SiteError::new(format!(
                    "{name}({}) has no integer value",
                    Value::Float(*x)
                )))
            }
        },
        integer => integer.clone(),
    })
}

fn abs(args: &[Value]) -> Result<Value, SiteError> {
    Ok(match one_number("Abs", args)? {
        Value::Int(i) => match i.checked_abs() {
            Some(a) => Value::Int(a),
            None => Value::int(num_bigint::BigInt::from(*i).abs()),
        },
        Value::BigInt(b) => Value::from_bigint(b.abs()),
        Value::Decimal(d) if d.is_negative() => Value::decimal(d.neg()),
        Value::Float(x) => Value::Float(x.abs()),
        other => other.clone(),
    })
}

fn to_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::BigInt(b) => b.to_string().parse().unwrap_or(f64::NAN),
        Value::Decimal(d) => d.to_f64(),
        Value::Float(x) => *x,
        _ => f64::NAN,
    }
}

fn double(name: &str, args: &[Value], f: fn(f64) -> f64) -> Result<Value, SiteError> {
    let y = f(to_f64(one_number(name, args)?));
    Ok(Decimal::from_f64(y).map_or(Value::Float(y), Value::decimal))
}

pub fn sites() -> Vec<(&'static str, Value)> {
    let f = |name: &'static str, f: fn(&[Value]) -> Result<Value, SiteError>| {
        (name, site_value(PureFunc { name, f }))
    };
    vec![
        f("Abs", abs),
        f("Floor", |a| rounding("Floor", a, Decimal::floor)),
        f("Ceil", |a| rounding("Ceil", a, Decimal::ceil)),
        f("Exp", |a| double("Exp", a, f64::exp)),
        f("Log", |a| double("Log", a, f64::ln)),
    ]
}
