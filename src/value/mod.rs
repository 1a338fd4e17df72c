//! Orc values: what expressions publish and sites receive.
//!
//! Values are immutable and cheap to clone (reference counted), and they are
//! `Send + Sync` so that host sites on other threads can hold them. Printing
//! follows the reference: a value prints as the Orc expression that would
//! produce it (`"a\n"`, `[1, 2]`, `(1, 2)`, `{. a = 1 .}`, `Some(3)`, `signal`).
//!
//! Values nest to any depth, so nothing walks them on the Rust stack:
//! dropping ([`unwind`]), printing ([`print`]) and comparing ([`compare`])
//! keep their work on heap stacks.
//!
//! The runtime's data model is here too, since values hold it and it
//! holds values: closures ([`closure`]) over resolved code ([`code`]),
//! bindings and futures ([`env`]), the site interface ([`site`]), and what
//! they need: the run's handles and slabs ([`handles`], [`slab`]). (The
//! pool of small blocks that futures, records, frames and list cells are
//! made in is the memory layer's, `crate::memory::pool`.)

pub mod arith;
pub mod biased;
pub mod closure;
pub mod code;
mod compare;
pub mod cycles;
mod decimal;
#[cfg(test)]
mod deep_tests;
pub mod digits;
pub mod env;
pub mod flat;
pub(crate) mod flatten;
pub mod handles;
pub mod limits;
mod list;
pub mod lock;
pub mod object;
pub mod print;
pub mod site;
pub mod slab;
pub(crate) mod unwind;

pub use decimal::Decimal;
pub use list::{List, ListBuilder};
pub use object::ObjectRef;

pub use closure::Closure;
use num_bigint::BigInt;
use num_traits::ToPrimitive;
pub use site::Site;
use std::fmt;
use std::mem::ManuallyDrop;
use std::sync::Arc;

/// (`repr(u64)`: every variant's payload starts at the eighth byte, a
/// boolean's too. Without it a boolean sat at the second byte, so every
/// move of a value copied bytes 1 to 24 as one 16-byte and one 8-byte
/// piece, and the loads of the next move or read straddled those stores
/// and waited for them to land: an array's element read cost the ring
/// workload a tenth of its time so. The tag's unused values still serve
/// as niches: `Option<Value>` and `Binding` stay 24 bytes.)
#[derive(Clone)]
#[repr(u64)]
pub enum Value {
    Signal,
    Null,
    Bool(bool),
    /// Integers that fit a machine word; arithmetic promotes to `BigInt`
    /// on overflow and results are normalised back when they fit.
    Int(i64),
    BigInt(Arc<BigInt>),
    Decimal(Arc<Decimal>),
    /// A floating-point number: what the reference's decimal division gives
    /// when the quotient does not terminate (or divides by zero).
    Float(f64),
    Str(Arc<str>),
    /// Two or more components (a one-tuple is its component).
    Tuple(Tuple),
    List(List),
    Record(Arc<Record>),
    /// A value built by a datatype constructor, e.g. `Some(3)`.
    Data(Arc<Data>),
    Closure(Closure),
    Site(Arc<dyn Site>),
    /// An object made by `new` (see [`object`]).
    Object(ObjectRef),
}

/// The components of a tuple, shared (cloning is a count increment).
/// It reads as a slice of values.
#[derive(Clone)]
pub struct Tuple(ManuallyDrop<Arc<[Value]>>);

impl Tuple {
    /// Whether this is the components' only reference.
    #[inline(always)]
    fn is_last(&self) -> bool {
        Arc::strong_count(&self.0) == 1
    }

    /// Whether the two are the same components (not merely equal ones).
    pub fn ptr_eq(a: &Tuple, b: &Tuple) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl std::ops::Deref for Tuple {
    type Target = [Value];
    #[inline(always)]
    fn deref(&self) -> &[Value] {
        &self.0
    }
}

impl From<Vec<Value>> for Tuple {
    fn from(items: Vec<Value>) -> Tuple {
        Tuple(ManuallyDrop::new(items.into()))
    }
}

impl From<Arc<[Value]>> for Tuple {
    fn from(items: Arc<[Value]>) -> Tuple {
        Tuple(ManuallyDrop::new(items))
    }
}

impl Drop for Tuple {
    /// The last reference drops the components without recursing on
    /// their depth (see [`unwind`]). Only a count is read here: every
    /// value's drop runs through this code, which must stay small.
    #[inline]
    fn drop(&mut self) {
        let last = self.is_last();
        // SAFETY: the field is not used again.
        let items = unsafe { ManuallyDrop::take(&mut self.0) };
        if last {
            drop_items(items);
        }
    }
}

/// Drops the last reference to a tuple's components: the components in
/// place, unless they hold containers too deep down (see [`unwind`]).
#[inline(never)]
fn drop_items(mut items: Arc<[Value]>) {
    if items.iter().any(unwind::needs_unwinding) {
        match unwind::enter() {
            Some(_level) => drop(items),
            None => {
                if let Some(items) = Arc::get_mut(&mut items) {
                    unwind::defer_all(items.iter_mut());
                }
            }
        }
    }
}

/// Record fields in insertion order; extension replaces in place.
#[derive(Clone, Default)]
pub struct Record {
    pub fields: Vec<(Arc<str>, Value)>,
}

impl Drop for Record {
    /// Drops the fields without recursing on their depth (see [`unwind`]).
    fn drop(&mut self) {
        let needs = self.fields.iter().any(|(_, v)| unwind::needs_unwinding(v));
        unwind::drop_owned(&mut self.fields, needs, |fields| {
            unwind::defer_all(fields.iter_mut().map(|(_, v)| v))
        });
    }
}

impl Record {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v)
    }

    /// `self + other`: other's fields override.
    pub fn extend(&self, other: &Record) -> Record {
        let mut fields = self.fields.clone();
        for (name, value) in &other.fields {
            match fields.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = value.clone(),
                None => fields.push((name.clone(), value.clone())),
            }
        }
        Record { fields }
    }
}

