//! Converting between Rust values and Orc [`Value`]s.
//!
//! `From<T> for Value` builds a value; `TryFrom<Value>` and
//! `TryFrom<&Value>` take one apart, failing with a [`ConversionError`]
//! that says what was expected and what came. A host site can use `?` on
//! a conversion: the error becomes a runtime error of the call.
//!
//! | Rust | Orc |
//! |---|---|
//! | `i64`, `i32`, `u32`, `usize` | integer (range-checked on the way back) |
//! | `f64` | number: a decimal when finite (`1.5`), else a float (`Infinity`); back from any number |
//! | `String`, `&str` | string |
//! | `bool` | boolean |
//! | `()` | `signal` |
//! | `Vec<T>` | list |
//! | `(A, B)` .. `(A, B, C, D)` | tuple |
//! | `Option<T>` | `Some(x)` / `None()` (back also from `null`; see [`Value::into_option`]) |
//! | `BTreeMap<String, T>`, `HashMap<String, T>` | record `{. k = v .}` |
//!
//! ```
//! use orc::Value;
//! use std::collections::BTreeMap;
//!
//! let v = Value::from(vec![(1, "one"), (2, "two")]);
//! assert_eq!(v.to_string(), r#"[(1, "one"), (2, "two")]"#);
//! let back: Vec<(i64, String)> = v.try_into().unwrap();
//! assert_eq!(back[1], (2, "two".to_string()));
//!
//! let record = Value::from(BTreeMap::from([("port".to_string(), 8080)]));
//! assert_eq!(record.to_string(), "{. port = 8080 .}");
//!
//! let err = u32::try_from(&Value::from(-1)).unwrap_err();
//! assert_eq!(err.to_string(), "expected an integer in the range of u32, but got Integer -1");
//! ```
//!
//! Conversions go as deep as their Rust types (`Vec<Vec<i64>>` looks two
//! levels into a value), and an error shows at most the first 60
//! characters of the culprit, printing no more of it: a value of any depth
//! converts, or fails to, without recursion.

use crate::sites::structural::{none, some};
use crate::value::site::SiteError;
use crate::value::{Data, Decimal, Record, Value};
use num_traits::ToPrimitive;
use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;

/// A value was not of the Rust type asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversionError {
    message: String,
}

impl ConversionError {
    /// "expected `what`, but got <the value's type and text>".
    pub fn expected(what: &str, got: &Value) -> ConversionError {
        // Keep messages readable when a big value is the culprit (and
        // print no more of it than is shown).
        let shown = match crate::value::print::to_string_bounded(got, 60) {
            Ok(all) => all,
            Err(start) => start.chars().take(57).collect::<String>() + "...",
        };
        ConversionError {
            message: format!("expected {what}, but got {} {shown}", got.type_name()),
        }
    }

    /// The error, located inside a larger value (`in element 2: ...`).
    fn within(self, place: impl fmt::Display) -> ConversionError {
        ConversionError {
            message: format!("{place}: {}", self.message),
        }
    }
}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConversionError {}

impl From<Infallible> for ConversionError {
    fn from(never: Infallible) -> ConversionError {
        match never {}
    }
}

impl From<ConversionError> for SiteError {
    fn from(e: ConversionError) -> SiteError {
        SiteError::new(e.message)
    }
}

/// Converts an element of a container, saying where a failure happened.
fn element<T>(v: Value, place: impl fmt::Display) -> Result<T, ConversionError>
where
    T: TryFrom<Value>,
    T::Error: Into<ConversionError>,
{
    T::try_from(v).map_err(|e| e.into().within(place))
}

// ----- Rust → Orc ---------------------------------------------------------

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::int(n)
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, usize, isize);

