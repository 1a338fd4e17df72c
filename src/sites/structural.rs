//! Sites the desugarer calls directly (programs cannot rebind them):
//! constructors for tuples, lists, records and datatype values, and the
//! conditionals `Ift`/`Iff`.

use super::util::{call_member, site};
use crate::value::site::{Outcome, Site, SiteCx, SiteError};
use crate::value::{Constructor, Data, Record, Value};
use std::sync::{Arc, OnceLock};

pub struct MakeTuple;
site!(impl MakeTuple as "Tuple": immediate, pure {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Publish(match args {
            [one] => one.clone(),
            _ => Value::tuple(args.to_vec()),
        })
    }
});

pub struct MakeList;
site!(impl MakeList as "List": immediate, pure {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        Outcome::Publish(Value::list(args.to_vec()))
    }
});

pub struct MakeRecord {
    pub names: Vec<Arc<str>>,
}
site!(impl MakeRecord as "Record": immediate, pure {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        let mut r = Record::default();
        for (n, v) in self.names.iter().zip(args) {
            match r.fields.iter_mut().find(|(m, _)| m == n) {
                Some(slot) => slot.1 = v.clone(),
                None => r.fields.push((n.clone(), v.clone())),
            }
        }
        Outcome::Publish(Value::Record(Arc::new(r)))
    }
});

fn condition(name: &str, args: &[Value], publish_on: bool) -> Outcome {
    match args {
        [Value::Bool(b)] => {
            if *b == publish_on {
                Outcome::Publish(Value::Signal)
            } else {
                Outcome::Halt
            }
        }
        [other] => Outcome::Error(SiteError::new(format!(
            "{name} expects a boolean, but got {} {}",
            other.type_name(),
            crate::value::limits::shown(other)
        ))),
        _ => Outcome::Error(SiteError::new(format!(
            "{name} expects 1 argument, but was called with {}",
            args.len()
        ))),
    }
}

/// Publishes `signal` if its argument is true, halts if false.
pub struct Ift;
site!(impl Ift as "Ift": immediate, pure {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        condition("Ift", args, true)
    }
});

/// Publishes `signal` if its argument is false, halts if true.
pub struct Iff;
site!(impl Iff as "Iff": immediate, pure {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        condition("Iff", args, false)
    }
});

/// A datatype constructor: builds values and takes them apart in patterns.
/// The second field is the one value of a constructor without fields,
/// made once: `None()` is called at every timeout that fires.
pub struct DataConstructor(pub Arc<Constructor>, Option<Value>);

impl DataConstructor {
    pub fn new(name: &str, arity: usize) -> DataConstructor {
        let constructor = Arc::new(Constructor {
            name: Arc::from(name),
            arity,
        });
        let nullary = (arity == 0).then(|| {
            Value::Data(Arc::new(Data {
                constructor: constructor.clone(),
                fields: Box::default(),
            }))
        });
        DataConstructor(constructor, nullary)
    }
}

site!(impl DataConstructor: immediate, pure {
    fn name(&self) -> &str {
        &self.0.name
    }
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        if args.len() != self.0.arity {
            return Outcome::Error(SiteError::new(format!(
                "{} expects {} argument{}, but was called with {}",
                self.0.name,
                self.0.arity,
                if self.0.arity == 1 { "" } else { "s" },
                args.len()
            )));
        }
        if let Some(v) = &self.1 {
            return Outcome::Publish(v.clone());
        }
        Outcome::Publish(Value::Data(Arc::new(Data {
            constructor: self.0.clone(),
            fields: args.into(),
        })))
    }
    fn unapply(&self, value: &Value) -> Result<Option<Vec<Value>>, SiteError> {
        Ok(match value {
            Value::Data(d) if Arc::ptr_eq(&d.constructor, &self.0) => Some(d.fields.to_vec()),
            _ => None,
        })
    }
    call_member!(|self, name, _hint, args, _cx| {
        // `C.unapply(v)`, how a call pattern matches: no member built.
        (name == "unapply").then(|| unapply_call(self, args))
    });
    fn site_eq(&self, other: &dyn Site) -> bool {
        other
            .as_any()
            .downcast_ref::<DataConstructor>()
            .is_some_and(|o| Arc::ptr_eq(&o.0, &self.0))
    }
});

/// `C.unapply`, for a site `C` that takes values apart in call patterns
/// (a datatype constructor): `C.unapply(v)` publishes `v`'s parts (one
/// part as itself, several as a tuple, none as `signal`) or halts when `v`
/// was not made by `C`. A call pattern outside a definition's clauses is
/// matched through it, as through any value's `unapply` member.
pub struct UnapplyMember(pub Arc<dyn Site>);

site!(impl UnapplyMember as "unapply": immediate, pure {
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        unapply_call(&*self.0, args)
    }
});

/// `constructor.unapply` as a value: see [`UnapplyMember`].
pub fn unapply_member(constructor: Arc<dyn Site>) -> Value {
    Value::Site(Arc::new(UnapplyMember(constructor)))
}

/// `constructor.unapply(args)`: see [`UnapplyMember`].
fn unapply_call(constructor: &dyn Site, args: &[Value]) -> Outcome {
    let [v] = args else {
        return Outcome::Error(SiteError::new(format!(
            "{}.unapply expects 1 argument, but was called with {}",
            constructor.name(),
            args.len()
        )));
    };
    match constructor.unapply(v) {
        Ok(Some(parts)) => Outcome::Publish(match parts.len() {
            0 => Value::Signal,
            1 => parts.into_iter().next().unwrap_or(Value::Signal),
            _ => Value::tuple(parts),
        }),
        Ok(None) => Outcome::Halt,
        Err(e) => Outcome::Error(e),
    }
}

/// The option constructors, shared process-wide so that `Some(x)` built
/// anywhere matches the pattern `Some(x)` anywhere.
pub fn some() -> &'static Arc<dyn Site> {
    static SOME: OnceLock<Arc<dyn Site>> = OnceLock::new();
    SOME.get_or_init(|| Arc::new(DataConstructor::new("Some", 1)))
}

pub fn none() -> &'static Arc<dyn Site> {
    static NONE: OnceLock<Arc<dyn Site>> = OnceLock::new();
    NONE.get_or_init(|| Arc::new(DataConstructor::new("None", 0)))
}
