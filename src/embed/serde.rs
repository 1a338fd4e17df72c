//! `Serialize` and `Deserialize` for [`Value`] (cargo feature `serde`), so
//! that a host can pass its own data types in and out of programs.
//!
//! The data model: numbers, strings, booleans, null, lists (sequences) and
//! records (maps with string keys).
//!
//! | Orc | serialized as | read back as |
//! |---|---|---|
//! | integer | `i64` (a big integer as `i128`/`u128` when it fits) | integer |
//! | decimal, float | `f64` (nearest) | decimal (float if not finite) |
//! | string, boolean | string, boolean | the same |
//! | `null`, `None()` | none | `null` |
//! | `Some(x)` | some(`x`) | `x` |
//! | `signal` | unit | `null` |
//! | list, tuple | sequence | list |
//! | record | map | record |
//!
//! Other datatype values, closures and sites do not serialize (an error).
//!
//! Serde's data model nests: a sequence's serializer takes each element
//! whole, and a deserializer hands each element to a visitor of its own,
//! so serializing or deserializing a value goes as deep on the stack as
//! the value is. Each level therefore runs on a stack that grows on the
//! heap as needed (`stacker`, used for this alone), so values of any
//! depth go through: a million nested lists serialize to JSON. (A format
//! may refuse deep input itself: `serde_json` stops at 128 levels unless
//! told otherwise.)
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use orc::Value;
//! let v: Value = serde_json::from_str(r#"{"name": "orc", "tags": [1, 2.5, null]}"#).unwrap();
//! assert_eq!(v.to_string(), r#"{. name = "orc", tags = [1, 2.5, null] .}"#);
//! assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"name":"orc","tags":[1,2.5,null]}"#);
//! # }
//! ```

use crate::sites::structural::{none, some};
use crate::value::{Record, Value};
use num_traits::ToPrimitive;
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// Stack left below which a level of (de)serializing moves to a new
/// segment: room for a format's own frames between two of ours.
const RED_ZONE: usize = 128 * 1024;
/// The size of each new stack segment.
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || self.serialize_level(s))
    }
}

impl Value {
    /// One level of [`Value::serialize`]: elements go through `serialize`.
    fn serialize_level<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Signal => s.serialize_unit(),
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::BigInt(b) => {
                if let Some(i) = b.to_i128() {
                    s.serialize_i128(i)
                } else if let Some(u) = b.to_u128() {
                    s.serialize_u128(u)
                } else {
                    Err(ser::Error::custom(format!(
                        "the integer {b} is too big to serialize"
                    )))
                }
            }
            Value::Decimal(d) => s.serialize_f64(d.to_f64()),
            Value::Float(x) => s.serialize_f64(*x),
            Value::Str(text) => s.serialize_str(text),
            Value::Tuple(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items.iter() {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::List(list) => {
                let mut seq = s.serialize_seq(Some(list.len()))?;
                for v in list.iter() {
                    seq.serialize_element(&v)?;
                }
                seq.end()
            }
            Value::Record(r) => {
                let mut map = s.serialize_map(Some(r.fields.len()))?;
                for (k, v) in &r.fields {
                    map.serialize_entry(&**k, v)?;
                }
                map.end()
            }
            Value::Data(_) => {
                if let Ok(Some(fields)) = some().unapply(self) {
                    if let [x] = fields.as_slice() {
                        return s.serialize_some(x);
                    }
                }
                if let Ok(Some(_)) = none().unapply(self) {
                    return s.serialize_none();
                }
                Err(ser::Error::custom(format!(
                    "the datatype value {self} cannot be serialized"
                )))
            }
            Value::Closure(_) | Value::Site(_) | Value::Object(_) => Err(ser::Error::custom(
                format!("a {} cannot be serialized", self.type_name()),
            )),
        }
    }
}

struct ValueVisitor;

/// `visit_x(T)`: a visitor method making the value `Value::from` makes of
/// a `T`.
macro_rules! visit_scalars {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            fn $method<E>(self, x: $ty) -> Result<Value, E> {
                Ok(Value::from(x))
            }
        )*
    };
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, string, boolean, null, list or record")
    }

    // Scalars become the value of the same Rust type (`Value::from`).
    visit_scalars! {
        visit_bool(bool),
        visit_i128(i128),
        visit_u64(u64),
        visit_u128(u128),
        visit_f64(f64),
        visit_str(&str),
        visit_string(String),
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element::<Value>()? {
            items.push(v);
        }
        Ok(Value::list(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut r = Record::default();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            // A repeated key keeps its first place and its last value, as
            // record extension does.
            match r.fields.iter_mut().find(|(n, _)| **n == *k) {
                Some(slot) => slot.1 = v,
                None => r.fields.push((Arc::from(k), v)),
            }
        }
        Ok(Value::Record(Arc::new(r)))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || d.deserialize_any(ValueVisitor))
    }
}