/// One constructor of a datatype; identity distinguishes constructors of
/// different declarations that share a name.
#[derive(Debug)]
pub struct Constructor {
    pub name: Arc<str>,
    pub arity: usize,
}

pub struct Data {
    pub constructor: Arc<Constructor>,
    pub fields: Box<[Value]>,
}

impl Drop for Data {
    /// Drops the fields without recursing on their depth (see [`unwind`]).
    fn drop(&mut self) {
        let needs = self.fields.iter().any(unwind::needs_unwinding);
        unwind::drop_owned(&mut self.fields, needs, |fields| {
            unwind::defer_all(fields.iter_mut())
        });
    }
}

impl Value {
    /// `self.clone()`, an integer or a boolean copied in its parts: the
    /// value was often written just now (a loop's accumulator or counter,
    /// an array's element), and a clone copied whole, with loads wider
    /// than the stores that wrote it, waited for them.
    #[inline(always)]
    pub fn copied(&self) -> Value {
        match self {
            Value::Int(n) => Value::Int(*n),
            Value::Bool(b) => Value::Bool(*b),
            // (A site, an array's usual element, built in place rather
            // than by the general clone and then moved.)
            Value::Site(s) => Value::Site(Arc::clone(s)),
            other => other.clone(),
        }
    }

    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    pub fn int(n: impl Into<BigInt>) -> Value {
        Value::from_bigint(n.into())
    }

    pub fn from_bigint(n: BigInt) -> Value {
        match n.to_i64() {
            Some(i) => Value::Int(i),
            None => Value::BigInt(Arc::new(n)),
        }
    }

    pub fn decimal(d: Decimal) -> Value {
        Value::Decimal(Arc::new(d))
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(items.into())
    }

    pub fn list(items: impl IntoIterator<Item = Value, IntoIter: DoubleEndedIterator>) -> Value {
        Value::List(List::from_iter_rev(items.into_iter().rev()))
    }

    pub fn as_bigint(&self) -> Option<BigInt> {
        match self {
            Value::Int(i) => Some(BigInt::from(*i)),
            Value::BigInt(b) => Some((**b).clone()),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Signal => "Signal",
            Value::Null => "Null",
            Value::Bool(_) => "Boolean",
            Value::Int(_) | Value::BigInt(_) => "Integer",
            Value::Decimal(_) | Value::Float(_) => "Number",
            Value::Str(_) => "String",
            Value::Tuple(_) => "Tuple",
            Value::List(_) => "List",
            Value::Record(_) => "Record",
            Value::Data(_) => "Datatype value",
            Value::Closure(_) => "Closure",
            Value::Site(_) => "Site",
            Value::Object(_) => "Object",
        }
    }

    /// The text `Println` and string concatenation use: strings unquoted,
    /// everything else as published.
    pub fn to_plain_string(&self) -> String {
        match self {
            Value::Str(s) => s.to_string(),
            other => other.to_string(),
        }
    }

    /// Structural equality, as the `=` site decides it (at any depth,
    /// without recursion: see [`compare`]).
    #[inline]
    pub fn equals(&self, other: &Value) -> bool {
        match (self, other) {
            // The most common case, without a call.
            (Value::Int(a), Value::Int(b)) => a == b,
            _ => compare::equal(self, other),
        }
    }
}

/// A double as Java's `Double.toString` prints it: `0.5`, `3.0`,
/// `1.0E10`, `1.5E-5`, `Infinity`, `NaN`.
pub fn java_double(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let a = x.abs();
    if a == 0.0 || (1e-3..1e7).contains(&a) {
        let s = format!("{x}");
        if s.contains('.') {
            s
        } else {
            s + ".0"
        }
    } else {
        let s = format!("{x:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_string()
        } else {
            format!("{mantissa}.0")
        };
        format!("{mantissa}E{exp}")
    }
}

/// Writes a string literal with the reference's escapes.
pub fn write_quoted(f: &mut (impl fmt::Write + ?Sized), s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '\\' => f.write_str("\\\\")?,
            '"' => f.write_str("\\\"")?,
            '\u{c}' => f.write_str("\\f")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

impl fmt::Display for Value {
    /// The value as the reference prints it, at any depth, without
    /// recursion (see [`print`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        print::write_value(f, self)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        self.equals(other)
    }
}

#[cfg(test)]
mod layout_tests {
    use super::Value;
    use crate::value::env::Binding;
    use std::mem::size_of;

    #[test]
    fn a_value_is_three_words_with_its_payload_at_the_second() {
        // What a list cell's and a record slot's size rest on, and the
        // niches that keep the wrappers the same size.
        assert_eq!(size_of::<Value>(), 24);
        assert_eq!(size_of::<Option<Value>>(), 24);
        assert_eq!(size_of::<Binding>(), 24);
        // Every payload at byte 8, a boolean's too (see `Value`).
        let v = Value::Bool(true);
        let Value::Bool(b) = &v else { unreachable!() };
        let at = b as *const bool as usize - &v as *const Value as usize;
        assert_eq!(at, 8);
    }
}
