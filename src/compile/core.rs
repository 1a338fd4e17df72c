//! The core calculus: the small language every Orc program is lowered to.
//!
//! Only these forms remain after desugaring: `stop`, constants, variables,
//! calls with atomic arguments, field access, the four combinators, `{| |}`,
//! groups of mutually recursive definitions, and pattern matching. Names are
//! still strings here; [`super::resolve`] turns them into slots.
//! [`Core::pretty`] prints a compact form used by the desugaring tests.

use crate::diagnostics::Span;
use crate::value::Value;
use std::fmt::Write;

pub type Name = String;

/// A call argument: a variable or a constant.
#[derive(Clone, Debug)]
pub enum Atom {
    Var(Name, Span),
    Const(Value),
}

#[derive(Clone, Debug)]
pub enum Core {
    Stop,
    Const(Value),
    Var(Name, Span),
    Call {
        target: Atom,
        args: Vec<Atom>,
        span: Span,
    },
    Field {
        target: Atom,
        name: String,
        span: Span,
    },
    Parallel(Box<Core>, Box<Core>),
    /// `left >x> right` (`None`: the publication is not bound).
    Sequential(Box<Core>, Option<Name>, Box<Core>),
    /// `left <x< right` (`None`: nothing is bound).
    Pruning(Box<Core>, Option<Name>, Box<Core>),
    Otherwise(Box<Core>, Box<Core>),
    Trim(Box<Core>),
    Defs(Vec<Def>, Box<Core>),
    Match {
        scrutinees: Vec<Atom>,
        patterns: Vec<CorePat>,
        then: Box<Core>,
        otherwise: Box<Core>,
        span: Span,
    },
}

#[derive(Clone, Debug)]
pub struct Def {
    pub name: Name,
    pub params: Vec<Name>,
    pub body: Core,
    pub span: Span,
    /// Declared with `site`: called strictly, and its body runs in the
    /// declaring scope rather than the caller's.
    pub site: bool,
}

#[derive(Clone, Debug)]
pub enum CorePat {
    Wildcard,
    Bind(Name),
    Const(Value),
    Tuple(Vec<CorePat>),
    List(Vec<CorePat>),
    Cons(Box<CorePat>, Box<CorePat>),
    Record(Vec<(String, CorePat)>),
    Call(Atom, Vec<CorePat>),
    As(Box<CorePat>, Name),
}

impl CorePat {
    /// The names the pattern binds, in binding order.
    pub fn bound_names(&self, out: &mut Vec<Name>) {
        match self {
            CorePat::Wildcard | CorePat::Const(_) => {}
            CorePat::Bind(n) => out.push(n.clone()),
            CorePat::Tuple(ps) | CorePat::List(ps) | CorePat::Call(_, ps) => {
                ps.iter().for_each(|p| p.bound_names(out))
            }
            CorePat::Cons(h, t) => {
                h.bound_names(out);
                t.bound_names(out);
            }
            CorePat::Record(fs) => fs.iter().for_each(|(_, p)| p.bound_names(out)),
            CorePat::As(p, n) => {
                p.bound_names(out);
                out.push(n.clone());
            }
        }
    }
}

impl Atom {
    fn pretty(&self, out: &mut String) {
        match self {
            Atom::Var(n, _) => out.push_str(n),
            Atom::Const(v) => {
                let _ = write!(out, "{v}");
            }
        }
    }
}

impl CorePat {
    fn pretty(&self, out: &mut String) {
        match self {
            CorePat::Wildcard => out.push('_'),
            CorePat::Bind(n) => out.push_str(n),
            CorePat::Const(v) => {
                let _ = write!(out, "{v}");
            }
            CorePat::Tuple(ps) => list(out, "(", ps, ")"),
            CorePat::List(ps) => list(out, "[", ps, "]"),
            CorePat::Cons(h, t) => {
                out.push('(');
                h.pretty(out);
                out.push(':');
                t.pretty(out);
                out.push(')');
            }
            CorePat::Record(fs) => {
                out.push_str("{.");
                for (i, (n, p)) in fs.iter().enumerate() {
                    out.push_str(if i == 0 { " " } else { ", " });
                    out.push_str(n);
                    out.push_str(" = ");
                    p.pretty(out);
                }
                out.push_str(" .}");
            }
            CorePat::Call(a, ps) => {
                a.pretty(out);
                list(out, "(", ps, ")");
            }
            CorePat::As(p, n) => {
                p.pretty(out);
                out.push_str(" as ");
                out.push_str(n);
            }
        }
    }
}

