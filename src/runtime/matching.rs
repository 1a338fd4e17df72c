//! Pattern matching against compiled patterns ([`Pat`]).
//!
//! Matching never blocks: the evaluator first waits for every scrutinee
//! whose pattern is strict, so futures only reach variable and wildcard
//! patterns, which bind them as they are.

use crate::value::code::{Operand, Pat};
use crate::value::env::Binding;
use crate::value::Value;

/// What is matched against one pattern: read in place where it can be.
pub enum Input<'a> {
    Value(&'a Value),
    /// A binding as it is: a future reaches only a variable or wildcard.
    Binding(&'a Binding),
    Owned(Value),
}

/// Matches each input against its pattern, pushing bindings in order.
/// `Ok(false)` on mismatch; `Err` when a pattern is unusable (e.g. a call
/// pattern naming something that is not a constructor).
pub fn match_all(
    patterns: &[Pat],
    inputs: &[Input<'_>],
    out: &mut Vec<Binding>,
    resolve: &dyn Fn(&Operand) -> Option<Value>,
) -> Result<bool, String> {
    for (p, input) in patterns.iter().zip(inputs) {
        let matched = match input {
            Input::Value(v) => match_value(p, v, out, resolve)?,
            Input::Owned(v) => match_value(p, v, out, resolve)?,
            Input::Binding(b) => match_binding(p, b, out, resolve)?,
        };
        if !matched {
            return Ok(false);
        }
    }
    Ok(true)
}

fn match_binding(
    p: &Pat,
    b: &Binding,
    out: &mut Vec<Binding>,
    resolve: &dyn Fn(&Operand) -> Option<Value>,
) -> Result<bool, String> {
    match p {
        Pat::Wildcard => Ok(true),
        Pat::Bind => {
            out.push(b.clone());
            Ok(true)
        }
        _ => match b {
            Binding::Value(v) => match_value(p, v, out, resolve),
            Binding::Future(f) => match f.get() {
                Some(Some(v)) => match_value(p, v, out, resolve),
                _ => Ok(false),
            },
        },
    }
}

/// Whether `v` matches `p`, for the simplest patterns only, which bind
/// nothing but the parts of a cons: `[]`, `x:xs` of variables or
/// wildcards (or an integer at the head, `0:_`), an integer constant
/// against an integer. `None` for any other
/// pattern or value (`match_value` then decides). The caller binds a
/// cons's parts itself.
#[inline(always)]
pub(crate) fn simple_test(p: &Pat, v: &Value) -> Option<bool> {
    let plain = |p: &Pat| matches!(p, Pat::Bind | Pat::Wildcard);
    match (p, v) {
        (Pat::List(ps), Value::List(l)) if ps.is_empty() => Some(l.is_empty()),
        (Pat::Cons(h, t), Value::List(l)) if plain(t) => match l.head_tail() {
            None => Some(false),
            Some(_) if plain(h) => Some(true),
            // (`0:_`, an integer at the head.)
            Some((head, _)) => simple_test(h, head).filter(|_| matches!(**h, Pat::Const(_))),
        },
        (Pat::Const(Value::Int(a)), Value::Int(b)) => Some(a == b),
        _ => None,
    }
}

/// Matches `v` against `p` (which reads `v` in place: only what a variable
/// binds is cloned).
pub fn match_value(
    p: &Pat,
    v: &Value,
    out: &mut Vec<Binding>,
    resolve: &dyn Fn(&Operand) -> Option<Value>,
) -> Result<bool, String> {
    match p {
        Pat::Wildcard => Ok(true),
        Pat::Bind => {
            out.push(Binding::Value(v.clone()));
            Ok(true)
        }
        Pat::Const(c) => Ok(match (c, v) {
            // (The commonest constant pattern, `def f(0) = ...`.)
            (Value::Int(a), Value::Int(b)) => a == b,
            _ => c.equals(v),
        }),
        Pat::Tuple(ps) => match v {
            Value::Tuple(items) if items.len() == ps.len() => {
                for (p, item) in ps.iter().zip(items.iter()) {
                    if !match_value(p, item, out, resolve)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            _ => Ok(false),
        },
        Pat::List(ps) => match v {
            Value::List(list) => {
                let mut cur = list;
                for p in ps.iter() {
                    let Some((h, t)) = cur.head_tail() else {
                        return Ok(false);
                    };
                    if !match_value(p, h, out, resolve)? {
                        return Ok(false);
                    }
                    cur = t;
                }
                Ok(cur.is_empty())
            }
            _ => Ok(false),
        },
        Pat::Cons(hp, tp) => match v {
            Value::List(list) => match list.head_tail() {
                Some((h, t)) => {
                    // (`x:xs`, the commonest: the head bound without
                    // matching it again.)
                    match &**hp {
                        Pat::Bind => out.push(Binding::Value(h.copied())),
                        Pat::Wildcard => {}
                        hp => {
                            if !match_value(hp, h, out, resolve)? {
                                return Ok(false);
                            }
                        }
                    }
                    match &**tp {
                        // The common cases, without making a value of the
                        // tail first.
                        Pat::Bind => {
                            out.push(Binding::Value(Value::List(t.clone())));
                            Ok(true)
                        }
                        Pat::Wildcard => Ok(true),
                        tp => match_value(tp, &Value::List(t.clone()), out, resolve),
                    }
                }
                None => Ok(false),
            },
            _ => Ok(false),
        },
        Pat::Record(fields) => match v {
            Value::Record(r) => {
                for (name, p) in fields.iter() {
                    match r.get(name) {
                        Some(fv) => {
                            if !match_value(p, fv, out, resolve)? {
                                return Ok(false);
                            }
                        }
                        None => return Ok(false),
                    }
                }
                Ok(true)
            }
            _ => Ok(false),
        },
        Pat::Call(op, ps) => {
            let Some(ctor) = resolve(op) else {
                return Err("the pattern's constructor is not available".to_string());
            };
            let Value::Site(site) = &ctor else {
                return Err(format!(
                    "{ctor} is not a constructor and cannot be used in a pattern"
                ));
            };
            match site.unapply(v).map_err(|e| e.to_string())? {
                None => Ok(false),
                Some(parts) => {
                    // `C(p)` against one part; `C(p, q)` against several, or
                    // against one tuple part (a site unapplying to a tuple).
                    let parts = if parts.len() == 1 && ps.len() > 1 {
                        match &parts[0] {
                            Value::Tuple(items) => items.to_vec(),
                            _ => parts,
                        }
                    } else {
                        parts
                    };
                    if parts.len() != ps.len() {
                        return Ok(false);
                    }
                    for (p, part) in ps.iter().zip(parts.iter()) {
                        if !match_value(p, part, out, resolve)? {
                            return Ok(false);
                        }
                    }
                    Ok(true)
                }
            }
        }
        Pat::As(inner) => {
            if !match_value(inner, v, out, resolve)? {
                return Ok(false);
            }
            out.push(Binding::Value(v.clone()));
            Ok(true)
        }
    }
}
