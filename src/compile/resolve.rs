//! Name resolution: named core → runtime [`Code`] with slots.
//!
//! Each name is looked up innermost first: the locals of the current
//! definition (each binder has a slot of its own in the definition's
//! activation record), the definitions of its own group
//! (siblings), its captured variables, then — by capturing them — the
//! enclosing definitions' names, and last the globals (built-in sites, the
//! prelude, earlier REPL declarations), which become constants. An unbound
//! name is a diagnostic at its use.

use super::core::{Atom, Core, CorePat, Def};
use crate::diagnostics::{Diagnostic, Span};
use crate::runtime::code::{calls_pure, is_functional, DefShape};
use crate::runtime::code::{Code, DefCode, DefGroup, Operand, Pat, Program, Slot, NO_SLOT};
use crate::value::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Names visible everywhere, bound to values.
pub type Globals = HashMap<String, Value>;

/// What a local name stands for.
enum Local {
    /// A slot of the activation record.
    Slot(u32),
    /// A constant: a variable bound to a value known when compiling
    /// (`val n = 503`, `x <x< None()`) is replaced by the value.
    Const(Value),
}

struct Frame {
    /// Local names in scope, innermost last.
    locals: Vec<(String, Local)>,
    /// The slots of the body's activation record so far.
    slots: u32,
    /// Slots whose binder's scope has ended and which no other token can
    /// still read: later binders may take them.
    free: Vec<u32>,
    /// Nodes resolved so far in this body that may start a token reading
    /// the record as it is (the right side of a pruning, of `;`).
    readers: u32,
    siblings: Vec<String>,
    /// Names captured from the enclosing frame, with their slot there.
    captures: Vec<(String, Slot)>,
}

impl Frame {
    fn new(siblings: Vec<String>) -> Frame {
        Frame {
            locals: Vec::new(),
            slots: 0,
            free: Vec::new(),
            readers: 0,
            siblings,
            captures: Vec::new(),
        }
    }

    /// A fresh slot, or one given back.
    fn take_slot(&mut self) -> u32 {
        self.free.pop().unwrap_or_else(|| {
            self.slots += 1;
            self.slots - 1
        })
    }
}

struct Resolver<'g> {
    globals: &'g Globals,
    frames: Vec<Frame>,
    errors: Vec<Diagnostic>,
    /// The variable of `if x then a else b <x< c` where nothing but the
    /// test reads `x`: its slot serves the branches' binders too.
    dead_after_test: Option<String>,
}

/// Resolves a closed program against the globals.
pub fn resolve(core: &Core, globals: &Globals) -> Result<Arc<Program>, Vec<Diagnostic>> {
    let mut r = Resolver {
        globals,
        frames: vec![Frame::new(Vec::new())],
        errors: Vec::new(),
        dead_after_test: None,
    };
    let code = r.expr(core);
    if r.errors.is_empty() {
        Ok(Arc::new(Program {
            code,
            frame_size: r.frames[0].slots,
        }))
    } else {
        Err(r.errors)
    }
}

enum Found {
    Slot(Slot),
    Global(Value),
}

/// Recognises the desugaring of `if c then a else b`:
/// `Ift(c) >> a | Iff(c) >> b` with the built-in `Ift`/`Iff`.
fn conditional<'c>(l: &'c Core, r: &'c Core) -> Option<(&'c Atom, &'c Core, &'c Core, Span)> {
    use crate::sites::structural::{Iff, Ift};
    fn test<T: 'static>(c: &Core) -> Option<(&Atom, &Core, Span)> {
        let Core::Sequential(call, None, body) = c else {
            return None;
        };
        let Core::Call {
            target: Atom::Const(Value::Site(s)),
            args,
            span,
        } = &**call
        else {
            return None;
        };
        match args.as_slice() {
            [a] if s.as_any().is::<T>() => Some((a, body, *span)),
            _ => None,
        }
    }
    let (c1, then, span) = test::<Ift>(l)?;
    let (c2, otherwise, _) = test::<Iff>(r)?;
    let same = match (c1, c2) {
        (Atom::Var(a, _), Atom::Var(b, _)) => a == b,
        _ => false,
    };
    same.then_some((c1, then, otherwise, span))
}