impl From<f64> for Value {
    /// A finite number becomes a decimal with the shortest digits that
    /// read back as the same `f64` (`0.1`, not a long binary expansion);
    /// infinities and NaN stay floating point.
    fn from(x: f64) -> Value {
        match Decimal::from_f64(x) {
            Some(d) => Value::decimal(d),
            None => Value::Float(x),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(Arc::from(s))
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::str(s)
    }
}

impl From<()> for Value {
    fn from(_: ()) -> Value {
        Value::Signal
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Value {
        Value::list(items.into_iter().map(Into::into).collect::<Vec<_>>())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Value {
        let (constructor, fields) = match o {
            Some(x) => (some(), vec![x.into()]),
            None => (none(), vec![]),
        };
        let constructor = constructor
            .as_any()
            .downcast_ref::<crate::sites::structural::DataConstructor>()
            .map(|c| c.0.clone());
        match constructor {
            Some(constructor) => Value::Data(Arc::new(Data {
                constructor,
                fields: fields.into(),
            })),
            // `some()`/`none()` are always data constructors.
            None => Value::Null,
        }
    }
}

fn record<K: AsRef<str>, T: Into<Value>>(fields: impl Iterator<Item = (K, T)>) -> Value {
    Value::Record(Arc::new(Record {
        fields: fields
            .map(|(k, v)| (Arc::from(k.as_ref()), v.into()))
            .collect(),
    }))
}

impl<T: Into<Value>> From<BTreeMap<String, T>> for Value {
    fn from(map: BTreeMap<String, T>) -> Value {
        record(map.into_iter())
    }
}

impl<T: Into<Value>> From<HashMap<String, T>> for Value {
    /// Fields in the map's (unspecified) order; records compare and look up
    /// by name, so the order only shows when the record is printed.
    fn from(map: HashMap<String, T>) -> Value {
        record(map.into_iter())
    }
}

macro_rules! from_tuple {
    ($($t:ident),*) => {
        impl<$($t: Into<Value>),*> From<($($t,)*)> for Value {
            #[allow(non_snake_case)]
            fn from(($($t,)*): ($($t,)*)) -> Value {
                Value::tuple(vec![$($t.into()),*])
            }
        }
    };
}
from_tuple!(A, B);
from_tuple!(A, B, C);
from_tuple!(A, B, C, D);

// ----- Orc → Rust ---------------------------------------------------------

/// `TryFrom<&Value>` by way of `TryFrom<Value>` (values are cheap to clone).
macro_rules! by_ref {
    ($t:ty) => {
        impl TryFrom<&Value> for $t {
            type Error = ConversionError;
            fn try_from(v: &Value) -> Result<$t, ConversionError> {
                <$t>::try_from(v.clone())
            }
        }
    };
}

impl TryFrom<Value> for i64 {
    type Error = ConversionError;
    fn try_from(v: Value) -> Result<i64, ConversionError> {
        match v {
            Value::Int(i) => Ok(i),
            other => Err(ConversionError::expected(
                "an integer in the range of i64",
                &other,
            )),
        }
    }
}
by_ref!(i64);

macro_rules! narrow_int {
    ($($t:ty),*) => {$(
        impl TryFrom<Value> for $t {
            type Error = ConversionError;
            fn try_from(v: Value) -> Result<$t, ConversionError> {
                match &v {
                    Value::Int(i) => <$t>::try_from(*i).ok(),
                    _ => None,
                }
                .ok_or_else(|| ConversionError::expected(
                    concat!("an integer in the range of ", stringify!($t)),
                    &v,
                ))
            }
        }
        by_ref!($t);
    )*};
}
narrow_int!(i32, u32, u64, usize);

impl TryFrom<Value> for f64 {
    type Error = ConversionError;
    /// Any number; big integers and decimals are rounded to the nearest
    /// `f64`.
    fn try_from(v: Value) -> Result<f64, ConversionError> {
        match &v {
            Value::Int(i) => Ok(*i as f64),
            Value::BigInt(b) => Ok(b.to_f64().unwrap_or(f64::NAN)),
            Value::Decimal(d) => Ok(d.to_f64()),
            Value::Float(x) => Ok(*x),
            _ => Err(ConversionError::expected("a number", &v)),
        }
    }
}
by_ref!(f64);

impl TryFrom<Value> for bool {
    type Error = ConversionError;
    fn try_from(v: Value) -> Result<bool, ConversionError> {
        v.as_bool()
            .ok_or_else(|| ConversionError::expected("a boolean", &v))
    }
}
by_ref!(bool);

impl TryFrom<Value> for String {
    type Error = ConversionError;
    fn try_from(v: Value) -> Result<String, ConversionError> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| ConversionError::expected("a string", &v))
    }
}
by_ref!(String);

impl TryFrom<Value> for () {
    type Error = ConversionError;
    fn try_from(v: Value) -> Result<(), ConversionError> {
        match v {
            Value::Signal => Ok(()),
            other => Err(ConversionError::expected("a signal", &other)),
        }
    }
}
by_ref!(());

impl<T> TryFrom<Value> for Vec<T>
where
    T: TryFrom<Value>,
    T::Error: Into<ConversionError>,
{
    type Error = ConversionError;
    fn try_from(v: Value) -> Result<Vec<T>, ConversionError> {
        match &v {
            Value::List(list) => list
                .iter()
                .enumerate()
                .map(|(i, x)| element(x, format_args!("in element {i} of the list")))
                .collect(),
            _ => Err(ConversionError::expected("a list", &v)),
        }
    }
}

impl<T> TryFrom<&Value> for Vec<T>
where
    T: TryFrom<Value>,
    T::Error: Into<ConversionError>,
{
    type Error = ConversionError;
    fn try_from(v: &Value) -> Result<Vec<T>, ConversionError> {
        Vec::try_from(v.clone())
    }
}

impl Value {
    /// Takes an option apart: `Some(x)` gives `Some(x)`; `None()` and
    /// `null` (which JSON and Java-like sites use for "nothing") give
    /// `None`. (`Option<Value>::try_from` cannot do this: the standard
    /// library already converts any `Value` into `Some(value)`.)
    pub fn into_option(self) -> Result<Option<Value>, ConversionError> {
        if let Value::Null = self {
            return Ok(None);
        }
        if let Ok(Some(mut fields)) = some().unapply(&self) {
            if let Some(x) = fields.pop() {
                return Ok(Some(x));
            }
        }
        if let Ok(Some(_)) = none().unapply(&self) {
            return Ok(None);
        }
        Err(ConversionError::expected(
            "an option (Some(x) or None())",
            &self,
        ))
    }
}

/// `Option<T>` from `Some(x)`, `None()` or `null` (see
/// [`Value::into_option`]), for each `T` listed (a generic impl would
/// collide with the standard library's `T: Into<Option<T>>`).
macro_rules! to_option {
    ($([$($g:ident),*] $t:ty),* $(,)?) => {$(
        impl<$($g),*> TryFrom<Value> for Option<$t>
        where
            $($g: TryFrom<Value>, $g::Error: Into<ConversionError>,)*
        {
            type Error = ConversionError;
            fn try_from(v: Value) -> Result<Option<$t>, ConversionError> {
                match v.into_option()? {
                    Some(x) => element::<$t>(x, "in Some(..)").map(Some),
                    None => Ok(None),
                }
            }
        }

        impl<$($g),*> TryFrom<&Value> for Option<$t>
        where
            $($g: TryFrom<Value>, $g::Error: Into<ConversionError>,)*
        {
            type Error = ConversionError;
            fn try_from(v: &Value) -> Result<Option<$t>, ConversionError> {
                Option::<$t>::try_from(v.clone())
            }
        }
    )*};
}
to_option!(
    [] i64, [] i32, [] u32, [] u64, [] usize, [] f64, [] bool, [] String, [] (),
    [T] Vec<T>, [T] BTreeMap<String, T>, [T] HashMap<String, T>,
);

/// The fields of a record, converted.
fn fields<T>(v: &Value) -> Result<Vec<(String, T)>, ConversionError>
where
    T: TryFrom<Value>,
    T::Error: Into<ConversionError>,
{
    match v {
        Value::Record(r) => r
            .fields
            .iter()
            .map(|(k, x)| {
                Ok((
                    k.to_string(),
                    element(x.clone(), format_args!("in field {k}"))?,
                ))
            })
            .collect(),
        _ => Err(ConversionError::expected("a record", v)),
    }
}

macro_rules! to_map {
    ($map:ident) => {
        impl<T> TryFrom<Value> for $map<String, T>
        where
            T: TryFrom<Value>,
            T::Error: Into<ConversionError>,
        {
            type Error = ConversionError;
            fn try_from(v: Value) -> Result<$map<String, T>, ConversionError> {
                Ok(fields(&v)?.into_iter().collect())
            }
        }

        impl<T> TryFrom<&Value> for $map<String, T>
        where
            T: TryFrom<Value>,
            T::Error: Into<ConversionError>,
        {
            type Error = ConversionError;
            fn try_from(v: &Value) -> Result<$map<String, T>, ConversionError> {
                Ok(fields(v)?.into_iter().collect())
            }
        }
    };
}
to_map!(BTreeMap);
to_map!(HashMap);

macro_rules! to_tuple {
    ($n:literal; $($t:ident $i:tt),*) => {
        impl<$($t),*> TryFrom<Value> for ($($t,)*)
        where
            $($t: TryFrom<Value>, $t::Error: Into<ConversionError>,)*
        {
            type Error = ConversionError;
            fn try_from(v: Value) -> Result<($($t,)*), ConversionError> {
                match &v {
                    Value::Tuple(items) if items.len() == $n => Ok((
                        $(element::<$t>(items[$i].clone(), format_args!("in component {} of the tuple", $i))?,)*
                    )),
                    _ => Err(ConversionError::expected(concat!("a tuple of ", $n, " components"), &v)),
                }
            }
        }

        impl<$($t),*> TryFrom<&Value> for ($($t,)*)
        where
            $($t: TryFrom<Value>, $t::Error: Into<ConversionError>,)*
        {
            type Error = ConversionError;
            fn try_from(v: &Value) -> Result<($($t,)*), ConversionError> {
                <($($t,)*)>::try_from(v.clone())
            }
        }
    };
}
to_tuple!(2; A 0, B 1);
to_tuple!(3; A 0, B 1, C 2);
to_tuple!(4; A 0, B 1, C 2, D 3);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_range_checked() {
        assert_eq!(i32::try_from(Value::from(7)), Ok(7));
        assert!(i32::try_from(Value::from(i64::MAX)).is_err());
        assert!(usize::try_from(Value::from(-3)).is_err());
        assert_eq!(
            u64::try_from(&Value::from(u64::MAX >> 1)),
            Ok(u64::MAX >> 1)
        );
        // Beyond i64 the value is a big integer: not an i64.
        let big = Value::from(u64::MAX);
        assert!(matches!(big, Value::BigInt(_)));
        assert!(i64::try_from(&big).is_err());
        assert_eq!(f64::try_from(&big), Ok(u64::MAX as f64));
    }

