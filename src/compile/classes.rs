//! Classes and objects: `class`, `new`, `extends`, `with`, `this`, `super`.
//!
//! Classes are not values. A class name lives in its own namespace (so
//! `class D` and `def D()` may coexist) and is resolved here, at compile
//! time, through [`Scope`]. Each class body becomes a *layer* definition,
//! declared in the recursive group of the definitions next to the class (so
//! classes and defs may refer to each other, and a class closes over the
//! scope it is declared in). The layer takes the object and its position in
//! the object's linearization, starts the members' computations and
//! installs them:
//!
//! ```text
//! class C { val x = e   def f(a) = b }
//!   →  def class C#1(this, k) =
//!        ((def f(a) = b'  # install(this, k, x, f)) <x< e')
//!          <super< superview(this, k)
//! ```
//!
//! so a `val` member is the future of its computation (bound to its first
//! publication, halted if it halts) and a `def` member is a closure. `new
//! E` makes the object with one empty layer per class of E's
//! linearization, runs every layer and publishes the object; field access
//! waits for a member still being computed:
//!
//! ```text
//! new E  →  newobject(L0, L1, ...) >o> (L0(o, 0) | L1(o, 1) | ... | o)
//! ```
//!
//! The layers are `newobject`'s arguments so that the object is made once
//! the variables they capture are resolved, but for those no pruning can
//! kill (see `Closure::pending_captures`); the layers themselves are
//! called leniently, and run apart from the expression that created the
//! object (`Run::detach_layer`): an object's members belong to it.
//!
//! Linearization is C3, where in `A with B` the class B comes first (it
//! overrides A): L(C extends A with B) = C, merge(L(B), L(A), [B, A]).
//!
//! In a class body `this` is the object, `super.x` reads `x` from the
//! layers after the current one, and a bare name that is a member of the
//! class or of its ancestors (and is not shadowed by a local binding)
//! means `this.name`: members are virtual, an override in a subclass wins.
//!
//! Nothing here recurses over the program: member code is lowered through
//! the desugarer's continuations, the rewriting of member names
//! ([`Desugarer::subst`]) runs on [`super::stackless`] too, and a chain of
//! classes extending one another is built with a stack of its own.

use super::core::{Atom, Core, CorePat, Def, Name};
use super::desugar::{is_def, ret, then, Clause, Desugarer, Step, K};
use super::stackless;
use crate::diagnostics::{Diagnostic, Span};
use crate::runtime::objects::InstallLayer;
use crate::sites::layers::{NewObject, NewSlot, SlotHalt, SlotRead, SlotWrite, SuperView};
use crate::syntax::ast::{self, ClassBody, ClassExpr, DeclKind};
use crate::value::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Layer definitions are named `class Name#n`: the space keeps them apart
/// from every name a program can write.
pub fn is_layer(name: &str) -> bool {
    name.starts_with("class ")
}

/// Whether `core` is the lowering of `new E`, which publishes exactly once
/// and at once (the desugarer then binds it in sequence, not by pruning).
pub(super) fn is_new(core: &Core) -> bool {
    let mut core = core;
    loop {
        match core {
            Core::Defs(defs, body) if defs.iter().all(|d| is_layer(&d.name)) => core = body,
            Core::Sequential(make, Some(_), _) => {
                return matches!(
                    &**make,
                    Core::Call { target: Atom::Const(Value::Site(s)), .. } if s.as_any().is::<NewObject>()
                )
            }
            _ => return false,
        }
    }
}

/// What the compiler knows of a class.
pub(super) struct ClassInfo<'a> {
    /// The declared name, or `{ ... }` for a class literal.
    name: String,
    /// The name of its layer definition.
    layer: Name,
    body: &'a ClassBody,
    /// Members the body declares: defined or abstract.
    own: Vec<String>,
    /// Members the body defines (a value or a definition).
    defined: Vec<String>,
    /// The linearization after the class itself, most derived first.
    ancestors: Vec<Arc<ClassInfo<'a>>>,
    /// Class literals in the `extends` clause, whose layers are defined
    /// next to this class's.
    parts: Vec<Arc<ClassInfo<'a>>>,
}

impl<'a> ClassInfo<'a> {
    fn linearization(self: &Arc<Self>) -> Vec<Arc<ClassInfo<'a>>> {
        std::iter::once(self.clone())
            .chain(self.ancestors.iter().cloned())
            .collect()
    }
}

/// The classes in scope while desugaring, and how deep in class bodies.
#[derive(Default)]
pub(super) struct Scope<'a> {
    visible: Vec<Arc<ClassInfo<'a>>>,
    depth: u32,
}

impl<'a> Scope<'a> {
    /// Forgets the classes declared after the first `n`.
    pub(super) fn truncate(&mut self, n: usize) {
        self.visible.truncate(n);
    }

    fn lookup(&self, name: &str) -> Option<Arc<ClassInfo<'a>>> {
        self.visible.iter().rev().find(|c| c.name == name).cloned()
    }
}

