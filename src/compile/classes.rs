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

use super::core::{Atom, Core, CorePat, Def, Name};
use super::desugar::{is_def, Desugarer};
use crate::diagnostics::{Diagnostic, Span};
use crate::sites::layers::{
    InstallLayer, NewObject, NewSlot, SlotHalt, SlotRead, SlotWrite, SuperView,
};
use crate::syntax::ast::{self, ClassBody, ClassExpr, DeclKind};
use crate::value::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// Layer definitions are named `class Name#n`: the space keeps them apart
/// from every name a program can write.
pub fn is_layer(name: &str) -> bool {
    name.starts_with("class ")
}

/// Whether `core` is the lowering of `new E`, which publishes exactly once
/// and at once (the desugarer then binds it in sequence, not by pruning).
pub(super) fn is_new(core: &Core) -> bool {
    match core {
        Core::Defs(defs, body) => defs.iter().all(|d| is_layer(&d.name)) && is_new(body),
        Core::Sequential(make, Some(_), _) => matches!(
            &**make,
            Core::Call { target: Atom::Const(Value::Site(s)), .. } if s.as_any().is::<NewObject>()
        ),
        _ => false,
    }
}

/// What the compiler knows of a class.
pub(super) struct ClassInfo {
    /// The declared name, or `{ ... }` for a class literal.
    name: String,
    /// The name of its layer definition.
    layer: Name,
    body: ClassBody,
    /// Members the body declares: defined or abstract.
    own: Vec<String>,
    /// Members the body defines (a value or a definition).
    defined: Vec<String>,
    /// The linearization after the class itself, most derived first.
    ancestors: Vec<Arc<ClassInfo>>,
    /// Class literals in the `extends` clause, whose layers are defined
    /// next to this class's.
    parts: Vec<Arc<ClassInfo>>,
}

impl ClassInfo {
    fn linearization(self: &Arc<Self>) -> Vec<Arc<ClassInfo>> {
        std::iter::once(self.clone())
            .chain(self.ancestors.iter().cloned())
            .collect()
    }
}

/// The classes in scope while desugaring, and how deep in class bodies.
#[derive(Default)]
pub(super) struct Scope {
    visible: Vec<Arc<ClassInfo>>,
    depth: u32,
}

impl Scope {
    /// Forgets the classes declared after the first `n`.
    pub(super) fn truncate(&mut self, n: usize) {
        self.visible.truncate(n);
    }

    fn lookup(&self, name: &str) -> Option<Arc<ClassInfo>> {
        self.visible.iter().rev().find(|c| c.name == name).cloned()
    }
}

/// A class declaration of a recursive group, while the group's classes are
/// being declared (they may extend each other in any order).
struct GroupClass<'a> {
    name: &'a ast::Ident,
    extends: Option<&'a ClassExpr>,
    body: &'a ClassBody,
    state: State,
}

#[derive(Clone)]
enum State {
    Todo,
    Building,
    Done(Option<Arc<ClassInfo>>),
}

/// How the names of a class body are rewritten (see [`Desugarer::subst`]).
struct Members {
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

fn site(s: impl crate::runtime::site::Site) -> Value {
    Value::Site(Arc::new(s))
}

impl Desugarer<'_> {
    // ----- declaring ----------------------------------------------------

