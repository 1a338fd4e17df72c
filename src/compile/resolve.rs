//! Name resolution: named core → runtime [`Code`] with slots.
//!
//! Each name is looked up innermost first: the locals of the current
//! definition (each binder has a slot of its own in the definition's
//! activation record), the definitions of its own group
//! (siblings), its captured variables, then — by capturing them — the
//! enclosing definitions' names, and last the globals (built-in sites, the
//! prelude, earlier REPL declarations), which become constants. An unbound
//! name is a diagnostic at its use.
//!
//! Names are found through one hash table of every binding in scope (each
//! name's bindings innermost last), so a lookup costs the same however
//! many names a program binds; and the pass runs on [`super::stackless`],
//! not recursing over the program.
//!
//! A binder's slot is given back for later binders when its scope ends,
//! unless the scope contains a pruning or a `;` (which may start a token
//! that still reads it). The resolver also folds constants: a call of a
//! *pure* site (`Site::is_pure`: arithmetic, constructors of immutable
//! values, not `Channel()`) with constant arguments is made when
//! compiling, a variable bound to a constant is replaced by it, and a
//! constant condition picks its branch (both are still resolved, for their
//! diagnostics). It inlines calls of small closed global definitions
//! ([`super::inline`]: `timeout(x, 200)` becomes the prelude's body).
//!
//! Three shapes get nodes of their own: `Ift(c) >> a | Iff(c) >> b` (from
//! `if`) runs as one conditional without forking; `Vclock(order) >> e`
//! enters a virtual clock's scope; and a *race*, `{| f | Rwait(d) >> c |}`
//! with `f` a call of a pure immediate site and `c` a constant (the body
//! of `timeout`), runs in one token with no group
//! (`runtime/race.rs`). What can run in place is decided here once
//! per definition too (`DefShape`: functional, pure, one element read;
//! and an immediate body flattened into register code, `flatten.rs`).

use super::core::{Atom, Core, CorePat, Def};
use super::stackless;
use crate::diagnostics::{Diagnostic, Span};
use crate::runtime::program::Program;
use crate::sites::ops::is_deref;
use crate::value::code::{
    calls_pure, is_functional, params_mask, publication_needs, Callee, DefShape,
};
use crate::value::code::{Code, DefCode, DefGroup, Operand, Pat, Slot, NO_SLOT};
use crate::value::flatten::flat_body;
use crate::value::Value;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

pub use super::scope::{Globals, Scope};

/// What a name stands for in the frame that binds it.
#[derive(Clone)]
enum Binding {
    /// A slot of the record, a sibling definition or a capture.
    Slot(Slot),
    /// A constant: a variable bound to a value known when compiling
    /// (`val n = 503`, `x <x< None()`) is replaced by the value.
    Const(Value),
}

/// The definitions being resolved, one frame each (the program's top level
/// is frame 0).
struct Frame {
    /// The local names in scope, innermost last (their bindings are in
    /// [`Resolver::scope`]).
    locals: Vec<String>,
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

/// FNV-1a: names are short, and hashing them is a good part of resolving.
/// (A program's names are its own: there is no need to resist collisions
/// chosen by an adversary.)
#[derive(Clone, Copy)]
struct NameHasher(u64);

impl Default for NameHasher {
    fn default() -> NameHasher {
        NameHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Names<V> = HashMap<String, V, std::hash::BuildHasherDefault<NameHasher>>;

struct Resolver<'c> {
    globals: Scope<'c>,
    /// The global names looked up so far, when asked for
    /// ([`globals_used`]).
    used: Option<BTreeSet<String>>,
    frames: Vec<Frame>,
    /// Every binding in scope, by name, innermost last, with the frame that
    /// binds it. Within a frame a local hides a sibling or a capture (a
    /// capture is only made for a name the frame does not bind), and an
    /// inner frame's bindings are pushed after the outer ones', so the
    /// last binding of a name is the one a lookup finds.
    scope: Names<Vec<(usize, Binding)>>,
    errors: Vec<Diagnostic>,
    /// The variable of `if x then a else b <x< c` where nothing but the
    /// test reads `x`: its slot serves the branches' binders too.
    dead_after_test: Option<String>,
}

type Step<'c> = stackless::Step<'c, Resolver<'c>, &'c Core, Arc<Code>>;

/// Resolves `core`, then continues with its code.
fn then<'c>(
    core: &'c Core,
    k: impl FnOnce(&mut Resolver<'c>, Arc<Code>) -> Step<'c> + 'c,
) -> Step<'c> {
    stackless::Step::Then(core, Box::new(k))
}

fn done<'c>(code: Code) -> Step<'c> {
    stackless::Step::Done(Arc::new(code))
}

/// How many nodes the check that a conditional's branches do not read its
/// test variable looks at, at most, before it assumes they may (which
/// only gives up a slot's reuse): a chain of such conditionals nested in
/// one another is not looked through again at every level.
const DEAD_TEST_LOOK: usize = 256;

/// Resolves a closed program against the globals.
pub fn resolve<'a>(core: &'a Core, globals: impl Into<Scope<'a>>) -> Resolved {
    resolve_recording(core, globals.into(), false).0
}

