//! Printing values as the reference does (`[1, (2, "a")]`, `{. x = 1 .}`,
//! `Some(3)`, `{ x = 1 # y = 2 }`, `Ref(5)`), at any depth, without
//! recursion.
//!
//! The printer writes a value's text in order, from a heap stack of what
//! is still to write: the rest of each container being written (a tuple's
//! later components, a list's later cells, a record's later fields, ...)
//! and its closing text. Scalars inside a container are written in place,
//! so printing a flat list pushes nothing per element; a nested container
//! pushes the rest of its parent and goes on inside. The stack holds one
//! entry per level of nesting, and the Rust stack none.
//!
//! Objects and library objects holding values (a `Ref`, an array, a
//! channel) may contain themselves. The printer keeps the ones it is
//! inside of; an occurrence of one of them within itself prints as a short
//! form (`{ ... }`, `Ref(...)`, `<Array ...>`) instead of going on forever.
//! A library object says how it prints through [`Site::show`]: text and
//! the values it holds, which the printer writes like any others.
//!
//! [`Site::show`]: crate::value::site::Site::show

use super::object::ObjectRef;
use super::{java_double, write_quoted, Data, List, Record, Tuple, Value};
use std::collections::HashSet;
use std::fmt::{self, Write};
use std::sync::Arc;

/// How a site that holds values prints (see [`Site::show`]).
///
/// [`Site::show`]: crate::value::site::Site::show
pub struct Shown {
    /// The state shown, the same for every handle on it (its address).
    pub key: usize,
    /// What prints for an occurrence of this state inside itself.
    pub inside: &'static str,
    /// The text, in order.
    pub parts: Vec<Part>,
}

/// A piece of a [`Shown`].
pub enum Part {
    Text(&'static str),
    Value(Value),
    /// Values separated by `, `.
    Seq(Vec<Value>),
}

/// Hashes the addresses of the objects being written: multiplying by an
/// odd constant spreads them well enough, at a fraction of the default
/// hasher's cost (it runs twice per object printed).
#[derive(Default)]
pub(crate) struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(32);
    }
}

type Addresses = HashSet<usize, std::hash::BuildHasherDefault<AddressHasher>>;

/// What is still to write.
enum Task {
    Text(&'static str),
    /// Components `.1..` of a tuple, each after `, `.
    Tuple(Tuple, usize),
    /// The rest of a list: its first cell after `, ` unless `first`.
    List(List, bool),
    /// Fields `.1..` of a record, each after `, `.
    Fields(Arc<Record>, usize),
    /// Fields `.1..` of a datatype value, each after `, `.
    Data(Arc<Data>, usize),
    /// An object's members not yet written (` # ` before each, unless
    /// the bool says it is the first).
    Members(std::vec::IntoIter<(Arc<str>, Value)>, bool),
    /// The rest of a site's parts.
    Parts(std::vec::IntoIter<Part>),
    /// The rest of a sequence in a site's parts.
    Seq(std::vec::IntoIter<Value>, bool),
    /// The end of the object or site with this key.
    Leave(usize),
}

struct Printer<'w> {
    out: &'w mut dyn Write,
    tasks: Vec<Task>,
    /// The objects and sites being written (made when the first is met).
    inside: Option<Addresses>,
}

/// Writes `v` as the reference prints it.
pub fn write_value(out: &mut dyn Write, v: &Value) -> fmt::Result {
    if let Some(done) = write_leaf(out, v) {
        return done;
    }
    let mut p = Printer {
        out,
        tasks: Vec::new(),
        inside: None,
    };
    p.open(v.clone())?;
    p.run()
}

/// The text of a site that holds values, as [`write_value`] would write
/// the site (what `Site::display_name` gives for one).
pub fn shown_to_string(shown: Shown) -> String {
    let mut s = String::new();
    let mut p = Printer {
        out: &mut s,
        tasks: Vec::new(),
        inside: None,
    };
    // Writing to a string fails only if a value's own `Display` fails.
    let _ = p.site(shown).and_then(|_| p.run());
    s
}