/// A class declaration of a recursive group, while the group's classes are
/// being declared (they may extend each other in any order).
struct GroupClass<'a> {
    name: &'a ast::Ident,
    extends: Option<&'a ClassExpr>,
    body: &'a ClassBody,
    state: State<'a>,
}

#[derive(Clone)]
enum State<'a> {
    Todo,
    Building,
    Done(Option<Arc<ClassInfo<'a>>>),
}

/// A class expression in postfix order: each operation takes its operands'
/// classes from a stack and pushes its own.
#[derive(Clone, Copy)]
enum ClassOp<'a> {
    /// A class by name.
    Var(&'a ast::Ident),
    /// A class literal `{ ... }`.
    Literal(&'a ClassBody),
    /// `A with B`: A's classes, then B's.
    Mixin,
    /// `C { ... }`: an anonymous class extending C.
    Subclass(&'a ClassBody),
}

/// A class expression being evaluated.
struct Evaluating<'a> {
    ops: Vec<ClassOp<'a>>,
    /// The next operation.
    next: usize,
    /// The classes each evaluated operand lists.
    values: Vec<Vec<Arc<ClassInfo<'a>>>>,
    /// The class literals met, whose layers are defined next to the class.
    parts: Vec<Arc<ClassInfo<'a>>>,
}

impl<'a> Evaluating<'a> {
    fn new(e: Option<&'a ClassExpr>) -> Evaluating<'a> {
        let mut ops = Vec::new();
        // What is left to look at, next last: `Ok` an expression, `Err`
        // an operation to emit once its operands' are.
        let mut todo: Vec<Result<&ClassExpr, ClassOp>> = e.into_iter().map(Ok).collect();
        while let Some(item) = todo.pop() {
            match item {
                Err(op) => ops.push(op),
                Ok(ClassExpr::Var(id)) => ops.push(ClassOp::Var(id)),
                Ok(ClassExpr::Body(body)) => ops.push(ClassOp::Literal(body)),
                Ok(ClassExpr::Mixin(a, b)) => {
                    todo.push(Err(ClassOp::Mixin));
                    todo.push(Ok(b));
                    todo.push(Ok(a));
                }
                Ok(ClassExpr::Subclass(base, body)) => {
                    todo.push(Err(ClassOp::Subclass(body)));
                    todo.push(Ok(base));
                }
            }
        }
        Evaluating {
            ops,
            next: 0,
            values: Vec::new(),
            parts: Vec::new(),
        }
    }

    /// The classes the whole expression lists (none for no expression).
    fn result(&mut self) -> Vec<Arc<ClassInfo<'a>>> {
        self.values.pop().unwrap_or_default()
    }
}

/// How the names of a class body are rewritten (see [`Desugarer::subst`]).
pub(super) struct Members {
    names: HashSet<String>,
    this: Name,
    sup: Name,
    self_name: Option<String>,
}

enum Ref {
    Keep,
    Rename(Name),
    Member,
}

/// The state of lowering a class body into its layer definition.
struct Layering<'a> {
    info: Arc<ClassInfo<'a>>,
    members: Members,
    this: Name,
    k: Name,
    sup: Name,
    /// The body's declarations still to look at: `decls[next..]`.
    next: usize,
    vals: Vec<(CorePat, Core, Span)>,
    /// Each method's name, clauses, span and whether it is a `site`.
    clauses: Vec<(&'a str, Vec<Clause<'a>>, Span, bool)>,
    /// Where each method is in `clauses`.
    method_index: HashMap<&'a str, usize>,
    methods: Vec<Def>,
}

fn site(s: impl crate::value::site::Site) -> Value {
    Value::Site(Arc::new(s))
}

impl<'a> Desugarer<'a> {
    // ----- declaring ----------------------------------------------------

