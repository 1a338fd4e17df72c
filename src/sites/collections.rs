//! Mutable collections: `Array(n)` / `Array(n, type)` and `Dictionary()`.
//!
//! An array is called with an index to get a reference to that element:
//! `a(i)?` reads it, `a(i) := v` writes it, and `a.length?` is its size (as
//! for the reference's Java arrays). A dictionary is a mutable record: the
//! first access to a field creates an empty `Ref`, returned again by every
//! later access, so `d.x := 1 >> d.x?` publishes 1.

use super::object::{checked, lock, lock_to_print, maker, method, Entry, Kind, Object, StateLock};
use super::state::RefState;
use super::util::{arity, call_member, func, int_arg, site, str_arg};
use crate::value::cycles::{Mark, Tracer, Trash};
use crate::value::print::{Part, Shown};
use crate::value::site::{Outcome, Peek, SiteCx, SiteError};
use crate::value::{Decimal, Value};
use num_bigint::BigInt;
use std::sync::Arc;

// ---------------------------------------------------------------- Array

/// The cells, which run's cycle registry the array is in
/// ([`crate::value::cycles`]), and the length, which never changes: an
/// index is checked without taking the lock, so that reading or writing
/// an element takes it once. (Only the cycle collector empties the
/// cells, of an array nobody can reach any more; reads and writes still
/// look at the cells' own length.)
pub struct Array(StateLock<Vec<Value>>, Mark, usize);

/// `<Kind [a, b]>`, or `<Kind ...>` inside itself (or if `items` could
/// not be read). `forms` are the texts `<Kind [`, `<Kind ...>`.
pub(super) fn show_items(
    key: usize,
    [open, inside]: [&'static str; 2],
    items: Option<Vec<Value>>,
) -> Shown {
    let parts = match items {
        Some(items) => vec![Part::Text(open), Part::Seq(items), Part::Text("]>")],
        None => vec![Part::Text(inside)],
    };
    Shown { key, inside, parts }
}

impl Drop for Array {
    /// Elements may be deep values: released without recursion.
    fn drop(&mut self) {
        crate::value::unwind::release_all(self.0.get_mut().iter_mut());
    }
}

impl Array {
    pub fn from_vec(items: Vec<Value>) -> Value {
        let len = items.len();
        Object::value(Array(StateLock::new(items), Mark::default(), len))
    }

    fn len(&self) -> usize {
        self.2
    }
}

impl Kind for Array {
    const NAME: &'static str = "Array";
    fn methods() -> &'static [Entry<Self>] {
        &[]
    }
    fn show(this: &Arc<Self>) -> Option<Shown> {
        Some(show_items(
            Arc::as_ptr(this) as usize,
            ["<Array [", "<Array ...>"],
            lock_to_print(&this.0).map(|items| items.clone()),
        ))
    }
    fn peek(this: &Arc<Self>, args: &[Value]) -> Peek {
        // Taking an element reference reads nothing and changes nothing.
        Peek::Now(Array::element(this, args))
    }
    fn call(this: &Arc<Self>, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Array::element(this, args)
    }
    fn peek_read(this: &Arc<Self>, args: &[Value]) -> Option<Outcome> {
        // `a(i)?`: the element itself, with the errors of `a(i)`.
        let i = match Array::index(args, this.len()) {
            Ok(i) => i,
            Err(e) => return Some(Outcome::Error(e)),
        };
        let items = lock(&this.0);
        Some(match items.get(i) {
            Some(v) => Outcome::Publish(v.copied()),
            None => Outcome::Publish(Value::Null),
        })
    }
    fn call_member_of(
        this: &Arc<Self>,
        args: &[Value],
        name: &str,
        member_args: &[Value],
        cx: &mut SiteCx<'_>,
    ) -> Option<Outcome> {
        // `a(i)?`, `a(i) := v`: no element reference made to be dropped.
        // (A bad index is left to the ordinary way, which reports it.)
        let read = Element::read_method(name);
        if read.is_none() && name != "write" {
            return None;
        }
        let index = Array::index(args, this.len()).ok()?;
        // (Each arm's outcome goes straight into the answer: joined in
        // one `match` and then wrapped, it was copied through the stack
        // right after the call wrote it, a store-forwarding stall.)
        match read {
            Some(read) => Some(Element::read_at(this, index, read, member_args)),
            None => Some(Element::write_at(this, index, member_args, cx)),
        }
    }
    fn other_member(this: &Arc<Self>, name: &str) -> Option<Value> {
        (name == "length").then(|| Object::value(Length(this.clone())))
    }
    fn trace(&self, tracer: &mut Tracer<'_>) {
        lock(&self.0).iter().for_each(|v| tracer.value(v));
    }
    fn clear(&self, trash: &mut Trash) {
        let cells = std::mem::take(&mut *lock(&self.0));
        trash.push(cells);
    }
    fn weight(&self) -> usize {
        1 + self.len()
    }
}