/// `v`'s text if it has at most `limit` characters, else its first
/// `limit` characters: only that much of the value is looked at.
pub fn to_string_bounded(v: &Value, limit: usize) -> Result<String, String> {
    /// Keeps `limit` characters, then fails the printer.
    struct Bounded {
        text: String,
        left: usize,
    }
    impl Write for Bounded {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            for c in s.chars() {
                if self.left == 0 {
                    return Err(fmt::Error);
                }
                self.text.push(c);
                self.left -= 1;
            }
            Ok(())
        }
    }
    let mut b = Bounded {
        text: String::new(),
        left: limit,
    };
    match write_value(&mut b, v) {
        Ok(()) => Ok(b.text),
        Err(_) => Err(b.text),
    }
}

/// Writes `v` at once if it has nothing inside to write (numbers,
/// strings, closures, the empty list...); `None` if it has.
#[inline]
fn write_leaf(out: &mut dyn Write, v: &Value) -> Option<fmt::Result> {
    Some(match v {
        Value::Signal => out.write_str("signal"),
        Value::Null => out.write_str("null"),
        Value::Bool(b) => out.write_str(if *b { "true" } else { "false" }),
        Value::Int(i) => write!(out, "{i}"),
        Value::BigInt(b) => write!(out, "{b}"),
        Value::Decimal(d) => write!(out, "{d}"),
        Value::Float(x) => out.write_str(&java_double(*x)),
        Value::Str(s) => write_quoted(out, s),
        Value::List(l) if l.is_empty() => out.write_str("[]"),
        Value::Closure(c) => out.write_str(&c.describe()),
        Value::Tuple(_)
        | Value::List(_)
        | Value::Record(_)
        | Value::Data(_)
        | Value::Site(_)
        | Value::Object(_) => return None,
    })
}