    /// Declares the classes of a (flattened) declaration list. Returns the
    /// number of classes visible before it, and for each declaration the
    /// number visible while lowering it: those declared before it and those
    /// of its own recursive group.
    pub(super) fn enter_classes(&mut self, flat: &[&'a ast::Decl]) -> (usize, Vec<usize>) {
        let outer = self.classes.visible.len();
        let mut visible = Vec::with_capacity(flat.len());
        let mut i = 0;
        while i < flat.len() {
            if !is_def(flat[i]) {
                visible.push(self.classes.visible.len());
                i += 1;
                continue;
            }
            let start = i;
            while i < flat.len() && is_def(flat[i]) {
                i += 1;
            }
            self.declare_group(&flat[start..i]);
            visible.extend(std::iter::repeat_n(self.classes.visible.len(), i - start));
        }
        (outer, visible)
    }

    fn declare_group(&mut self, group: &[&'a ast::Decl]) {
        let mut classes: Vec<GroupClass> = Vec::new();
        let mut declared = HashSet::new();
        for d in group {
            if let DeclKind::Class {
                name,
                extends,
                body,
                ..
            } = &d.kind
            {
                if !declared.insert(name.name.as_str()) {
                    self.error(
                        format!("class `{}` is declared twice here", name.name),
                        name.span,
                    );
                    continue;
                }
                classes.push(GroupClass {
                    name,
                    extends: extends.as_ref(),
                    body,
                    state: State::Todo,
                });
            }
        }
        let index: HashMap<&str, usize> = classes
            .iter()
            .enumerate()
            .map(|(j, c)| (c.name.name.as_str(), j))
            .collect();
        for j in 0..classes.len() {
            if let State::Todo = classes[j].state {
                self.build_class(&mut classes, &index, j);
            }
        }
        for c in classes {
            if let State::Done(Some(info)) = c.state {
                self.classes.visible.push(info);
            }
        }
    }

    /// Builds class `j` of the group and the classes of the group it
    /// extends, depth first (with a stack of its own: a chain of classes
    /// extending one another may be long).
    fn build_class(
        &mut self,
        group: &mut [GroupClass<'a>],
        index: &HashMap<&str, usize>,
        j: usize,
    ) {
        let start = |group: &mut [GroupClass<'a>], j: usize| {
            group[j].state = State::Building;
            (j, Evaluating::new(group[j].extends))
        };
        let mut building = vec![start(group, j)];
        while let Some((j, eval)) = building.last_mut() {
            if let Some(needed) = self.evaluate(eval, Some((group, index))) {
                building.push(start(group, needed));
                continue;
            }
            let parents = eval.result();
            let parts = std::mem::take(&mut eval.parts);
            let (name, body) = (group[*j].name, group[*j].body);
            let info = self.make_class(&name.name, body, parents, parts, name.span);
            group[*j].state = State::Done(Some(info));
            building.pop();
        }
    }

    /// Runs the operations of a class expression. With a group, a class of
    /// the group not built yet stops it: `Some(j)`, to be built first (the
    /// operation is then run again).
    fn evaluate(
        &mut self,
        eval: &mut Evaluating<'a>,
        group: Option<(&mut [GroupClass<'a>], &HashMap<&str, usize>)>,
    ) -> Option<usize> {
        let mut group = group;
        while let Some(&op) = eval.ops.get(eval.next) {
            let value = match op {
                ClassOp::Var(id) => {
                    let local = match &mut group {
                        Some((g, index)) => index.get(id.name.as_str()).map(|&j| (&mut **g, j)),
                        None => None,
                    };
                    let found = match local {
                        Some((g, j)) => match &g[j].state {
                            State::Todo => return Some(j),
                            State::Done(info) => info.clone(),
                            State::Building => {
                                let name = g[j].name;
                                self.error(
                                    format!("class `{}` inherits from itself", name.name),
                                    name.span,
                                );
                                None
                            }
                        },
                        _ => match self.classes.lookup(&id.name) {
                            Some(c) => Some(c),
                            None => {
                                self.error(format!("unknown class `{}`", id.name), id.span);
                                None
                            }
                        },
                    };
                    found.into_iter().collect()
                }
                ClassOp::Literal(body) => {
                    let info = self.make_class("{ ... }", body, Vec::new(), Vec::new(), body.span);
                    eval.parts.push(info.clone());
                    vec![info]
                }
                ClassOp::Mixin => {
                    let b = eval.values.pop().expect("an operand");
                    let mut a = eval.values.pop().expect("an operand");
                    a.extend(b);
                    a
                }
                ClassOp::Subclass(body) => {
                    let parents = eval.values.pop().expect("an operand");
                    let info = self.make_class("{ ... }", body, parents, Vec::new(), body.span);
                    eval.parts.push(info.clone());
                    vec![info]
                }
            };
            eval.values.push(value);
            eval.next += 1;
        }
        None
    }

    fn make_class(
        &mut self,
        name: &str,
        body: &'a ClassBody,
        parents: Vec<Arc<ClassInfo<'a>>>,
        parts: Vec<Arc<ClassInfo<'a>>>,
        span: Span,
    ) -> Arc<ClassInfo<'a>> {
        let (own, defined) = self.class_members(body);
        let ancestors = linearize(&parents).unwrap_or_else(|msg| {
            self.error(msg, span);
            Vec::new()
        });
        let n = self.fresh();
        Arc::new(ClassInfo {
            name: name.to_string(),
            layer: format!("class {name}{}", n.replace('$', "#")),
            body,
            own,
            defined,
            ancestors,
            parts,
        })
    }

    /// The members a class body declares and those it defines.
    fn class_members(&mut self, body: &ClassBody) -> (Vec<String>, Vec<String>) {
        let mut own: Vec<String> = Vec::new();
        let mut defined: Vec<String> = Vec::new();
        let mut is_a_def: HashMap<String, bool> = HashMap::new();
        for decl in &body.decls {
            let (names, is_def) = match &decl.kind {
                DeclKind::Val { pattern, .. } => {
                    let mut names = Vec::new();
                    self.pattern(pattern).bound_names(&mut names);
                    (names, false)
                }
                DeclKind::Def(c) | DeclKind::Site(c) => (vec![c.name.name.clone()], true),
                DeclKind::ValSig { name, .. } => {
                    own.push(name.name.clone());
                    continue;
                }
                DeclKind::DefSig(s) | DeclKind::SiteSig(s) => {
                    own.push(s.name.name.clone());
                    continue;
                }
                DeclKind::TypeAlias { .. } | DeclKind::ImportType { .. } => continue,
                _ => {
                    self.errors.push(
                        Diagnostic::compile(
                            "a class body may only declare `val` and `def` members",
                            decl.span,
                        )
                        .with_help("declare this outside the class"),
                    );
                    continue;
                }
            };
            for n in names {
                // Clauses of one def share its name; anything else may not.
                match is_a_def.get(&n) {
                    Some(true) if is_def => {}
                    Some(_) => {
                        self.error(
                            format!("member `{n}` is defined twice in this class"),
                            decl.span,
                        );
                    }
                    None => {
                        is_a_def.insert(n.clone(), is_def);
                        defined.push(n.clone());
                    }
                }
                own.push(n);
            }
        }
        own.dedup();
        (own, defined)
    }

    // ----- lowering -----------------------------------------------------

    /// The layer definitions of the classes declared in a recursive group.
    pub(super) fn class_layers(
        &mut self,
        group: Vec<&'a ast::Decl>,
        k: K<'a, Vec<Def>>,
    ) -> Step<'a> {
        let mut classes = Vec::new();
        for d in group {
            let DeclKind::Class { name, .. } = &d.kind else {
                continue;
            };
            let Some(info) = self.classes.lookup(&name.name) else {
                continue;
            };
            classes.extend(info.parts.iter().cloned());
            classes.push(info);
        }
        self.layer_defs(classes.into_iter(), Vec::new(), k)
    }

    /// The layer definitions of `classes`, after `out`.
    fn layer_defs(
        &mut self,
        mut classes: std::vec::IntoIter<Arc<ClassInfo<'a>>>,
        mut out: Vec<Def>,
        k: K<'a, Vec<Def>>,
    ) -> Step<'a> {
        match classes.next() {
            None => ret(k, out),
            Some(info) => self.layer_def(
                info,
                Box::new(move |d, def| {
                    out.push(def);
                    d.layer_defs(classes, out, k)
                }),
            ),
        }
    }

    fn layer_def(&mut self, info: Arc<ClassInfo<'a>>, k: K<'a, Def>) -> Step<'a> {
        let (this, kk, sup) = (self.fresh(), self.fresh(), self.fresh());
        let names = info
            .linearization()
            .iter()
            .flat_map(|c| c.own.iter().cloned())
            .collect();
        let members = Members {
            names,
            this: this.clone(),
            sup: sup.clone(),
            self_name: info.body.self_name.as_ref().map(|n| n.name.clone()),
        };
        self.classes.depth += 1;
        let state = Layering {
            info,
            members,
            this,
            k: kk,
            sup,
            next: 0,
            vals: Vec::new(),
            clauses: Vec::new(),
            method_index: HashMap::new(),
            methods: Vec::new(),
        };
        self.layer_members(state, k)
    }

    /// Lowers the body's `val` members in order, gathering the clauses of
    /// its `def` members, then lowers those.
    fn layer_members(&mut self, mut st: Layering<'a>, k: K<'a, Def>) -> Step<'a> {
        let body: &'a ClassBody = st.info.body;
        while let Some(decl) = body.decls.get(st.next) {
            st.next += 1;
            match &decl.kind {
                DeclKind::Val { pattern, expr } => {
                    let p = self.pattern(pattern);
                    return then(expr, move |d, e| {
                        let e = d.subst(&st.members, e, Vec::new());
                        st.vals.push((p, e, decl.span));
                        d.layer_members(st, k)
                    });
                }
                DeclKind::Def(c) | DeclKind::Site(c) => {
                    let site = matches!(decl.kind, DeclKind::Site(_));
                    match st.method_index.get(c.name.name.as_str()) {
                        Some(&i) => st.clauses[i].1.push(Clause::of(c)),
                        None => {
                            st.method_index.insert(&c.name.name, st.clauses.len());
                            st.clauses
                                .push((&c.name.name, vec![Clause::of(c)], decl.span, site));
                        }
                    }
                }
                _ => {}
            }
        }
        let methods = std::mem::take(&mut st.clauses);
        self.layer_methods(st, methods.into_iter(), k)
    }