/// The global names `core` uses: those that resolve to a binding of
/// `globals` rather than to one of its own, wherever they occur (in
/// nested definitions too, and in patterns). What a declaration is built
/// on, as the resolver sees it (see [`crate::stdlib`]'s dependencies).
pub fn globals_used<'a>(
    core: &'a Core,
    globals: impl Into<Scope<'a>>,
) -> Result<BTreeSet<String>, Vec<Diagnostic>> {
    let (result, used) = resolve_recording(core, globals.into(), true);
    result.map(|_| used.unwrap_or_default())
}

/// What [`resolve`] gives.
type Resolved = Result<Arc<Program>, Vec<Diagnostic>>;

/// Resolves `core`, also giving the global names it looked up if `record`.
fn resolve_recording<'a>(
    core: &'a Core,
    globals: Scope<'a>,
    record: bool,
) -> (Resolved, Option<BTreeSet<String>>) {
    let mut r = Resolver {
        globals,
        used: record.then(BTreeSet::new),
        frames: vec![Frame::new(Vec::new())],
        scope: Names::default(),
        errors: Vec::new(),
        dead_after_test: None,
    };
    let start = r.visit(core);
    let code = stackless::run(&mut r, start, Resolver::visit);
    let result = if r.errors.is_empty() {
        Ok(Arc::new(Program {
            code,
            frame_size: r.frames[0].slots,
            members: crate::sites::MEMBERS,
        }))
    } else {
        Err(std::mem::take(&mut r.errors))
    };
    (result, r.used.take())
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
        // A literal condition (`if 1 then ..`): the same test twice, so
        // one conditional, and one error if it is not a boolean.
        (Atom::Const(a), Atom::Const(b)) => a == b,
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

/// The deepest value constant folding builds: a call that could nest
/// containers deeper is left for run time. (A deeply nested literal,
/// `[[[...]]]`, would otherwise become a value as deep at compile time,
/// and values are dropped and printed recursively.)
const MAX_FOLDED_NESTING: usize = 200;

/// How many parts of its constant arguments folding looks at, at most,
/// to tell how deep they nest: past that the call is left for run time
/// (where it is one call of a constructor), so that a long chain of
/// folds (`1 : 2 : ... : []`) does not look at its ever longer result
/// again at every step.
const FOLD_LOOK: usize = 4096;

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
    // The result nests at most one level deeper than its arguments.
    let mut budget = FOLD_LOOK;
    for v in &values {
        nesting(v, MAX_FOLDED_NESTING - 1, &mut budget)?;
    }
    crate::value::site::call_pure(&**site, &values)
}