/// The call, or its value when [`fold`] can make it now.
pub(super) fn call_or_value(target: Operand, args: Box<[Operand]>, span: Span) -> Code {
    match fold(&target, &args) {
        Some(v) => Code::Const(v),
        None => Code::Call { target, args, span },
    }
}

/// A call of a pure site with constant arguments, made now: its value.
fn fold(target: &Operand, args: &[Operand]) -> Option<Value> {
    let Operand::Const(Value::Site(site)) = target else {
        return None;
    };
    if !site.is_pure() {
        return None;
    }
    let values = args
        .iter()
        .map(|a| match a {
            Operand::Const(v) => Some(v.clone()),
            Operand::Slot(_) => None,
        })
        .collect::<Option<Vec<Value>>>()?;
    crate::runtime::site::call_pure(&**site, &values)
}

impl Resolver<'_> {
    fn lookup(&mut self, name: &str) -> Option<Found> {
        self.lookup_in(self.frames.len() - 1, name)
    }

    fn lookup_in(&mut self, depth: usize, name: &str) -> Option<Found> {
        let frame = &self.frames[depth];
        if let Some((_, local)) = frame.locals.iter().rev().find(|(n, _)| n == name) {
            return Some(match local {
                Local::Slot(slot) => Found::Slot(Slot::Local(*slot)),
                Local::Const(v) => Found::Global(v.clone()),
            });
        }
        if let Some(i) = frame.siblings.iter().position(|n| n == name) {
            return Some(Found::Slot(Slot::Sibling(i as u32)));
        }
        if let Some(i) = frame.captures.iter().position(|(n, _)| n == name) {
            return Some(Found::Slot(Slot::Capture(i as u32)));
        }
        if depth == 0 {
            return self.globals.get(name).cloned().map(Found::Global);
        }
        match self.lookup_in(depth - 1, name)? {
            Found::Global(v) => Some(Found::Global(v)),
            Found::Slot(outer) => {
                let frame = &mut self.frames[depth];
                frame.captures.push((name.to_string(), outer));
                Some(Found::Slot(Slot::Capture(frame.captures.len() as u32 - 1)))
            }
        }
    }

    fn unbound(&mut self, name: &str, span: Span) {
        let shown = if name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            format!("`{name}`")
        } else {
            format!("`({name})`")
        };
        self.errors.push(
            Diagnostic::compile(format!("unbound variable {shown}"), span)
                .with_label("not defined here"),
        );
    }

    /// `Vclock(order) >> body` with the built-in `Vclock`.
    fn vclock_call(&mut self, left: &Core, bound: &Option<String>) -> Option<(Operand, Span)> {
        let Core::Call {
            target: Atom::Var(name, _),
            args,
            span,
        } = left
        else {
            return None;
        };
        if bound.is_some() || args.len() != 1 {
            return None;
        }
        match self.lookup(name)? {
            Found::Global(Value::Site(s)) if s.as_any().is::<crate::sites::time::Vclock>() => {
                Some((self.operand(&args[0]), *span))
            }
            _ => None,
        }
    }

    fn operand(&mut self, a: &Atom) -> Operand {
        match a {
            Atom::Const(v) => Operand::Const(v.clone()),
            Atom::Var(n, span) => match self.lookup(n) {
                Some(Found::Slot(s)) => Operand::Slot(s),
                Some(Found::Global(v)) => {
                    if let Some(w) = crate::sites::withheld::Withheld::of(&v) {
                        self.errors.push(
                            Diagnostic::compile(w.message(), *span)
                                .with_label("withheld by the host"),
                        );
                    }
                    Operand::Const(v)
                }
                None => {
                    self.unbound(n, *span);
                    Operand::Const(Value::Signal)
                }
            },
        }
    }

    /// Runs `f` with `names` in scope, in slots of their own (consecutive,
    /// in order, when there are several); `f` also gets the first of them.
    ///
    /// When the scope ends its slots are given back for later binders,
    /// unless the scope made a node that may start a token reading the
    /// record (a pruning, `;`): such a token may still read them, and a
    /// record is shared without copying on the promise that nobody writes
    /// a slot that another token still reads (see `runtime::act`). (Two
    /// tokens forked by `|` are both writers, and copy the record before
    /// either writes a shared one.)
    fn with_locals<T>(&mut self, names: &[String], f: impl FnOnce(&mut Self, u32) -> T) -> T {
        let frame = self.frames.last_mut().expect("a frame");
        let before = frame.locals.len();
        let first = match names.len() {
            1 => frame.take_slot(),
            n => {
                frame.slots += n as u32;
                frame.slots - n as u32
            }
        };
        for (k, name) in names.iter().enumerate() {
            frame
                .locals
                .push((name.clone(), Local::Slot(first + k as u32)));
        }
        let readers = frame.readers;
        let out = f(self, first);
        let frame = self.frames.last_mut().expect("a frame");
        frame.locals.truncate(before);
        if frame.readers == readers {
            frame.free.extend(first..first + names.len() as u32);
        }
        out
    }

    /// Notes a node that may start a token reading the activation record.
    fn made_reader(&mut self) {
        self.frames.last_mut().expect("a frame").readers += 1;
    }

    /// `body` with `name` (if any) standing for the constant `v`.
    fn constant_bound(&mut self, name: &Option<String>, v: Value, body: &Core) -> Arc<Code> {
        let Some(name) = name else {
            return self.expr(body);
        };
        let frame = self.frames.last_mut().expect("a frame");
        frame.locals.push((name.clone(), Local::Const(v)));
        let out = self.expr(body);
        self.frames.last_mut().expect("a frame").locals.pop();
        out
    }

    /// `body` with `name` bound: its slot ([`NO_SLOT`] for no name) and code.
    fn bound(&mut self, name: &Option<String>, body: &Core) -> (u32, Arc<Code>) {
        match name {
            Some(n) => self.with_locals(std::slice::from_ref(n), |r, slot| (slot, r.expr(body))),
            None => (NO_SLOT, self.expr(body)),
        }
    }

    fn expr(&mut self, core: &Core) -> Arc<Code> {
        Arc::new(match core {
            Core::Stop => Code::Stop,
            Core::Const(v) => Code::Const(v.clone()),
            Core::Var(n, span) => match self.operand(&Atom::Var(n.clone(), *span)) {
                Operand::Slot(s) => Code::Var(s),
                Operand::Const(v) => Code::Const(v),
            },
            Core::Call { target, args, span } => {
                let target = self.operand(target);
                let args: Box<[Operand]> = args.iter().map(|a| self.operand(a)).collect();
                if let Some(inlined) = super::inline::inline_call(&target, &args) {
                    if inlined.starts_readers {
                        self.made_reader();
                    }
                    return inlined.code;
                }
                call_or_value(target, args, *span)
            }
            Core::Field { target, name, span } => Code::Field {
                target: self.operand(target),
                name: Arc::from(name.as_str()),
                span: *span,
                hint: Default::default(),
            },
            Core::Parallel(l, r) => match conditional(l, r) {
                Some((cond_atom, then, otherwise, span)) => {
                    let dead = self.dead_after_test.take();
                    let cond = self.operand(cond_atom);
                    // A test variable read by nothing else is dead once the
                    // branch is chosen (see `Core::Pruning` below): its slot
                    // is free for the branches' binders.
                    let freed = match (&cond, dead) {
                        (Operand::Slot(Slot::Local(s)), Some(d)) if cond_atom.is_var(&d) => {
                            self.frames.last_mut().expect("a frame").free.push(*s);
                            Some(*s)
                        }
                        _ => None,
                    };
                    let (then, otherwise) = (self.expr(then), self.expr(otherwise));
                    if let Some(s) = freed {
                        // Given back below by the variable's own scope.
                        let frame = self.frames.last_mut().expect("a frame");
                        frame.free.retain(|&f| f != s);
                    }
                    match cond {
                        // A constant condition (both branches are still
                        // resolved, for their diagnostics).
                        Operand::Const(Value::Bool(true)) => return then,
                        Operand::Const(Value::Bool(false)) => return otherwise,
                        cond => Code::If {
                            cond,
                            then,
                            otherwise,
                            span,
                        },
                    }
                }
                None => Code::Parallel(self.expr(l), self.expr(r)),
            },
            Core::Sequential(l, x, r) => match self.vclock_call(l, x) {
                Some((order, span)) => Code::VClock {
                    order,
                    body: self.expr(r),
                    span,
                },
                None => {
                    let left = self.expr(l);
                    if let Code::Const(v) = &*left {
                        // `c >x> g` publishes c once: g with x = c.
                        return self.constant_bound(x, v.clone(), r);
                    }
                    let (slot, right) = self.bound(x, r);
                    Code::Sequential(left, slot, right)
                }
            },
            Core::Pruning(l, x, r) => {
                let right = self.expr(r);
                if let Code::Const(v) = &*right {
                    // `f <x< c`: f with x = c.
                    return self.constant_bound(x, v.clone(), l);
                }
                self.made_reader();
                // `if x then a else b <x< c` (as `if c then a else b`
                // desugars) where `a` and `b` do not read `x`: no token reads
                // `x` once a branch runs (the right side has published and
                // is killed by then; a halted `x` runs neither branch).
                let dead = match (x, &**l) {
                    (Some(x), Core::Parallel(a, b)) => conditional(a, b)
                        .filter(|(c, then, otherwise, _)| {
                            c.is_var(x) && !then.mentions(x) && !otherwise.mentions(x)
                        })
                        .map(|_| x.clone()),
                    _ => None,
                };
                self.dead_after_test = dead;
                let (slot, left) = self.bound(x, l);
                self.dead_after_test = None;
                Code::Pruning(left, slot, right)
            }
            Core::Otherwise(l, r) => {
                self.made_reader();
                Code::Otherwise(self.expr(l), self.expr(r))
            }
            Core::Trim(e) => crate::runtime::race::trim(self.expr(e)),
            Core::Defs(defs, body) => {
                let group = self.defs(defs);
                let names: Vec<String> = defs.iter().map(|d| d.name.clone()).collect();
                let (first_slot, body) = self.with_locals(&names, |r, first| (first, r.expr(body)));
                Code::Defs {
                    group,
                    first_slot,
                    body,
                }
            }
            Core::Match {
                scrutinees,
                patterns,
                then,
                otherwise,
                span,
            } => {
                let scrutinees: Box<[Operand]> =
                    scrutinees.iter().map(|a| self.operand(a)).collect();
                let mut all_names = Vec::new();
                for p in patterns.iter() {
                    p.bound_names(&mut all_names);
                }
                let mut names = Vec::new();
                let mut aliases = Vec::new();
                let pats = patterns
                    .iter()
                    .zip(scrutinees.iter())
                    .map(|(p, s)| match alias(p, s, &all_names) {
                        Some(a) => {
                            aliases.push(a);
                            Pat::Wildcard
                        }
                        None => {
                            p.bound_names(&mut names);
                            self.pattern(p)
                        }
                    })
                    .collect();
                let frame = self.frames.last_mut().expect("a frame");
                let before = frame.locals.len();
                frame.locals.extend(aliases);
                let (first_slot, then) = self.with_locals(&names, |r, first| (first, r.expr(then)));
                self.frames
                    .last_mut()
                    .expect("a frame")
                    .locals
                    .truncate(before);
                Code::Match {
                    scrutinees,
                    patterns: pats,
                    first_slot,
                    then,
                    otherwise: self.expr(otherwise),
                    span: *span,
                }
            }
        })
    }

    fn pattern(&mut self, p: &CorePat) -> Pat {
        match p {
            CorePat::Wildcard => Pat::Wildcard,
            CorePat::Bind(_) => Pat::Bind,
            CorePat::Const(v) => Pat::Const(v.clone()),
            CorePat::Tuple(ps) => Pat::Tuple(ps.iter().map(|p| self.pattern(p)).collect()),
            CorePat::List(ps) => Pat::List(ps.iter().map(|p| self.pattern(p)).collect()),
            CorePat::Cons(h, t) => Pat::Cons(Box::new(self.pattern(h)), Box::new(self.pattern(t))),
            CorePat::Record(fs) => Pat::Record(
                fs.iter()
                    .map(|(n, p)| (Arc::from(n.as_str()), self.pattern(p)))
                    .collect(),
            ),
            CorePat::Call(a, ps) => Pat::Call(
                self.operand(a),
                ps.iter().map(|p| self.pattern(p)).collect(),
            ),
            CorePat::As(p, _) => Pat::As(Box::new(self.pattern(p))),
        }
    }

    fn defs(&mut self, defs: &[Def]) -> Arc<DefGroup> {
        self.frames
            .push(Frame::new(defs.iter().map(|d| d.name.clone()).collect()));
        let mut out = Vec::with_capacity(defs.len());
        for d in defs {
            // Each body has an activation record of its own, parameters
            // first.
            let frame = self.frames.last_mut().expect("frame pushed above");
            frame.locals = (d.params.iter().cloned())
                .zip((0..).map(Local::Slot))
                .collect();
            frame.slots = d.params.len() as u32;
            frame.free.clear();
            frame.readers = 0;
            let body = self.expr(&d.body);
            let frame_size = self.frames.last().expect("frame pushed above").slots;
            let lenient = super::classes::is_layer(&d.name);
            let functional = !d.site && !lenient && is_functional(&body);
            let shape = DefShape::of(&body, functional);
            out.push(DefCode {
                name: Arc::from(d.name.as_str()),
                arity: d.params.len(),
                lenient,
                body,
                frame_size,
                span: d.span,
                site: d.site,
                shape,
            });
        }
        // Which definitions are pure: all that are functional, then
        // those calling an impure one dropped, until none changes.
        for d in out.iter_mut() {
            d.shape.pure = d.shape.functional;
        }
        loop {
            let before: Vec<bool> = out.iter().map(|d| d.shape.pure).collect();
            for d in out.iter_mut() {
                if d.shape.pure {
                    d.shape.pure = calls_pure(&d.body, |i| before.get(i as usize) == Some(&true));
                }
            }
            if out.iter().zip(&before).all(|(d, b)| d.shape.pure == *b) {
                break;
            }
        }
        let frame = self.frames.pop().expect("frame pushed above");
        Arc::new(DefGroup {
            captures: frame.captures.into_iter().map(|(_, s)| s).collect(),
            defs: out.into(),
        })
    }
}

/// A variable pattern matched against a variable of the record or a
/// constant (`def f(p, []) = ...` matches the parameter `p` so) binds
/// nothing new: the name stands for the scrutinee itself, which is bound
/// already and never rewritten, so the match copies nothing for it. Not
/// when the name is bound twice in the patterns (the later one wins).
fn alias(p: &CorePat, scrutinee: &Operand, names: &[String]) -> Option<(String, Local)> {
    let CorePat::Bind(name) = p else {
        return None;
    };
    if names.iter().filter(|n| *n == name).count() > 1 {
        return None;
    }
    let local = match scrutinee {
        Operand::Slot(Slot::Local(s)) => Local::Slot(*s),
        Operand::Const(v) => Local::Const(v.clone()),
        _ => return None,
    };
    Some((name.clone(), local))
}