    fn layer_methods(
        &mut self,
        mut st: Layering<'a>,
        mut methods: std::vec::IntoIter<(&'a str, Vec<Clause<'a>>, Span, bool)>,
        k: K<'a, Def>,
    ) -> Step<'a> {
        let Some((name, cs, sp, site)) = methods.next() else {
            self.classes.depth -= 1;
            let def = self.assemble_layer(st);
            return ret(k, def);
        };
        self.def_group_member(
            name.to_string(),
            cs,
            sp,
            Box::new(move |d, mut def| {
                def.site = site;
                let bound = def.params.clone();
                let body = std::mem::replace(&mut def.body, Core::Stop);
                def.body = d.subst(&st.members, body, bound);
                st.methods.push(def);
                d.layer_methods(st, methods, k)
            }),
        )
    }

    /// The layer definition, once its members are lowered:
    /// `((def methods # install(this, k, ...)) <vals< ...) <super< superview(this, k)`.
    fn assemble_layer(&mut self, st: Layering<'a>) -> Def {
        let Layering {
            info,
            this,
            k,
            sup,
            vals,
            methods,
            ..
        } = st;
        let span = info.body.span;
        let mut installed = Vec::new();
        for (p, _, _) in &vals {
            p.bound_names(&mut installed);
        }
        installed.extend(methods.iter().map(|d| d.name.clone()));
        let mut args = vec![Atom::Var(this.clone(), span), Atom::Var(k.clone(), span)];
        args.extend(installed.iter().map(|n| Atom::Var(n.clone(), span)));
        let install = InstallLayer {
            names: installed.iter().map(|n| Arc::from(n.as_str())).collect(),
        };
        let mut body = Core::Call {
            target: Atom::Const(site(install)),
            args,
            span,
        };
        if !methods.is_empty() {
            body = Core::Defs(methods, Box::new(body));
        }
        for (p, e, sp) in vals.into_iter().rev() {
            body = self.member_val(body, p, e, sp);
        }
        let view = Core::Call {
            target: Atom::Const(site(SuperView)),
            args: vec![Atom::Var(this.clone(), span), Atom::Var(k.clone(), span)],
            span,
        };
        Def {
            name: info.layer.clone(),
            params: vec![this, k],
            body: Core::Pruning(Box::new(body), Some(sup), Box::new(view)),
            span,
            site: false,
            once: false,
        }
    }

    /// `body` with the member(s) `P` bound to the first publication of `e`.
    /// The computation goes on after it (it is not pruned): an object's
    /// `val _ = repeat(...)` is its thread. Through a slot:
    /// `slot() >s> ((body <P< slotread(s)) | (e >v> slotwrite(s, v) ; slothalt(s)))`
    /// — unless `e` cannot publish more than once, when a pruning will do.
    fn member_val(&mut self, body: Core, p: CorePat, e: Core, span: Span) -> Core {
        if let (Core::Const(_), CorePat::Bind(x)) = (&e, &p) {
            // A constant is bound at once, before any other member runs.
            return Core::Sequential(Box::new(e), Some(x.clone()), Box::new(body));
        }
        if matches!(
            e,
            Core::Const(_) | Core::Var(..) | Core::Field { .. } | Core::Stop
        ) {
            return self.pruning(body, Some(p), e, span);
        }
        let (s, v) = (self.fresh(), self.fresh());
        let call = |target, args| Core::Call {
            target: Atom::Const(target),
            args,
            span,
        };
        let slot = Atom::Var(s.clone(), span);
        let read = call(site(SlotRead), vec![slot.clone()]);
        let write = call(
            site(SlotWrite),
            vec![slot.clone(), Atom::Var(v.clone(), span)],
        );
        let writer = Core::Otherwise(
            Box::new(Core::Sequential(Box::new(e), Some(v), Box::new(write))),
            Box::new(call(site(SlotHalt), vec![slot])),
        );
        let reader = self.pruning(body, Some(p), read, span);
        Core::Sequential(
            Box::new(call(site(NewSlot), Vec::new())),
            Some(s),
            Box::new(Core::Parallel(Box::new(reader), Box::new(writer))),
        )
    }

    /// `new E`.
    pub(super) fn new_object(
        &mut self,
        class: &'a ClassExpr,
        span: Span,
        k: K<'a, Core>,
    ) -> Step<'a> {
        let mut eval = Evaluating::new(Some(class));
        self.evaluate(&mut eval, None);
        let parents = eval.result();
        let literals = std::mem::take(&mut eval.parts);
        let lin = match parents.as_slice() {
            [] => return ret(k, Core::Stop), // an unknown class, reported
            [one] => one.linearization(),
            _ => match linearize(&parents) {
                Ok(lin) => lin,
                Err(msg) => {
                    let stop = self.error(msg, span);
                    return ret(k, stop);
                }
            },
        };
        self.check_abstract(&lin, span);
        let obj = self.fresh();
        let mut run = Core::Var(obj.clone(), span);
        for (i, c) in lin.iter().enumerate().rev() {
            let layer = Core::Call {
                target: Atom::Var(c.layer.clone(), span),
                args: vec![
                    Atom::Var(obj.clone(), span),
                    Atom::Const(Value::Int(i as i64)),
                ],
                span,
            };
            run = Core::Parallel(Box::new(layer), Box::new(run));
        }
        // The layers are its arguments, so that (a site call being strict,
        // and a closure a value once what it captures is resolved) the
        // object is made once the variables its classes capture from their
        // scope are bound: its members never depend on a computation of
        // the expression that creates it, which a pruning may kill.
        let make = Core::Call {
            target: Atom::Const(site(NewObject { layers: lin.len() })),
            args: lin
                .iter()
                .map(|c| Atom::Var(c.layer.clone(), span))
                .collect(),
            span,
        };
        let core = Core::Sequential(Box::new(make), Some(obj), Box::new(run));
        if literals.is_empty() {
            return ret(k, core);
        }
        self.layer_defs(
            literals.into_iter(),
            Vec::new(),
            Box::new(move |_, layers| ret(k, Core::Defs(layers, Box::new(core)))),
        )
    }

    /// Every member some class of the linearization declares must be
    /// defined by one of them.
    fn check_abstract(&mut self, lin: &[Arc<ClassInfo>], span: Span) {
        let defined: HashSet<&str> = lin
            .iter()
            .flat_map(|c| c.defined.iter().map(|s| s.as_str()))
            .collect();
        let mut missing: Vec<&str> = Vec::new();
        for c in lin {
            for m in &c.own {
                if !defined.contains(m.as_str()) && !missing.contains(&m.as_str()) {
                    missing.push(m);
                }
            }
        }
        if missing.is_empty() {
            return;
        }
        let list = missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let what = match lin[0].name.as_str() {
            "{ ... }" => "this object".to_string(),
            name => format!("class `{name}`"),
        };
        self.errors.push(
            Diagnostic::compile(
                format!("cannot create an object of {what}: no class defines {list}"),
                span,
            )
            .with_help("define the abstract members, e.g. `new C { val x = ... }`"),
        );
    }

    pub(super) fn this_atom(&mut self, span: Span) -> Atom {
        if self.classes.depth == 0 {
            self.error(
                "`this` is the object being built: it is only defined in a class body",
                span,
            );
            return Atom::Const(Value::Signal);
        }
        Atom::Var("this".into(), span)
    }

    pub(super) fn this_expr(&mut self, span: Span) -> Core {
        match self.this_atom(span) {
            Atom::Var(x, span) => Core::Var(x, span),
            Atom::Const(_) => Core::Stop,
        }
    }

    /// `super.name`
    pub(super) fn super_member(&mut self, name: &ast::Ident, span: Span) -> Core {
        if self.classes.depth == 0 {
            return self.error("`super` is only defined in a class body", span);
        }
        Core::Field {
            target: Atom::Var("super".into(), span),
            name: name.name.clone(),
            span,
        }
    }

    // ----- names in class bodies ----------------------------------------

    /// Rewrites the free names of a member's code: `this`, the self name
    /// and `super` become the layer's variables, a member name `x` becomes
    /// `this.x`. `bound` holds the names bound around `core`.
    fn subst(&mut self, m: &Members, core: Core, bound: Vec<Name>) -> Core {
        let mut cx = Subst {
            d: self,
            m,
            bound: Bound::default(),
        };
        cx.bound.extend(bound);
        let start = subst_visit(&mut cx, core);
        stackless::run(&mut cx, start, subst_visit)
    }

    /// An atom naming a member becomes a fresh variable bound (in `binds`)
    /// to `this.name`.
    fn subst_atom(
        &mut self,
        m: &Members,
        a: Atom,
        bound: &Bound,
        binds: &mut Vec<(Name, Core)>,
    ) -> Atom {
        let Atom::Var(n, span) = a else {
            return a;
        };
        match member_ref(m, &n, bound) {
            Ref::Keep => Atom::Var(n, span),
            Ref::Rename(x) => Atom::Var(x, span),
            Ref::Member => {
                let x = self.fresh();
                binds.push((
                    x.clone(),
                    Core::Field {
                        target: Atom::Var(m.this.clone(), span),
                        name: n,
                        span,
                    },
                ));
                Atom::Var(x, span)
            }
        }
    }

    /// A pattern's constructors, rewritten (patterns nest at most
    /// `MAX_DEPTH` deep: this recursion is bounded).
    fn subst_pat(
        &mut self,
        m: &Members,
        p: CorePat,
        bound: &Bound,
        ctors: &mut Vec<(Name, Core)>,
    ) -> CorePat {
        let mut rec = |d: &mut Self, p| d.subst_pat(m, p, bound, ctors);
        match p {
            CorePat::Call(a, ps) => {
                let a = self.subst_atom(m, a, bound, ctors);
                let ps = ps
                    .into_iter()
                    .map(|p| self.subst_pat(m, p, bound, ctors))
                    .collect();
                CorePat::Call(a, ps)
            }
            CorePat::Tuple(ps) => CorePat::Tuple(ps.into_iter().map(|p| rec(self, p)).collect()),
            CorePat::List(ps) => CorePat::List(ps.into_iter().map(|p| rec(self, p)).collect()),
            CorePat::Cons(h, t) => CorePat::Cons(Box::new(rec(self, *h)), Box::new(rec(self, *t))),
            CorePat::Record(fs) => {
                CorePat::Record(fs.into_iter().map(|(n, p)| (n, rec(self, p))).collect())
            }
            CorePat::As(p, n) => CorePat::As(Box::new(rec(self, *p)), n),
            p @ (CorePat::Wildcard | CorePat::Bind(_) | CorePat::Const(_)) => p,
        }
    }
}

