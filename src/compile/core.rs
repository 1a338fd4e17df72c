//! The core calculus: the small language every Orc program is lowered to.
//!
//! Only these forms remain after desugaring: `stop`, constants, variables,
//! calls with atomic arguments, field access, the four combinators, `{| |}`,
//! groups of mutually recursive definitions, and pattern matching. Names are
//! still strings here; [`super::resolve`] turns them into slots.
//! [`Core::pretty`] prints a compact form used by the desugaring tests.
//!
//! A core term is as deep as the program (each `val` nests the rest of the
//! program one level deeper), so nothing here recurses over it: `Drop`,
//! [`Core::mentions`] and [`Core::pretty`] work with worklists. Patterns
//! are bounded by the parser, but [`CorePat::bound_names`] needs no
//! recursion either.

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
    /// A `site` that publishes once: a method of a `def class`.
    pub once: bool,
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
        // What is left to look at, innermost last; `Err(n)` is the name of
        // an `as`, bound after its pattern's names.
        let mut todo: Vec<Result<&CorePat, &Name>> = vec![Ok(self)];
        while let Some(item) = todo.pop() {
            let p = match item {
                Ok(p) => p,
                Err(n) => {
                    out.push(n.clone());
                    continue;
                }
            };
            match p {
                CorePat::Wildcard | CorePat::Const(_) => {}
                CorePat::Bind(n) => out.push(n.clone()),
                CorePat::Tuple(ps) | CorePat::List(ps) | CorePat::Call(_, ps) => {
                    todo.extend(ps.iter().rev().map(Ok))
                }
                CorePat::Cons(h, t) => {
                    todo.push(Ok(t));
                    todo.push(Ok(h));
                }
                CorePat::Record(fs) => todo.extend(fs.iter().rev().map(|(_, p)| Ok(p))),
                CorePat::As(p, n) => {
                    todo.push(Err(n));
                    todo.push(Ok(p));
                }
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
        self.may_mention(name, usize::MAX)
    }

    /// [`Core::mentions`], looking at no more than `limit` nodes: past
    /// that it answers `true` (it may).
    pub fn may_mention(&self, name: &str, limit: usize) -> bool {
        let bound = |x: &Option<Name>| x.as_deref() == Some(name);
        let mut todo = vec![self];
        let mut seen = 0usize;
        while let Some(core) = todo.pop() {
            seen += 1;
            if seen > limit {
                return true;
            }
            let found = match core {
                Core::Stop | Core::Const(_) => false,
                Core::Var(n, _) => n == name,
                Core::Call { target, args, .. } => {
                    target.is_var(name) || args.iter().any(|a| a.is_var(name))
                }
                Core::Field { target, .. } => target.is_var(name),
                Core::Parallel(l, r) | Core::Otherwise(l, r) => {
                    todo.push(r);
                    todo.push(l);
                    false
                }
                Core::Sequential(l, x, r) | Core::Pruning(l, x, r) => {
                    todo.push(r);
                    todo.push(l);
                    bound(x)
                }
                Core::Trim(e) => {
                    todo.push(e);
                    false
                }
                Core::Defs(defs, body) => {
                    todo.push(body);
                    todo.extend(defs.iter().map(|d| &d.body));
                    defs.iter()
                        .any(|d| d.name == name || d.params.iter().any(|p| p == name))
                }
                Core::Match {
                    scrutinees,
                    patterns,
                    then,
                    otherwise,
                    ..
                } => {
                    todo.push(otherwise);
                    todo.push(then);
                    scrutinees.iter().any(|a| a.is_var(name))
                        || patterns.iter().any(|p| p.mentions(name))
                }
            };
            if found {
                return true;
            }
        }
        false
    }

    /// A compact, fully parenthesised rendering, e.g.
    /// `((1 | 2) >x> +(x, 1))`.
    pub fn pretty(&self) -> String {
        /// What is left to print, next last.
        enum Piece<'c> {
            Core(&'c Core),
            Text(&'static str),
            Owned(String),
        }
        let mut out = String::new();
        let mut todo = vec![Piece::Core(self)];
        while let Some(piece) = todo.pop() {
            let core = match piece {
                Piece::Core(core) => core,
                Piece::Text(t) => {
                    out.push_str(t);
                    continue;
                }
                Piece::Owned(t) => {
                    out.push_str(&t);
                    continue;
                }
            };
            // The pieces of a composite node, in printing order.
            let mut parts: Vec<Piece> = Vec::new();
            match core {
                Core::Stop => out.push_str("stop"),
                Core::Const(v) => {
                    let _ = write!(out, "{v}");
                }
                Core::Var(n, _) => out.push_str(n),
                Core::Call { target, args, .. } => {
                    target.pretty(&mut out);
                    out.push('(');
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        a.pretty(&mut out);
                    }
                    out.push(')');
                }
                Core::Field { target, name, .. } => {
                    target.pretty(&mut out);
                    out.push('.');
                    out.push_str(name);
                }
                Core::Parallel(l, r) => bin(&mut parts, l, Piece::Text(" | "), r),
                Core::Sequential(l, x, r) => {
                    let op = format!(" >{}> ", x.as_deref().unwrap_or(""));
                    bin(&mut parts, l, Piece::Owned(op), r)
                }
                Core::Pruning(l, x, r) => {
                    let op = format!(" <{}< ", x.as_deref().unwrap_or(""));
                    bin(&mut parts, l, Piece::Owned(op), r)
                }
                Core::Otherwise(l, r) => bin(&mut parts, l, Piece::Text(" ; "), r),
                Core::Trim(e) => {
                    parts.push(Piece::Text("{| "));
                    parts.push(Piece::Core(e));
                    parts.push(Piece::Text(" |}"));
                }
                Core::Defs(defs, body) => {
                    parts.push(Piece::Text("("));
                    for d in defs {
                        let keyword = if d.site { "site" } else { "def" };
                        let head = format!("{keyword} {}({}) = ", d.name, d.params.join(", "));
                        parts.push(Piece::Owned(head));
                        parts.push(Piece::Core(&d.body));
                        parts.push(Piece::Text(" "));
                    }
                    parts.push(Piece::Text("# "));
                    parts.push(Piece::Core(body));
                    parts.push(Piece::Text(")"));
                }
                Core::Match {
                    scrutinees,
                    patterns,
                    then,
                    otherwise,
                    ..
                } => {
                    let mut head = String::from("match(");
                    for (i, (s, p)) in scrutinees.iter().zip(patterns).enumerate() {
                        if i > 0 {
                            head.push_str(", ");
                        }
                        s.pretty(&mut head);
                        head.push_str(" ~ ");
                        p.pretty(&mut head);
                    }
                    head.push_str(" => ");
                    parts.push(Piece::Owned(head));
                    parts.push(Piece::Core(then));
                    parts.push(Piece::Text(" else "));
                    parts.push(Piece::Core(otherwise));
                    parts.push(Piece::Text(")"));
                }
            }
            todo.extend(parts.into_iter().rev());
        }
        return out;

        fn bin<'c>(parts: &mut Vec<Piece<'c>>, l: &'c Core, op: Piece<'c>, r: &'c Core) {
            parts.push(Piece::Text("("));
            parts.push(Piece::Core(l));
            parts.push(op);
            parts.push(Piece::Core(r));
            parts.push(Piece::Text(")"));
        }
    }

    /// Whether the node has no subterms.
    fn is_leaf(&self) -> bool {
        matches!(
            self,
            Core::Stop | Core::Const(_) | Core::Var(..) | Core::Call { .. } | Core::Field { .. }
        )
    }

    /// Calls `f` on each direct subterm.
    fn for_each_subterm(&mut self, mut f: impl FnMut(&mut Core)) {
        match self {
            Core::Parallel(l, r)
            | Core::Sequential(l, _, r)
            | Core::Pruning(l, _, r)
            | Core::Otherwise(l, r)
            | Core::Match {
                then: l,
                otherwise: r,
                ..
            } => {
                f(l);
                f(r);
            }
            Core::Trim(e) => f(e),
            Core::Defs(defs, body) => {
                defs.iter_mut().for_each(|d| f(&mut d.body));
                f(body);
            }
            _ => {}
        }
    }

    /// Whether dropping it recursively goes at most one level down.
    fn is_shallow(&mut self) -> bool {
        let mut shallow = true;
        self.for_each_subterm(|c| shallow &= c.is_leaf());
        shallow
    }

    /// Moves the subterms that have subterms of their own to `out`,
    /// leaving `stop` in their place.
    fn take_subterms(&mut self, out: &mut Vec<Core>) {
        self.for_each_subterm(|c| {
            if !c.is_leaf() {
                out.push(std::mem::replace(c, Core::Stop));
            }
        });
    }
}

/// Taken apart with a worklist: a core term may be as deep as its program.
impl Drop for Core {
    fn drop(&mut self) {
        if self.is_shallow() {
            return;
        }
        let mut todo = Vec::new();
        self.take_subterms(&mut todo);
        while let Some(mut core) = todo.pop() {
            core.take_subterms(&mut todo);
        }
    }
}
