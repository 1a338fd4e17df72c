//! What tokens do with objects (see [`crate::value::object`]): start a
//! layer where its members belong, install the layer, read a member (`o.x`,
//! waiting for it like for a pruned variable), and call an object through
//! its `apply` member.
//!
//! An object's members belong to the object, not to the expression that
//! made it (DIVERGENCES.md, 2 and 3), so no pruning around `new` can make
//! an object lose a member: a layer, once called, leaves the groups and
//! counters of `new` for the run's root ones, with a `>> stop` frame for
//! its whole continuation, and it and every member computation it starts
//! run until they halt or the run ends. `new` takes the layers as its
//! arguments, so the object is made once what they capture is resolved,
//! except for *anchored* futures (made in the root group), which a layer
//! may hold pending.
//!
//! [`InstallLayer`], the site a class's layer calls to install its
//! members, is defined here, where the evaluator recognises it; its
//! [`Site`](crate::value::site::Site) implementation, which is never called, is
//! with the other sites `new` is lowered to (`crate::sites::layers`).

use super::engine::Run;
use super::operands::{binding, read, Arg};
use super::token::{Frame, Hot, Stack};
use crate::diagnostics::Span;
use crate::value::code::{Code, CodePtr, Operand};
use crate::value::env::{Binding, Read};
use crate::value::handles::TokenRef;
use crate::value::object::{Layer, Member};
use crate::value::{ObjectRef, Value};
use std::sync::Arc;

/// Installs one class's members into an object: called by the evaluator
/// with the members' bindings (see the module comment).
pub struct InstallLayer {
    /// The member names, in the order of the arguments after `(this, k)`.
    pub names: Arc<[Arc<str>]>,
}

impl Run {
    /// A layer of a new object starts (token `t`, running `h`, is about to
    /// run it). An object's members belong to the object, not to the
    /// expression that happened to create it: killing that expression
    /// (a pruning or `{| |}` it is in, which its own publication may
    /// trigger) must not stop them, or the object would lose them while
    /// it lives on. So the layer, and every computation of a member it
    /// starts, leaves the groups and counters of `new` for the run's root
    /// ones: it runs until it halts or the run ends, and keeps the run
    /// going meanwhile. Its continuation is dropped (a layer and its
    /// members' computations never publish) for a `>> stop` frame.
    pub(crate) fn detach_layer(&mut self, t: TokenRef, h: &mut Hot) {
        let mut stack = Stack::default();
        stack.push(Frame::Discard);
        h.stack = stack;
        h.seqs = 0;
        let (group, counter) = (self.root_group, self.root_counter);
        self.move_to_group(t, group);
        self.move_to_counter(t, counter);
    }

    /// `install(this, k, m1, ..., mn)`: the members are taken as they are
    /// (futures stay futures). The token halts afterwards.
    pub(crate) fn install_layer(
        &mut self,
        t: TokenRef,
        h: &Hot,
        site: &InstallLayer,
        args: &[Operand],
        span: Span,
    ) -> bool {
        let bindings: Vec<Binding> = args.iter().map(|a| binding(h, a)).collect();
        let installed = match bindings.as_slice() {
            [Binding::Value(Value::Object(this)), Binding::Value(Value::Int(k)), members @ ..]
                if *k >= 0 && members.len() == site.names.len() =>
            {
                let members = site.names.iter().cloned().zip(members.iter().cloned());
                let layer = Layer::new(&this.object, members.collect());
                let object = &this.object;
                if object.layers_missing() == object.layer_count() {
                    // Its first layer: from now on it holds values, and
                    // may hold itself (see `crate::value::cycles`).
                    self.cycles.track_object(object);
                }
                object.install(*k as usize, layer)
            }
            _ => Err("internal error: malformed object layer".to_string()),
        };
        match installed {
            Ok(Some(complete)) => self.resolve_future(&complete, Some(Value::Signal)),
            Ok(None) => {}
            Err(msg) => self.report(msg, Some(span)),
        }
        self.halt(t);
        false
    }

    /// `x <x< o.name` where `o` is a complete object that has the member:
    /// `x` is bound to the member itself, pending or not (a member read is
    /// lenient, as in the reference). So `val ring = Cons(1, ring)` in a
    /// class body passes the member's future along instead of a read that
    /// the pruning around the call would kill.
    pub(crate) fn inline_member(&self, h: &Hot, right: &Code) -> Option<Binding> {
        let Code::Field { target, name, .. } = right else {
            return None;
        };
        let Arg::Ready(Value::Object(o)) = read(h, target) else {
            return None;
        };
        match o.member(name) {
            Member::Found(b) => Some(b),
            Member::Missing | Member::Building(_) => None,
        }
    }

    /// `o.name` on an object: publishes the member once it has a value,
    /// halts if its computation halted.
    pub(crate) fn object_field(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        o: &ObjectRef,
        name: &str,
        span: Span,
    ) -> bool {
        match o.member(name) {
            Member::Found(b) => match b.read() {
                Read::Ready(v) => {
                    let v = v.clone();
                    self.publish(t, h, v)
                }
                Read::Pending(f) => {
                    let f = f.clone();
                    self.block_on(t, h, code, &[f]);
                    false
                }
                Read::Halted => {
                    self.halt(t);
                    false
                }
            },
            Member::Building(f) => {
                self.block_on(t, h, code, &[f]);
                false
            }
            Member::Missing => {
                let o = crate::value::limits::shown(o);
                self.report(format!("the object {o} has no member `{name}`"), Some(span));
                self.halt(t);
                false
            }
        }
    }

    /// `o(args)`: calls the object's `apply` member.
    pub(crate) fn call_object(
        &mut self,
        t: TokenRef,
        h: &mut Hot,
        code: CodePtr,
        o: &ObjectRef,
        args: &[Operand],
        span: Span,
    ) -> bool {
        let apply = match o.member("apply") {
            Member::Found(b) => b,
            Member::Building(f) => {
                self.block_on(t, h, code, &[f]);
                return false;
            }
            Member::Missing => {
                let o = crate::value::limits::shown(o);
                let msg = format!("the object {o} is not callable: it has no member `apply`");
                self.report(msg, Some(span));
                self.halt(t);
                return false;
            }
        };
        let apply = match apply.read() {
            Read::Ready(v) => v.clone(),
            Read::Pending(f) => {
                let f = f.clone();
                self.block_on(t, h, code, &[f]);
                return false;
            }
            Read::Halted => {
                self.halt(t);
                return false;
            }
        };
        self.call_value(t, h, code, apply, args, span)
    }
}