impl Array {
    /// `a(i)`: the reference to element `i`.
    fn element(this: &Arc<Self>, args: &[Value]) -> Outcome {
        checked(Array::index(args, this.len()).map(|index| {
            Outcome::Publish(Value::Site(Arc::new(ElementRef(Element {
                array: this.clone(),
                index,
            }))))
        }))
    }

    /// The index `a(i)` names, checked against the array's length.
    fn index(args: &[Value], len: usize) -> Result<usize, SiteError> {
        super::util::index_arg("Array", args, len)
    }
}

/// `a(i)`: a reference to one element of an array.
pub struct Element {
    array: Arc<Array>,
    index: usize,
}

impl Element {
    /// The reading methods (`read`, `readD`, `readnb`, all at once on an
    /// array): the name their errors give, `None` for any other name.
    fn read_method(name: &str) -> Option<&'static str> {
        match name {
            "read" => Some("Array element read"),
            "readD" => Some("Array element readD"),
            "readnb" => Some("Array element readnb"),
            _ => None,
        }
    }

    fn read(this: &Element, name: &str, args: &[Value]) -> Outcome {
        Element::read_at(&this.array, this.index, name, args)
    }

    fn write(this: &Element, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        Element::write_at(&this.array, this.index, args, cx)
    }

    /// Reading element `index` of `array`, whether through a reference
    /// (`r?`) or fused with taking it (`a(i)?`).
    /// (The outcome is made in place in each arm: made through `checked`
    /// and a `map`, it was copied whole right after being written in
    /// parts, a store-forwarding stall.)
    #[inline]
    fn read_at(array: &Array, index: usize, name: &str, args: &[Value]) -> Outcome {
        if let Err(e) = arity::<0>(name, args) {
            return Outcome::Error(e);
        }
        let items = lock(&array.0);
        match items.get(index) {
            Some(v) => Outcome::Publish(v.copied()),
            // (Emptied by the cycle collector.)
            None => Outcome::Publish(Value::Null),
        }
    }

    /// Writing element `index` of `array` (`r := v`, `a(i) := v`).
    #[inline]
    fn write_at(array: &Arc<Array>, index: usize, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        let [v] = match arity::<1>("Array element write", args) {
            Ok(v) => v,
            Err(e) => return Outcome::Error(e),
        };
        let old = lock(&array.0)
            .get_mut(index)
            .map(|slot| std::mem::replace(slot, v.copied()));
        drop(old);
        cx.track(array, &array.1, v);
        Outcome::Publish(Value::Signal)
    }
}

impl Kind for Element {
    const NAME: &'static str = "Array element";
    fn methods() -> &'static [Entry<Self>] {
        const M: &[Entry<Element>] = &[
            method!("Array element", "read", |e, a, _| Element::read(
                e,
                "Array element read",
                a
            )),
            method!("Array element", "readD", |e, a, _| Element::read(
                e,
                "Array element readD",
                a
            )),
            method!("Array element", "readnb", |e, a, _| {
                Element::read(e, "Array element readnb", a)
            }),
            method!("Array element", "write", |e, a, cx| Element::write(
                e, a, cx
            )),
        ];
        M
    }
    fn display(&self) -> String {
        format!("<Array element {}>", self.index)
    }
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.container(&self.array);
    }
}

/// `a(i)` as a value: an [`Element`] that is a site itself (one allocation
/// per element reference; its methods are answered without being built).
pub struct ElementRef(Element);

impl ElementRef {
    /// The element as a library object, whose methods can be taken as
    /// values (`a(i).read`).
    fn object(&self) -> Object<Element> {
        Object(Arc::new(Element {
            array: self.0.array.clone(),
            index: self.0.index,
        }))
    }
}

site!(impl ElementRef {
    fn name(&self) -> &str {
        Element::NAME
    }
    fn display_name(&self) -> String {
        self.0.display()
    }
    fn call(&self, args: &[Value], cx: &mut SiteCx<'_>) -> Outcome {
        self.object().call(args, cx)
    }
    fn member(&self, name: &str) -> Option<Value> {
        self.object().member(name)
    }
    call_member!(|self, name, _hint, args, cx| {
        Some(match Element::read_method(name) {
            Some(read) => Element::read(&self.0, read, args),
            None if name == "write" => Element::write(&self.0, args, cx),
            None => return None,
        })
    });
    fn peek_member(&self, name: &str, args: &[Value]) -> Peek {
        match Element::read_method(name) {
            Some(read) => Peek::Now(Element::read(&self.0, read, args)),
            None => Peek::Effect,
        }
    }
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.container(&self.0.array);
    }
});