    #[test]
    fn doubles_become_short_decimals() {
        assert_eq!(Value::from(0.1).to_string(), "0.1");
        assert!(matches!(Value::from(0.1), Value::Decimal(_)));
        assert!(matches!(Value::from(f64::INFINITY), Value::Float(_)));
        assert_eq!(f64::try_from(Value::from(2.5)), Ok(2.5));
        assert_eq!(f64::try_from(Value::from(3)), Ok(3.0));
    }

    #[test]
    fn errors_say_where_inside_a_value() {
        let v = Value::from(vec![Value::from(1), Value::from("x")]);
        let err = Vec::<i64>::try_from(&v).unwrap_err();
        assert_eq!(
            err.to_string(),
            "in element 1 of the list: expected an integer in the range of i64, but got String \"x\""
        );
    }

    #[test]
    fn options_are_the_prelude_datatype() {
        assert_eq!(Value::from(Some(3)).to_string(), "Some(3)");
        assert_eq!(Value::from(None::<i64>).to_string(), "None()");
        assert_eq!(Option::<i64>::try_from(Value::from(Some(3))), Ok(Some(3)));
        assert_eq!(Option::<i64>::try_from(Value::Null), Ok(None));
        assert!(Option::<i64>::try_from(Value::from(3)).is_err());
    }
}