impl Printer<'_> {
    fn run(&mut self) -> fmt::Result {
        while let Some(task) = self.tasks.pop() {
            match task {
                Task::Text(s) => self.out.write_str(s)?,
                Task::Tuple(t, from) => {
                    for i in from..t.len() {
                        if i > 0 {
                            self.out.write_str(", ")?;
                        }
                        if write_leaf(self.out, &t[i]).transpose()?.is_none() {
                            let v = t[i].clone();
                            self.tasks.push(Task::Tuple(t, i + 1));
                            self.open(v)?;
                            break;
                        }
                    }
                }
                Task::List(rest, mut first) => {
                    let mut cur = &rest;
                    while let Some((head, tail)) = cur.head_tail() {
                        if !first {
                            self.out.write_str(", ")?;
                        }
                        first = false;
                        if write_leaf(self.out, head).transpose()?.is_none() {
                            let (head, tail) = (head.clone(), tail.clone());
                            self.tasks.push(Task::List(tail, false));
                            self.open(head)?;
                            break;
                        }
                        cur = tail;
                    }
                }
                Task::Fields(r, from) => {
                    for i in from..r.fields.len() {
                        let (name, v) = &r.fields[i];
                        if i > 0 {
                            self.out.write_str(", ")?;
                        }
                        write!(self.out, "{name} = ")?;
                        if write_leaf(self.out, v).transpose()?.is_none() {
                            let v = v.clone();
                            self.tasks.push(Task::Fields(r, i + 1));
                            self.open(v)?;
                            break;
                        }
                    }
                }
                Task::Data(d, from) => {
                    for i in from..d.fields.len() {
                        if i > 0 {
                            self.out.write_str(", ")?;
                        }
                        if write_leaf(self.out, &d.fields[i]).transpose()?.is_none() {
                            let v = d.fields[i].clone();
                            self.tasks.push(Task::Data(d, i + 1));
                            self.open(v)?;
                            break;
                        }
                    }
                }
                Task::Members(mut members, mut first) => {
                    while let Some((name, v)) = members.next() {
                        if !first {
                            self.out.write_str(" # ")?;
                        }
                        first = false;
                        write!(self.out, "{name} = ")?;
                        if write_leaf(self.out, &v).transpose()?.is_none() {
                            self.tasks.push(Task::Members(members, false));
                            self.open(v)?;
                            break;
                        }
                    }
                }
                Task::Parts(mut parts) => {
                    while let Some(part) = parts.next() {
                        match part {
                            Part::Text(s) => self.out.write_str(s)?,
                            Part::Value(v) => {
                                if write_leaf(self.out, &v).transpose()?.is_none() {
                                    self.tasks.push(Task::Parts(parts));
                                    self.open(v)?;
                                    break;
                                }
                            }
                            Part::Seq(vs) => {
                                self.tasks.push(Task::Parts(parts));
                                self.tasks.push(Task::Seq(vs.into_iter(), true));
                                break;
                            }
                        }
                    }
                }
                Task::Seq(mut items, mut first) => {
                    while let Some(v) = items.next() {
                        if !first {
                            self.out.write_str(", ")?;
                        }
                        first = false;
                        if write_leaf(self.out, &v).transpose()?.is_none() {
                            self.tasks.push(Task::Seq(items, false));
                            self.open(v)?;
                            break;
                        }
                    }
                }
                Task::Leave(key) => {
                    if let Some(inside) = &mut self.inside {
                        inside.remove(&key);
                    }
                }
            }
        }
        Ok(())
    }

    /// Starts writing `v`: writes its opening and leaves the rest as tasks.
    fn open(&mut self, v: Value) -> fmt::Result {
        match v {
            Value::Tuple(t) => {
                self.out.write_str("(")?;
                self.tasks.push(Task::Text(")"));
                self.tasks.push(Task::Tuple(t, 0));
            }
            Value::List(l) => {
                self.out.write_str("[")?;
                self.tasks.push(Task::Text("]"));
                self.tasks.push(Task::List(l, true));
            }
            Value::Record(r) => {
                self.out.write_str("{. ")?;
                self.tasks.push(Task::Text(" .}"));
                self.tasks.push(Task::Fields(r, 0));
            }
            Value::Data(d) => {
                write!(self.out, "{}(", d.constructor.name)?;
                self.tasks.push(Task::Text(")"));
                self.tasks.push(Task::Data(d, 0));
            }
            Value::Object(o) => self.object(&o)?,
            Value::Site(s) => match s.show() {
                Some(shown) => self.site(shown)?,
                None => self.out.write_str(&s.display_name())?,
            },
            leaf => {
                if let Some(done) = write_leaf(self.out, &leaf) {
                    done?;
                }
            }
        }
        Ok(())
    }

    /// Enters the object or site `key`: `false` if it is being written
    /// already (an occurrence inside itself).
    fn enter(&mut self, key: usize) -> bool {
        if !self
            .inside
            .get_or_insert_with(Addresses::default)
            .insert(key)
        {
            return false;
        }
        self.tasks.push(Task::Leave(key));
        true
    }

    /// `{ x = 1 # y = 2 }`, as the reference prints objects: the view's
    /// members that have a value (see [`ObjectRef::shown_members`]).
    fn object(&mut self, o: &ObjectRef) -> fmt::Result {
        if !self.enter(Arc::as_ptr(&o.object) as usize) {
            return self.out.write_str("{ ... }");
        }
        self.out.write_str("{ ")?;
        self.tasks.push(Task::Text(" }"));
        self.tasks
            .push(Task::Members(o.shown_members().into_iter(), true));
        Ok(())
    }

    fn site(&mut self, shown: Shown) -> fmt::Result {
        if !self.enter(shown.key) {
            return self.out.write_str(shown.inside);
        }
        self.tasks.push(Task::Parts(shown.parts.into_iter()));
        Ok(())
    }
}