/// How deep `v` nests containers (tuples, lists, records, data; `0` for
/// anything else), if no deeper than `limit` and found looking at no more
/// than `budget` parts. (With a worklist.)
fn nesting(v: &Value, limit: usize, budget: &mut usize) -> Option<usize> {
    let mut deepest = 0;
    let mut todo = vec![(v, 1)];
    let mut parts: Vec<&Value> = Vec::new();
    while let Some((v, depth)) = todo.pop() {
        match v {
            Value::Tuple(items) => parts.extend(items.iter()),
            Value::List(list) => {
                let mut list = list;
                while let Some((head, tail)) = list.head_tail() {
                    if parts.len() >= *budget {
                        return None;
                    }
                    parts.push(head);
                    list = tail;
                }
            }
            Value::Record(r) => parts.extend(r.fields.iter().map(|(_, w)| w)),
            Value::Data(d) => parts.extend(d.fields.iter()),
            _ => continue,
        }
        if depth > limit {
            return None;
        }
        deepest = deepest.max(depth);
        *budget = budget.checked_sub(parts.len())?;
        todo.extend(parts.drain(..).map(|w| (w, depth + 1)));
    }
    Some(deepest)
}

impl<'c> Resolver<'c> {
    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a frame")
    }

    fn lookup(&mut self, name: &str) -> Option<Found> {
        let depth = self.frames.len() - 1;
        let Some((at, binding)) = self.scope.get(name).and_then(|b| b.last()).cloned() else {
            let value = self.globals.get(name)?;
            if let Some(used) = &mut self.used {
                used.insert(name.to_string());
            }
            return Some(Found::Global(value.clone()));
        };
        let mut slot = match binding {
            Binding::Const(v) => return Some(Found::Global(v)),
            Binding::Slot(slot) => slot,
        };
        // Bound by an enclosing definition: captured by each frame from
        // there to here.
        for d in at + 1..=depth {
            let frame = &mut self.frames[d];
            frame.captures.push((name.to_string(), slot));
            slot = Slot::Capture(frame.captures.len() as u32 - 1);
            self.bind(name, d, Binding::Slot(slot));
        }
        Some(Found::Slot(slot))
    }

    fn bind(&mut self, name: &str, depth: usize, binding: Binding) {
        match self.scope.get_mut(name) {
            Some(bindings) => bindings.push((depth, binding)),
            None => {
                self.scope.insert(name.to_string(), vec![(depth, binding)]);
            }
        }
    }

    fn unbind(&mut self, name: &str) {
        if let Some(bindings) = self.scope.get_mut(name) {
            bindings.pop();
            if bindings.is_empty() {
                self.scope.remove(name);
            }
        }
    }

    /// Brings a local name into scope in the current frame.
    fn push_local(&mut self, name: &str, binding: Binding) {
        let depth = self.frames.len() - 1;
        self.frame().locals.push(name.to_string());
        self.bind(name, depth, binding);
    }

    /// Ends the scope of the current frame's locals after the first `len`.
    fn truncate_locals(&mut self, len: usize) {
        while self.frame().locals.len() > len {
            let name = self.frame().locals.pop().expect("a local");
            self.unbind(&name);
        }
    }

    /// Enters a definition group's frame.
    fn push_frame(&mut self, siblings: Vec<String>) {
        let depth = self.frames.len();
        // The first definition of a name is the one found.
        for (i, name) in siblings.iter().enumerate().rev() {
            self.bind(name, depth, Binding::Slot(Slot::Sibling(i as u32)));
        }
        self.frames.push(Frame::new(siblings));
    }

    fn pop_frame(&mut self) -> Frame {
        self.truncate_locals(0);
        let frame = self.frames.pop().expect("a frame");
        for (name, _) in frame.captures.iter().rev() {
            self.unbind(name);
        }
        for name in &frame.siblings {
            self.unbind(name);
        }
        frame
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
        let mut d = Diagnostic::compile(format!("unbound variable {shown}"), span)
            .with_label("not defined here");
        if let Some(help) = self.suggestion(name) {
            d = d.with_help(help);
        }
        self.errors.push(d);
    }

    /// "Did you mean": the closest name in scope here.
    fn suggestion(&self, name: &str) -> Option<String> {
        if !name.chars().next().is_some_and(char::is_alphabetic) {
            return None;
        }
        let locals = self.scope.keys().map(String::as_str);
        let found = super::suggest::closest(name, locals.chain(self.globals.names()))?;
        Some(format!("did you mean `{found}`?"))
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
            Atom::Var(n, span) => self.variable(n, *span),
        }
    }

    fn variable(&mut self, n: &str, span: Span) -> Operand {
        match self.lookup(n) {
            Some(Found::Slot(s)) => Operand::Slot(s),
            Some(Found::Global(v)) => {
                if let Some(w) = crate::sites::withheld::Withheld::of(&v) {
                    self.errors.push(
                        Diagnostic::compile(w.message(), span).with_label("withheld by the host"),
                    );
                }
                Operand::Const(v)
            }
            None => {
                self.unbound(n, span);
                Operand::Const(Value::Signal)
            }
        }
    }

    /// Resolves `body` with `names` in scope, in slots of their own
    /// (consecutive, in order, when there are several), then continues
    /// with the first of them and the code.
    ///
    /// When the scope ends its slots are given back for later binders,
    /// unless the scope made a node that may start a token reading the
    /// record (a pruning, `;`): such a token may still read them, and a
    /// record is shared without copying on the promise that nobody writes
    /// a slot that another token still reads (see `runtime::act`). (Two
    /// tokens forked by `|` are both writers, and copy the record before
    /// either writes a shared one.)
    fn with_locals(
        &mut self,
        names: &[String],
        body: &'c Core,
        k: impl FnOnce(&mut Resolver<'c>, u32, Arc<Code>) -> Step<'c> + 'c,
    ) -> Step<'c> {
        let frame = self.frame();
        let before = frame.locals.len();
        let first = match names.len() {
            1 => frame.take_slot(),
            n => {
                frame.slots += n as u32;
                frame.slots - n as u32
            }
        };
        let readers = frame.readers;
        for (i, name) in names.iter().enumerate() {
            self.push_local(name, Binding::Slot(Slot::Local(first + i as u32)));
        }
        let count = names.len() as u32;
        then(body, move |r, code| {
            r.truncate_locals(before);
            let frame = r.frame();
            if frame.readers == readers {
                frame.free.extend(first..first + count);
            }
            k(r, first, code)
        })
    }

    /// A call of the built-in `?` or `:=` (unless the program rebound
    /// them) is the method call the user guide says it is: `x?` is
    /// `x.read()` and `x := y` is `x.write(y)`, as `x.read >t> t()` would
    /// be resolved. So objects and records with such members work as
    /// references do.
    fn method_sugar(&mut self, target: &Operand, args: &[Operand], span: Span) -> Option<Code> {
        let Operand::Const(Value::Site(site)) = target else {
            return None;
        };
        let member = crate::sites::ops::method_of_operator(&**site)?;
        let (receiver, rest) = args.split_first()?;
        let frame = self.frame();
        let slot = frame.take_slot();
        let field = Code::Field {
            target: receiver.clone(),
            name: Arc::from(member),
            span,
            hint: Default::default(),
        };
        let call = Code::Call {
            target: Operand::Slot(Slot::Local(slot)),
            args: rest.into(),
            span,
        };
        // The method is bound for the call alone.
        frame.free.push(slot);
        Some(Code::Sequential(Arc::new(field), slot, Arc::new(call)))
    }

    /// Notes a node that may start a token reading the activation record.
    fn made_reader(&mut self) {
        self.frame().readers += 1;
    }

    /// `body` with `name` (if any) standing for the constant `v`.
    fn constant_bound(&mut self, name: &'c Option<String>, v: Value, body: &'c Core) -> Step<'c> {
        let Some(name) = name else {
            return then(body, |_, code| stackless::Step::Done(code));
        };
        self.push_local(name, Binding::Const(v));
        let before = self.frame().locals.len() - 1;
        then(body, move |r, code| {
            r.truncate_locals(before);
            stackless::Step::Done(code)
        })
    }

    /// `body` with `name` bound: continues with its slot ([`NO_SLOT`] for
    /// no name) and code.
    fn bound(
        &mut self,
        name: &'c Option<String>,
        body: &'c Core,
        k: impl FnOnce(&mut Resolver<'c>, u32, Arc<Code>) -> Step<'c> + 'c,
    ) -> Step<'c> {
        match name {
            Some(n) => self.with_locals(std::slice::from_ref(n), body, k),
            None => then(body, move |r, code| k(r, NO_SLOT, code)),
        }
    }

    /// Resolves one node: its code, or the steps that make it.
    fn visit(&mut self, core: &'c Core) -> Step<'c> {
        let code = match core {
            Core::Stop => Code::Stop,
            Core::Const(v) => Code::Const(v.clone()),
            Core::Var(n, span) => match self.variable(n, *span) {
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
                    return stackless::Step::Done(inlined.code);
                }
                if let Some(code) = self.method_sugar(&target, &args, *span) {
                    return done(code);
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
                Some((cond_atom, yes, no, span)) => {
                    let dead = self.dead_after_test.take();
                    let cond = self.operand(cond_atom);
                    // A test variable read by nothing else is dead once the
                    // branch is chosen (see `Core::Pruning` below): its slot
                    // is free for the branches' binders.
                    let freed = match (&cond, dead) {
                        (Operand::Slot(Slot::Local(s)), Some(d)) if cond_atom.is_var(&d) => {
                            self.frame().free.push(*s);
                            Some(*s)
                        }
                        _ => None,
                    };
                    return then(yes, move |_, then_code| {
                        then(no, move |r, otherwise| {
                            if let Some(s) = freed {
                                // Given back below by the variable's own scope.
                                r.frame().free.retain(|&f| f != s);
                            }
                            match cond {
                                // A constant condition (both branches are
                                // still resolved, for their diagnostics).
                                Operand::Const(Value::Bool(true)) => {
                                    stackless::Step::Done(then_code)
                                }
                                Operand::Const(Value::Bool(false)) => {
                                    stackless::Step::Done(otherwise)
                                }
                                cond => done(Code::If {
                                    cond,
                                    then: then_code,
                                    otherwise,
                                    span,
                                }),
                            }
                        })
                    });
                }
                None => {
                    return then(l, move |_, l| {
                        then(r, move |_, r| done(Code::Parallel(l, r)))
                    })
                }
            },
            Core::Sequential(l, x, r) => match self.vclock_call(l, x) {
                Some((order, span)) => {
                    return then(r, move |_, body| done(Code::VClock { order, body, span }))
                }
                None => {
                    return then(l, move |res, left| {
                        if let Code::Const(v) = &*left {
                            // `c >x> g` publishes c once: g with x = c.
                            return res.constant_bound(x, v.clone(), r);
                        }
                        res.bound(x, r, move |_, slot, right| {
                            done(Code::Sequential(left, slot, right))
                        })
                    });
                }
            },
            Core::Pruning(l, x, r) => {
                return then(r, move |res, right| {
                    if let Code::Const(v) = &*right {
                        // `f <x< c`: f with x = c.
                        return res.constant_bound(x, v.clone(), l);
                    }
                    res.made_reader();
                    res.dead_after_test = dead_test(x, l);
                    res.bound(x, l, move |res, slot, left| {
                        res.dead_after_test = None;
                        done(Code::Pruning(left, slot, right))
                    })
                });
            }
            Core::Otherwise(l, r) => {
                self.made_reader();
                return then(l, move |_, l| {
                    then(r, move |_, r| done(Code::Otherwise(l, r)))
                });
            }
            Core::Trim(e) => return then(e, |_, e| done(super::race::trim(e))),
            Core::Defs(defs, body) => {
                let names: Vec<String> = defs.iter().map(|d| d.name.clone()).collect();
                self.push_frame(names);
                return self.defs(defs, 0, Vec::with_capacity(defs.len()), body);
            }
            Core::Match {
                scrutinees,
                patterns,
                then: yes,
                otherwise: no,
                span,
            } => {
                let scrutinees: Box<[Operand]> =
                    scrutinees.iter().map(|a| self.operand(a)).collect();
                let mut all_names = Vec::new();
                for p in patterns.iter() {
                    p.bound_names(&mut all_names);
                }
                let mut times: HashMap<&str, usize> = HashMap::new();
                for n in &all_names {
                    *times.entry(n.as_str()).or_default() += 1;
                }
                let mut names = Vec::new();
                let mut aliases = Vec::new();
                let pats: Box<[Pat]> = patterns
                    .iter()
                    .zip(scrutinees.iter())
                    .map(|(p, s)| match alias(p, s, &times) {
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
                let before = self.frame().locals.len();
                for (name, binding) in aliases {
                    self.push_local(&name, binding);
                }
                let span = *span;
                return self.with_locals(&names, yes, move |r, first_slot, then_code| {
                    r.truncate_locals(before);
                    then(no, move |_, otherwise| {
                        done(Code::Match {
                            scrutinees,
                            patterns: pats,
                            first_slot,
                            then: then_code,
                            otherwise,
                            span,
                        })
                    })
                });
            }
        };
        done(code)
    }

    /// Resolves the definitions of a group from `defs[next]` on, in its
    /// frame (pushed already), then its body.
    fn defs(
        &mut self,
        defs: &'c [Def],
        next: usize,
        mut out: Vec<DefCode>,
        body: &'c Core,
    ) -> Step<'c> {
        let Some(d) = defs.get(next) else {
            mark_shapes(&mut out);
            let frame = self.pop_frame();
            let group = Arc::new(DefGroup {
                captures: frame.captures.into_iter().map(|(_, s)| s).collect(),
                defs: out.into(),
            });
            let names: Vec<String> = defs.iter().map(|d| d.name.clone()).collect();
            return self.with_locals(&names, body, move |_, first_slot, body| {
                done(Code::Defs {
                    group,
                    first_slot,
                    body,
                })
            });
        };
        // Each body has an activation record of its own, parameters first.
        self.truncate_locals(0);
        for (i, p) in d.params.iter().enumerate() {
            self.push_local(p, Binding::Slot(Slot::Local(i as u32)));
        }
        let frame = self.frame();
        frame.slots = d.params.len() as u32;
        frame.free.clear();
        frame.readers = 0;
        then(&d.body, move |r, code| {
            let frame_size = r.frame().slots;
            let lenient = super::classes::is_layer(&d.name);
            let functional = !d.site && !lenient && is_functional(&code);
            let shape = DefShape::of(&code, d.params.len(), functional, element_read(&code));
            let flat = functional
                .then(|| flat_body(&code, frame_size).map(Box::new))
                .flatten();
            out.push(DefCode {
                name: Arc::from(d.name.as_str()),
                arity: d.params.len(),
                lenient,
                body: code,
                frame_size,
                span: d.span,
                site: d.site,
                once: d.once,
                shape,
                flat,
            });
            r.defs(defs, next + 1, out, body)
        })
    }

    /// A pattern (patterns nest at most `MAX_DEPTH` deep: this recursion is
    /// bounded).
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
}

/// What the group's definitions are as callees ([`DefShape`]): which
/// are pure, and given which parameters (all that are functional, then
/// those calling an impure one dropped and the parameters they call
/// noted), and which parameters every publication waits for (all, then
/// fewer); until none changes. (Purity and the needs only fall, the
/// parameters only grow: it ends.)
fn mark_shapes(defs: &mut [DefCode]) {
    for d in defs.iter_mut() {
        d.shape.pure = d.shape.functional;
        d.shape.pure_given = 0;
        // A `site` or a class's layer publishes on its own terms.
        d.shape.needs = if d.site || d.lenient {
            0
        } else {
            params_mask(d.arity)
        };
    }
    loop {
        let before: Vec<Callee> = defs.iter().map(|d| d.shape.callee()).collect();
        let sibling = |i: u32| before.get(i as usize).copied().unwrap_or_default();
        for d in defs.iter_mut() {
            if d.shape.pure {
                let purity = calls_pure(&d.body, d.arity, sibling);
                d.shape.pure = purity.is_some();
                d.shape.pure_given = purity.unwrap_or(0);
            }
            if d.shape.needs != 0 {
                let callee = |op: &Operand| match op {
                    Operand::Const(v) => Callee::of(v),
                    Operand::Slot(Slot::Sibling(i)) => sibling(*i),
                    _ => Callee::default(),
                };
                d.shape.needs &= publication_needs(&d.body, &callee);
            }
        }
        let after = defs.iter().map(|d| d.shape.callee());
        if after
            .zip(&before)
            .all(|(a, b)| (a.purity, a.needs) == (b.purity, b.needs))
        {
            break;
        }
    }
}

/// `if x then a else b <x< c` (as `if c then a else b` desugars) where `a`
/// and `b` do not read `x`: no token reads `x` once a branch runs (the
/// right side has published and is killed by then; a halted `x` runs
/// neither branch). Then `x`, the test variable, is dead after the test.
///
/// A variable the desugarer made up (`$n`) is bound once, and used only
/// where the desugaring put it: for the condition of an `if`, by the test
/// alone. For a name from the program the branches are looked through,
/// up to [`DEAD_TEST_LOOK`] nodes.
fn dead_test(x: &Option<String>, left: &Core) -> Option<String> {
    let (Some(x), Core::Parallel(a, b)) = (x, left) else {
        return None;
    };
    let (c, then, otherwise, _) = conditional(a, b)?;
    let reads = |branch: &Core| !x.starts_with('$') && branch.may_mention(x, DEAD_TEST_LOOK);
    (c.is_var(x) && !reads(then) && !reads(otherwise)).then(|| x.clone())
}

/// A variable pattern matched against a variable of the record or a
/// constant (`def f(p, []) = ...` matches the parameter `p` so) binds
/// nothing new: the name stands for the scrutinee itself, which is bound
/// already and never rewritten, so the match copies nothing for it. Not
/// when the name is bound twice in the patterns (the later one wins).
fn alias(
    p: &CorePat,
    scrutinee: &Operand,
    times: &HashMap<&str, usize>,
) -> Option<(String, Binding)> {
    let CorePat::Bind(name) = p else {
        return None;
    };
    if times.get(name.as_str()).copied().unwrap_or(0) > 1 {
        return None;
    }
    let binding = match scrutinee {
        Operand::Slot(Slot::Local(s)) => Binding::Slot(Slot::Local(*s)),
        Operand::Const(v) => Binding::Const(v.clone()),
        _ => return None,
    };
    Some((name.clone(), binding))
}

/// Whether a definition's body is one read `a(i)?` of the element its
/// call names ([`DefShape::element_read`]).
fn element_read(body: &Code) -> bool {
    match body {
        Code::Pruning(left, slot, right) => {
            matches!(**right, Code::Call { .. }) && reads_slot(left, *slot)
        }
        _ => false,
    }
}

/// Whether `left` is `x.read()` (how the built-in `x?` is resolved) or
/// `?(x)`, the read of the pruned variable `x` in `slot` (the left side of
/// `a(i)?`). A look at the shape first: most prunings' left sides are
/// neither.
#[inline(always)]
fn reads_slot(left: &Code, slot: u32) -> bool {
    match left {
        Code::Sequential(field, method, call) => {
            matches!(&**field, Code::Field { target: Operand::Slot(Slot::Local(read)), name, .. }
                if *read == slot && &**name == "read")
                && matches!(&**call, Code::Call { target: Operand::Slot(Slot::Local(m)), args, .. }
                    if m == method && args.is_empty())
        }
        Code::Call {
            target: Operand::Const(Value::Site(deref)),
            args,
            ..
        } => match &**args {
            [Operand::Slot(Slot::Local(read))] => *read == slot && is_deref(&**deref),
            _ => false,
        },
        _ => false,
    }
}
