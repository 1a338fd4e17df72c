//! Numeric sites of the reference prelude: `Abs`, `Floor`, `Ceil`, `Exp`
//! and `Log`. (`abs`, `sqrt`, `min`, `max`, `signum` are Orc definitions
//! in the prelude, not sites.)
//!
//! `Floor` and `Ceil` give integers and leave integers alone; `Exp` and
//! `Log` compute in double precision, as the reference does, and publish a
//! number; a result that is not finite is an error.

use super::site_value;
use super::util::{arity, expected, PureFunc};
use crate::runtime::site::SiteError;
use crate::value::{Decimal, Value};
use num_traits::Signed;

fn one_number<'a>(name: &str, args: &'a [Value]) -> Result<&'a Value, SiteError> {
    let [x] = arity::<1>(name, args)?;
    match x {
        Value::Int(_) | Value::BigInt(_) | Value::Decimal(_) => Ok(x),
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
        other => other.clone(),
    })
}

fn to_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::BigInt(b) => b.to_string().parse().unwrap_or(f64::NAN),
        Value::Decimal(d) => d.to_f64(),
        _ => f64::NAN,
    }
}

fn double(name: &str, args: &[Value], f: fn(f64) -> f64) -> Result<Value, SiteError> {
    let x = one_number(name, args)?;
    let y = f(to_f64(x));
    Decimal::from_f64(y)
        .map(Value::decimal)
        .ok_or_else(|| SiteError::new(format!("{name}({x}) is not a finite number")))
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