fn member_ref(m: &Members, n: &str, bound: &Bound) -> Ref {
    if bound.contains(n) {
        Ref::Keep
    } else if n == "this" || m.self_name.as_deref() == Some(n) {
        Ref::Rename(m.this.clone())
    } else if n == "super" {
        Ref::Rename(m.sup.clone())
    } else if m.names.contains(n) {
        Ref::Member
    } else {
        Ref::Keep
    }
}

/// The rewriting of a member's code (see [`Desugarer::subst`]).
struct Subst<'x, 'a> {
    d: &'x mut Desugarer<'a>,
    m: &'x Members,
    /// The names bound around the node being rewritten.
    bound: Bound,
}

/// Names in scope, innermost last, with how many times each is bound.
#[derive(Default)]
struct Bound {
    names: Vec<Name>,
    count: HashMap<Name, u32>,
}

impl Bound {
    fn len(&self) -> usize {
        self.names.len()
    }

    fn extend(&mut self, names: impl IntoIterator<Item = Name>) {
        for n in names {
            *self.count.entry(n.clone()).or_default() += 1;
            self.names.push(n);
        }
    }

    /// Forgets the names bound after the first `len`.
    fn truncate(&mut self, len: usize) {
        for n in self.names.drain(len..) {
            if let Some(c) = self.count.get_mut(&n) {
                *c -= 1;
                if *c == 0 {
                    self.count.remove(&n);
                }
            }
        }
    }