/// `a.length`: read with `a.length?` (or called, `a.length()`).
pub struct Length(Arc<Array>);

impl Length {
    fn get(this: &Arc<Self>, name: &str, args: &[Value]) -> Outcome {
        checked(arity::<0>(name, args).map(|_| Outcome::Publish(Value::Int(this.0.len() as i64))))
    }
}

impl Kind for Length {
    const NAME: &'static str = "Array.length";
    fn methods() -> &'static [Entry<Self>] {
        const M: &[Entry<Length>] = &[
            method!("Array.length", "read" => Length::get),
            method!("Array.length", "readD" => Length::get),
        ];
        M
    }
    fn call(this: &Arc<Self>, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Length::get(this, "Array.length", args)
    }
    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.container(&self.0);
    }
}

/// The initial element for `Array(n, type)`, as Java initialises arrays of
/// that primitive type.
fn primitive_zero(ty: &str) -> Option<Value> {
    Some(match ty {
        "double" | "float" => Value::decimal(Decimal::new(BigInt::from(0), 1)),
        "long" | "int" | "short" | "byte" => Value::Int(0),
        "boolean" => Value::Bool(false),
        "char" => Value::str("\0"),
        _ => return None,
    })
}

fn make_array(args: &[Value]) -> Result<Value, SiteError> {
    let (n, init) = match args {
        [n] => (n, Value::Null),
        [n, ty] => {
            let ty = str_arg("Array", ty)?;
            let init = primitive_zero(ty).ok_or_else(|| {
                SiteError::new(format!(
                    "Array: unknown element type \"{ty}\" (expected one of double, float, \
                     long, int, short, byte, char, boolean)"
                ))
            })?;
            (n, init)
        }
        _ => {
            return Err(SiteError::new(format!(
                "Array expects 1 or 2 arguments (a size and optionally an element type), \
                 but was called with {}",
                args.len()
            )))
        }
    };
    let n = int_arg("Array", n)?;
    if n < 0 {
        return Err(SiteError::new(format!(
            "Array expects a non-negative size, but got {n}"
        )));
    }
    // Refuse sizes that could not be allocated rather than abort.
    if n > (1 << 28) {
        return Err(SiteError::new(format!("Array: size {n} is too large")));
    }
    let n = n as usize;
    crate::value::limits::check_memory(&format!("Array({n})"), n * size_of::<Value>())
        .map_err(SiteError::new)?;
    Ok(Array::from_vec(vec![init; n]))
}

// ---------------------------------------------------------------- Dictionary

/// Field names and their refs, in order of first access.
#[derive(Default)]
pub struct Dictionary(StateLock<Vec<(Arc<str>, Value)>>);

impl Drop for Dictionary {
    fn drop(&mut self) {
        crate::value::unwind::release_all(self.0.get_mut().iter_mut().map(|(_, v)| v));
    }
}

impl Kind for Dictionary {
    const NAME: &'static str = "Dictionary";
    fn methods() -> &'static [Entry<Self>] {
        &[]
    }
    fn other_member(this: &Arc<Self>, name: &str) -> Option<Value> {
        let mut fields = lock(&this.0);
        if let Some((_, r)) = fields.iter().find(|(n, _)| &**n == name) {
            return Some(r.clone());
        }
        let r = Object::value(RefState::new(None));
        fields.push((Arc::from(name), r.clone()));
        Some(r)
    }
    fn display(&self) -> String {
        let fields = lock(&self.0);
        let names: Vec<&str> = fields.iter().map(|(n, _)| &**n).collect();
        format!("<Dictionary {}>", names.join(", "))
    }
    /// Its refs. (A dictionary only ever adds refs it makes, newer than
    /// itself, so it never closes a cycle: the refs do, and join the
    /// registry when written.)
    fn trace(&self, tracer: &mut Tracer<'_>) {
        lock(&self.0).iter().for_each(|(_, v)| tracer.value(v));
    }
    fn clear(&self, trash: &mut Trash) {
        let fields = std::mem::take(&mut *lock(&self.0));
        trash.push(fields);
    }
}

pub fn sites() -> Vec<(&'static str, Value)> {
    vec![func("Array", make_array), maker::<Dictionary>()]
}