fn list(out: &mut String, open: &str, ps: &[CorePat], close: &str) {
    out.push_str(open);
    for (i, p) in ps.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        p.pretty(out);
    }
    out.push_str(close);
}

impl Atom {
    pub fn is_var(&self, name: &str) -> bool {
        matches!(self, Atom::Var(n, _) if n == name)
    }
}

impl CorePat {
    fn mentions(&self, name: &str) -> bool {
        match self {
            CorePat::Wildcard | CorePat::Const(_) => false,
            CorePat::Bind(n) => n == name,
            CorePat::Tuple(ps) | CorePat::List(ps) => ps.iter().any(|p| p.mentions(name)),
            CorePat::Cons(h, t) => h.mentions(name) || t.mentions(name),
            CorePat::Record(fs) => fs.iter().any(|(_, p)| p.mentions(name)),
            CorePat::Call(a, ps) => a.is_var(name) || ps.iter().any(|p| p.mentions(name)),
            CorePat::As(p, n) => n == name || p.mentions(name),
        }
    }
}

impl Core {
    /// Whether `name` occurs anywhere in the expression, bound or free
    /// (so `false` means the expression cannot read a variable of that
    /// name).
    pub fn mentions(&self, name: &str) -> bool {
        let bound = |x: &Option<Name>| x.as_deref() == Some(name);
        match self {
            Core::Stop | Core::Const(_) => false,
            Core::Var(n, _) => n == name,
            Core::Call { target, args, .. } => {
                target.is_var(name) || args.iter().any(|a| a.is_var(name))
            }
            Core::Field { target, .. } => target.is_var(name),
            Core::Parallel(l, r) | Core::Otherwise(l, r) => l.mentions(name) || r.mentions(name),
            Core::Sequential(l, x, r) | Core::Pruning(l, x, r) => {
                bound(x) || l.mentions(name) || r.mentions(name)
            }
            Core::Trim(e) => e.mentions(name),
            Core::Defs(defs, body) => {
                body.mentions(name)
                    || defs.iter().any(|d| {
                        d.name == name
                            || d.params.iter().any(|p| p == name)
                            || d.body.mentions(name)
                    })
            }
            Core::Match {
                scrutinees,
                patterns,
                then,
                otherwise,
                ..
            } => {
                scrutinees.iter().any(|a| a.is_var(name))
                    || patterns.iter().any(|p| p.mentions(name))
                    || then.mentions(name)
                    || otherwise.mentions(name)
            }
        }
    }

    /// A compact, fully parenthesised rendering, e.g.
    /// `((1 | 2) >x> +(x, 1))`.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Core::Stop => out.push_str("stop"),
            Core::Const(v) => {
                let _ = write!(out, "{v}");
            }
            Core::Var(n, _) => out.push_str(n),
            Core::Call { target, args, .. } => {
                target.pretty(out);
                out.push('(');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    a.pretty(out);
                }
                out.push(')');
            }
            Core::Field { target, name, .. } => {
                target.pretty(out);
                out.push('.');
                out.push_str(name);
            }
            Core::Parallel(l, r) => bin(out, l, " | ", r),
            Core::Sequential(l, x, r) => {
                bin(out, l, &format!(" >{}> ", x.as_deref().unwrap_or("")), r)
            }
            Core::Pruning(l, x, r) => {
                bin(out, l, &format!(" <{}< ", x.as_deref().unwrap_or("")), r)
            }
            Core::Otherwise(l, r) => bin(out, l, " ; ", r),
            Core::Trim(e) => {
                out.push_str("{| ");
                e.write(out);
                out.push_str(" |}");
            }
            Core::Defs(defs, body) => {
                out.push('(');
                for d in defs {
                    let keyword = if d.site { "site" } else { "def" };
                    let _ = write!(out, "{keyword} {}({}) = ", d.name, d.params.join(", "));
                    d.body.write(out);
                    out.push(' ');
                }
                out.push_str("# ");
                body.write(out);
                out.push(')');
            }
            Core::Match {
                scrutinees,
                patterns,
                then,
                otherwise,
                ..
            } => {
                out.push_str("match(");
                for (i, (s, p)) in scrutinees.iter().zip(patterns).enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    s.pretty(out);
                    out.push_str(" ~ ");
                    p.pretty(out);
                }
                out.push_str(" => ");
                then.write(out);
                out.push_str(" else ");
                otherwise.write(out);
                out.push(')');
            }
        }
    }
}

fn bin(out: &mut String, l: &Core, op: &str, r: &Core) {
    out.push('(');
    l.write(out);
    out.push_str(op);
    r.write(out);
    out.push(')');
}