    fn contains(&self, n: &str) -> bool {
        self.count.contains_key(n)
    }
}

type SubstStep<'x, 'a> = stackless::Step<'x, Subst<'x, 'a>, Core, Core>;

/// Rewrites `core` with the names in `names` bound around it, then
/// continues with the result.
fn subst_under<'x, 'a>(
    cx: &mut Subst<'x, 'a>,
    core: Core,
    names: impl IntoIterator<Item = Name>,
    k: impl FnOnce(&mut Subst<'x, 'a>, Core) -> SubstStep<'x, 'a> + 'x,
) -> SubstStep<'x, 'a> {
    let before = cx.bound.len();
    cx.bound.extend(names);
    stackless::Step::Then(
        core,
        Box::new(move |cx, out| {
            cx.bound.truncate(before);
            k(cx, out)
        }),
    )
}

fn subst_then<'x, 'a>(
    core: Core,
    k: impl FnOnce(&mut Subst<'x, 'a>, Core) -> SubstStep<'x, 'a> + 'x,
) -> SubstStep<'x, 'a> {
    stackless::Step::Then(core, Box::new(k))
}

/// One node of [`Desugarer::subst`]. (`Core` has a `Drop`, so its parts
/// are taken out, leaving `stop`, rather than moved out by a pattern.)
fn subst_visit<'x, 'a>(cx: &mut Subst<'x, 'a>, mut core: Core) -> SubstStep<'x, 'a> {
    let take = |c: &mut Box<Core>| std::mem::replace(&mut **c, Core::Stop);
    let done = stackless::Step::Done;
    match &mut core {
        Core::Stop | Core::Const(_) => done(core),
        Core::Var(n, span) => {
            let (n, span) = (std::mem::take(n), *span);
            done(match member_ref(cx.m, &n, &cx.bound) {
                Ref::Keep => Core::Var(n, span),
                Ref::Rename(x) => Core::Var(x, span),
                Ref::Member => Core::Field {
                    target: Atom::Var(cx.m.this.clone(), span),
                    name: n,
                    span,
                },
            })
        }
        Core::Call { target, args, span } => {
            let (target, args, span) = (take_atom(target), std::mem::take(args), *span);
            let mut binds = Vec::new();
            let target = cx.d.subst_atom(cx.m, target, &cx.bound, &mut binds);
            let args = args
                .into_iter()
                .map(|a| cx.d.subst_atom(cx.m, a, &cx.bound, &mut binds))
                .collect();
            done(prune(Core::Call { target, args, span }, binds))
        }
        Core::Field { target, name, span } => {
            let (target, name, span) = (take_atom(target), std::mem::take(name), *span);
            let mut binds = Vec::new();
            let target = cx.d.subst_atom(cx.m, target, &cx.bound, &mut binds);
            done(prune(Core::Field { target, name, span }, binds))
        }
        Core::Parallel(l, r) => {
            let (l, r) = (take(l), take(r));
            subst_then(l, move |_, l| {
                subst_then(r, move |_, r| {
                    done(Core::Parallel(Box::new(l), Box::new(r)))
                })
            })
        }
        Core::Otherwise(l, r) => {
            let (l, r) = (take(l), take(r));
            subst_then(l, move |_, l| {
                subst_then(r, move |_, r| {
                    done(Core::Otherwise(Box::new(l), Box::new(r)))
                })
            })
        }
        Core::Trim(e) => subst_then(take(e), move |_, e| done(Core::Trim(Box::new(e)))),
        Core::Sequential(l, x, r) => {
            let (l, x, r) = (take(l), x.take(), take(r));
            subst_then(l, move |cx, l| {
                subst_under(cx, r, x.clone(), move |_, r| {
                    done(Core::Sequential(Box::new(l), x, Box::new(r)))
                })
            })
        }
        Core::Pruning(l, x, r) => {
            let (l, x, r) = (take(l), x.take(), take(r));
            subst_under(cx, l, x.clone(), move |_, l| {
                subst_then(r, move |_, r| {
                    done(Core::Pruning(Box::new(l), x, Box::new(r)))
                })
            })
        }
        Core::Defs(defs, body) => {
            let (defs, body) = (std::mem::take(defs), take(body));
            let before = cx.bound.len();
            cx.bound.extend(defs.iter().map(|d| d.name.clone()));
            subst_defs(cx, defs.into_iter(), Vec::new(), body, before)
        }
        Core::Match {
            scrutinees,
            patterns,
            then,
            otherwise,
            span,
        } => {
            let (scrutinees, patterns, then, otherwise, span) = (
                std::mem::take(scrutinees),
                std::mem::take(patterns),
                take(then),
                take(otherwise),
                *span,
            );
            let mut binds = Vec::new();
            let scrutinees: Vec<Atom> = scrutinees
                .into_iter()
                .map(|a| cx.d.subst_atom(cx.m, a, &cx.bound, &mut binds))
                .collect();
            // A constructor in a pattern must be a value when matching.
            let mut ctors = Vec::new();
            let patterns: Vec<CorePat> = patterns
                .into_iter()
                .map(|p| cx.d.subst_pat(cx.m, p, &cx.bound, &mut ctors))
                .collect();
            let mut names = Vec::new();
            patterns.iter().for_each(|p| p.bound_names(&mut names));
            subst_under(cx, then, names, move |_, then| {
                subst_then(otherwise, move |_, otherwise| {
                    let mut core = Core::Match {
                        scrutinees,
                        patterns,
                        then: Box::new(then),
                        otherwise: Box::new(otherwise),
                        span,
                    };
                    for (x, e) in ctors.into_iter().rev() {
                        core = Core::Sequential(Box::new(e), Some(x), Box::new(core));
                    }
                    done(prune(core, binds))
                })
            })
        }
    }
}

