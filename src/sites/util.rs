//! Helpers for writing sites: argument checking and simple function sites.

use crate::runtime::site::{Outcome, Site, SiteCx, SiteError};
use crate::value::Value;
use std::any::Any;

/// Checks the argument count: `Err` names the site and what it expects.
pub fn arity<'a, const N: usize>(
    name: &str,
    args: &'a [Value],
) -> Result<&'a [Value; N], SiteError> {
    args.try_into().map_err(|_| {
        SiteError::new(format!(
            "{name} expects {N} argument{}, but was called with {}",
            if N == 1 { "" } else { "s" },
            args.len()
        ))
    })
}

/// A type error in an argument.
pub fn expected(name: &str, what: &str, got: &Value) -> SiteError {
    SiteError::new(format!(
        "{name} expects {what}, but got {} {}",
        got.type_name(),
        crate::value::limits::shown(got)
    ))
}

pub fn int_arg(name: &str, v: &Value) -> Result<i64, SiteError> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(expected(name, "an integer", other)),
    }
}

pub fn str_arg<'a>(name: &str, v: &'a Value) -> Result<&'a str, SiteError> {
    v.as_str().ok_or_else(|| expected(name, "a string", v))
}

pub fn bool_arg(name: &str, v: &Value) -> Result<bool, SiteError> {
    v.as_bool().ok_or_else(|| expected(name, "a boolean", v))
}

/// A site that is a pure function of its arguments.
pub struct Func {
    pub name: &'static str,
    pub f: fn(&[Value]) -> Result<Value, SiteError>,
}

impl Site for Func {
    fn name(&self) -> &str {
        self.name
    }
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        (self.f)(args).into()
    }
    fn is_immediate(&self) -> bool {
        true
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A [`Func`] that is also pure ([`Site::is_pure`]): its result depends
/// only on its arguments and holds no state (arithmetic, not `Channel()`).
pub struct PureFunc {
    pub name: &'static str,
    pub f: fn(&[Value]) -> Result<Value, SiteError>,
}

impl Site for PureFunc {
    fn name(&self) -> &str {
        self.name
    }
    fn call(&self, args: &[Value], _cx: &mut SiteCx<'_>) -> Outcome {
        (self.f)(args).into()
    }
    fn is_immediate(&self) -> bool {
        true
    }
    fn is_pure(&self) -> bool {
        true
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The index `x(i)` names in an array or tuple (`kind`) of `len`
/// elements: one integer argument, from 0 to `len - 1`.
pub fn index_arg(kind: &str, args: &[Value], len: usize) -> Result<usize, SiteError> {
    arity::<1>(kind, args).and_then(|[i]| match i {
        Value::Int(i) if (0..len as i64).contains(i) => Ok(*i as usize),
        Value::Int(_) | Value::BigInt(_) => Err(SiteError::new(format!(
            "{kind} index out of bounds: {i} (the {} has length {len})",
            kind.to_lowercase()
        ))),
        other => Err(expected(kind, "an integer index", other)),
    })
}