    /// Declares the classes of a (flattened) declaration list. Returns the
    /// number of classes visible before it, and for each declaration the
    /// number visible while lowering it: those declared before it and those
    /// of its own recursive group.
    pub(super) fn enter_classes(&mut self, flat: &[&ast::Decl]) -> (usize, Vec<usize>) {
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

    fn declare_group(&mut self, group: &[&ast::Decl]) {
        let mut classes: Vec<GroupClass> = Vec::new();
        for d in group {
            if let DeclKind::Class {
                name,
                extends,
                body,
                ..
            } = &d.kind
            {
                if classes.iter().any(|c| c.name.name == name.name) {
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
        for j in 0..classes.len() {
            self.build_class(&mut classes, j);
        }
        for c in classes {
            if let State::Done(Some(info)) = c.state {
                self.classes.visible.push(info);
            }
        }
    }

    fn build_class(&mut self, group: &mut [GroupClass], j: usize) -> Option<Arc<ClassInfo>> {
        match &group[j].state {
            State::Done(info) => return info.clone(),
            State::Building => {
                let name = group[j].name;
                self.error(
                    format!("class `{}` inherits from itself", name.name),
                    name.span,
                );
                return None;
            }
            State::Todo => {}
        }
        group[j].state = State::Building;
        let (name, extends, body) = (group[j].name, group[j].extends, group[j].body);
        let mut parts = Vec::new();
        let parents = match extends {
            Some(e) => self.class_parents(e, &mut parts, Some(&mut *group)),
            None => Vec::new(),
        };
        let info = self.make_class(&name.name, body, parents, parts, name.span);
        group[j].state = State::Done(Some(info.clone()));
        Some(info)
    }

    /// The classes a class expression lists, in `with` order. Class
    /// literals become anonymous classes, added to `parts`.
    fn class_parents(
        &mut self,
        e: &ClassExpr,
        parts: &mut Vec<Arc<ClassInfo>>,
        mut group: Option<&mut [GroupClass]>,
    ) -> Vec<Arc<ClassInfo>> {
        match e {
            ClassExpr::Var(id) => {
                let local = group
                    .as_deref()
                    .and_then(|g| g.iter().position(|c| c.name.name == id.name));
                let found = match (local, group) {
                    (Some(j), Some(g)) => self.build_class(g, j),
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
            ClassExpr::Body(body) => {
                let info = self.make_class("{ ... }", body, Vec::new(), Vec::new(), body.span);
                parts.push(info.clone());
                vec![info]
            }
            ClassExpr::Mixin(a, b) => {
                let mut out = self.class_parents(a, parts, group.as_deref_mut());
                out.extend(self.class_parents(b, parts, group));
                out
            }
            ClassExpr::Subclass(base, body) => {
                let parents = self.class_parents(base, parts, group);
                let info = self.make_class("{ ... }", body, parents, Vec::new(), body.span);
                parts.push(info.clone());
                vec![info]
            }
        }
    }

    fn make_class(
        &mut self,
        name: &str,
        body: &ClassBody,
        parents: Vec<Arc<ClassInfo>>,
        parts: Vec<Arc<ClassInfo>>,
        span: Span,
    ) -> Arc<ClassInfo> {
        let (own, defined) = self.class_members(body);
        let ancestors = linearize(&parents).unwrap_or_else(|msg| {
            self.error(msg, span);
            Vec::new()
        });
        let n = self.fresh();
        Arc::new(ClassInfo {
            name: name.to_string(),
            layer: format!("class {name}{}", n.replace('$', "#")),
            body: body.clone(),
            own,
            defined,
            ancestors,
            parts,
        })
    }

    /// The members a class body declares and those it defines.
    fn class_members(&mut self, body: &ClassBody) -> (Vec<String>, Vec<String>) {
        let mut own: Vec<String> = Vec::new();
        let mut defined: Vec<(String, bool)> = Vec::new(); // (name, is a def)
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
                match defined.iter().find(|(m, _)| *m == n) {
                    Some((_, true)) if is_def => {}
                    Some(_) => {
                        self.error(
                            format!("member `{n}` is defined twice in this class"),
                            decl.span,
                        );
                    }
                    None => defined.push((n.clone(), is_def)),
                }
                own.push(n);
            }
        }
        own.dedup();
        (own, defined.into_iter().map(|(n, _)| n).collect())
    }

    // ----- lowering -----------------------------------------------------

    /// The layer definitions of the classes declared in a recursive group.
    pub(super) fn class_layers(&mut self, group: &[&ast::Decl]) -> Vec<Def> {
        let mut out = Vec::new();
        for d in group {
            let DeclKind::Class { name, .. } = &d.kind else {
                continue;
            };
            let Some(info) = self.classes.lookup(&name.name) else {
                continue;
            };
            for part in &info.parts {
                out.push(self.layer_def(part));
            }
            out.push(self.layer_def(&info));
        }
        out
    }

    fn layer_def(&mut self, info: &Arc<ClassInfo>) -> Def {
        let span = info.body.span;
        let (this, k, sup) = (self.fresh(), self.fresh(), self.fresh());
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
        let mut vals = Vec::new();
        let mut clauses: Vec<(&str, Vec<&ast::DefClause>, Span, bool)> = Vec::new();
        for decl in &info.body.decls {
            match &decl.kind {
                DeclKind::Val { pattern, expr } => {
                    let p = self.pattern(pattern);
                    let e = self.expr(expr);
                    let e = self.subst(&members, e, &mut Vec::new());
                    vals.push((p, e, decl.span));
                }
                DeclKind::Def(c) | DeclKind::Site(c) => {
                    let site = matches!(decl.kind, DeclKind::Site(_));
                    match clauses.iter_mut().find(|(n, ..)| *n == c.name.name) {
                        Some((_, cs, ..)) => cs.push(c),
                        None => clauses.push((&c.name.name, vec![c], decl.span, site)),
                    }
                }
                _ => {}
            }
        }
        let mut methods = Vec::new();
        for (name, cs, sp, site) in clauses {
            let mut def = self.def_group_member(name, &cs, sp);
            def.site = site;
            let mut bound = def.params.clone();
            def.body = self.subst(&members, def.body, &mut bound);
            methods.push(def);
        }
        self.classes.depth -= 1;

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
    pub(super) fn new_object(&mut self, class: &ClassExpr, span: Span) -> Core {
        let mut literals = Vec::new();
        let parents = self.class_parents(class, &mut literals, None);
        let lin = match parents.as_slice() {
            [] => return Core::Stop, // an unknown class, reported
            [one] => one.linearization(),
            _ => match linearize(&parents) {
                Ok(lin) => lin,
                Err(msg) => return self.error(msg, span),
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
            return core;
        }
        let layers = literals.iter().map(|c| self.layer_def(c)).collect();
        Core::Defs(layers, Box::new(core))
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

    fn member_ref(m: &Members, n: &str, bound: &[Name]) -> Ref {
        if bound.iter().any(|b| b == n) {
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

    /// Rewrites the free names of a member's code: `this`, the self name
    /// and `super` become the layer's variables, a member name `x` becomes
    /// `this.x`. `bound` holds the names bound around `core`.
    fn subst(&mut self, m: &Members, core: Core, bound: &mut Vec<Name>) -> Core {
        match core {
            Core::Stop | Core::Const(_) => core,
            Core::Var(n, span) => match Self::member_ref(m, &n, bound) {
                Ref::Keep => Core::Var(n, span),
                Ref::Rename(x) => Core::Var(x, span),
                Ref::Member => Core::Field {
                    target: Atom::Var(m.this.clone(), span),
                    name: n,
                    span,
                },
            },
            Core::Call { target, args, span } => {
                let mut binds = Vec::new();
                let target = self.subst_atom(m, target, bound, &mut binds);
                let args = args
                    .into_iter()
                    .map(|a| self.subst_atom(m, a, bound, &mut binds))
                    .collect();
                prune(Core::Call { target, args, span }, binds)
            }
            Core::Field { target, name, span } => {
                let mut binds = Vec::new();
                let target = self.subst_atom(m, target, bound, &mut binds);
                prune(Core::Field { target, name, span }, binds)
            }
            Core::Parallel(l, r) => Core::Parallel(
                Box::new(self.subst(m, *l, bound)),
                Box::new(self.subst(m, *r, bound)),
            ),
            Core::Otherwise(l, r) => Core::Otherwise(
                Box::new(self.subst(m, *l, bound)),
                Box::new(self.subst(m, *r, bound)),
            ),
            Core::Trim(e) => Core::Trim(Box::new(self.subst(m, *e, bound))),
            Core::Sequential(l, x, r) => {
                let l = self.subst(m, *l, bound);
                let r = self.subst_under(m, *r, bound, x.iter().cloned());
                Core::Sequential(Box::new(l), x, Box::new(r))
            }
            Core::Pruning(l, x, r) => {
                let l = self.subst_under(m, *l, bound, x.iter().cloned());
                let r = self.subst(m, *r, bound);
                Core::Pruning(Box::new(l), x, Box::new(r))
            }
            Core::Defs(defs, body) => {
                let before = bound.len();
                bound.extend(defs.iter().map(|d| d.name.clone()));
                let defs = defs
                    .into_iter()
                    .map(|d| {
                        let body = self.subst_under(m, d.body, bound, d.params.iter().cloned());
                        Def { body, ..d }
                    })
                    .collect();
                let body = self.subst(m, *body, bound);
                bound.truncate(before);
                Core::Defs(defs, Box::new(body))
            }
            Core::Match {
                scrutinees,
                patterns,
                then,
                otherwise,
                span,
            } => {
                let mut binds = Vec::new();
                let scrutinees = scrutinees
                    .into_iter()
                    .map(|a| self.subst_atom(m, a, bound, &mut binds))
                    .collect();
                // A constructor in a pattern must be a value when matching.
                let mut ctors = Vec::new();
                let patterns: Vec<CorePat> = patterns
                    .into_iter()
                    .map(|p| self.subst_pat(m, p, bound, &mut ctors))
                    .collect();
                let mut names = Vec::new();
                patterns.iter().for_each(|p| p.bound_names(&mut names));
                let then = self.subst_under(m, *then, bound, names);
                let otherwise = self.subst(m, *otherwise, bound);
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
                prune(core, binds)
            }
        }
    }

    fn subst_under(
        &mut self,
        m: &Members,
        core: Core,
        bound: &mut Vec<Name>,
        names: impl IntoIterator<Item = Name>,
    ) -> Core {
        let before = bound.len();
        bound.extend(names);
        let out = self.subst(m, core, bound);
        bound.truncate(before);
        out
    }

    /// An atom naming a member becomes a fresh variable bound (in `binds`)
    /// to `this.name`.
    fn subst_atom(
        &mut self,
        m: &Members,
        a: Atom,
        bound: &[Name],
        binds: &mut Vec<(Name, Core)>,
    ) -> Atom {
        let Atom::Var(n, span) = a else {
            return a;
        };
        match Self::member_ref(m, &n, bound) {
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

    fn subst_pat(
        &mut self,
        m: &Members,
        p: CorePat,
        bound: &[Name],
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

/// `core <x< e` for each binding.
fn prune(core: Core, binds: Vec<(Name, Core)>) -> Core {
    binds.into_iter().rev().fold(core, |acc, (x, e)| {
        Core::Pruning(Box::new(acc), Some(x), Box::new(e))
    })
}

/// The C3 linearization of a class with these parents (in `with` order),
/// without the class itself.
fn linearize(parents: &[Arc<ClassInfo>]) -> Result<Vec<Arc<ClassInfo>>, String> {
    let mut seqs: Vec<Vec<Arc<ClassInfo>>> =
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