/// The definitions of a group in member code, each body with its
/// parameters bound (the group's names are bound from `before` on), then
/// the group's body.
fn subst_defs<'x, 'a>(
    cx: &mut Subst<'x, 'a>,
    mut defs: std::vec::IntoIter<Def>,
    mut out: Vec<Def>,
    body: Core,
    before: usize,
) -> SubstStep<'x, 'a> {
    let Some(mut def) = defs.next() else {
        return subst_then(body, move |cx, body| {
            cx.bound.truncate(before);
            stackless::Step::Done(Core::Defs(out, Box::new(body)))
        });
    };
    let code = std::mem::replace(&mut def.body, Core::Stop);
    let params = def.params.clone();
    subst_under(cx, code, params, move |cx, code| {
        def.body = code;
        out.push(def);
        subst_defs(cx, defs, out, body, before)
    })
}

fn take_atom(a: &mut Atom) -> Atom {
    std::mem::replace(a, Atom::Const(Value::Signal))
}

/// `core <x< e` for each binding.
fn prune(core: Core, binds: Vec<(Name, Core)>) -> Core {
    binds.into_iter().rev().fold(core, |acc, (x, e)| {
        Core::Pruning(Box::new(acc), Some(x), Box::new(e))
    })
}

/// The C3 linearization of a class with these parents (in `with` order),
/// without the class itself.
fn linearize<'a>(parents: &[Arc<ClassInfo<'a>>]) -> Result<Vec<Arc<ClassInfo<'a>>>, String> {
    if let [parent] = parents {
        // The merge of L(P) and [P] is L(P).
        return Ok(parent.linearization());
    }
    let mut seqs: Vec<Vec<Arc<ClassInfo<'a>>>> =
        parents.iter().rev().map(|p| p.linearization()).collect();
    seqs.push(parents.iter().rev().cloned().collect());
    let mut out = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let in_a_tail = |c: &Arc<ClassInfo>| {
            seqs.iter()
                .any(|s| s[1..].iter().any(|t| Arc::ptr_eq(t, c)))
        };
        let Some(next) = seqs.iter().map(|s| &s[0]).find(|c| !in_a_tail(c)).cloned() else {
            let heads: Vec<String> = seqs.iter().map(|s| format!("`{}`", s[0].name)).collect();
            return Err(format!(
                "the classes mixed in here cannot be linearized: {} appear in conflicting \
                 orders in the linearizations of the classes mixed in",
                heads.join(" and ")
            ));
        };
        for s in seqs.iter_mut() {
            if Arc::ptr_eq(&s[0], &next) {
                s.remove(0);
            }
        }
        out.push(next);
    }
}
