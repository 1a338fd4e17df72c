//! Groups and halting counters.
//!
//! * A **group** is the unit of killing. `{| f |}` and the right side of
//!   `f <x< g` run in a child group that is killed, with all its tokens and
//!   descendant groups, when it publishes. Killing a token cancels what it
//!   waits on (timer entry, call handle, async task).
//! * A **counter** detects halting exactly: it counts the live tokens of a
//!   region (plus one per child counter). `f ; g` runs `f` under a counter
//!   that starts `g` when it reaches zero if `f` never published; the right
//!   side of a pruning runs under a counter that halts the pruned future when
//!   it reaches zero unbound; the root counter reaching zero ends the run.
//!
//! The entries of the run's tables of groups and counters are in
//! [`super::scopes`]; here is what the run does with them.

use super::binder::BinderRef;
use super::engine::Run;
use super::operands::known_publication;
use super::scopes::{Counter, CounterKind, Group};
use super::token::{Frame, Hot, Next, Place, UNTRACKED};
use super::wheel::TimerKey;
use crate::value::code::CodePtr;
use crate::value::env::FutureRef;
use crate::value::handles::{CounterRef, GroupRef, TokenRef};
use crate::value::Value;
use smallvec::SmallVec;

/// `*next = Next::Publish(v.clone())`, with `v` copied as
/// [`Value::copied`] does.
#[inline(always)]
fn set_publish(next: &mut Next, v: &Value) {
    // (Each arm builds its `Next` in place: built once and then copied,
    // the copy's wide loads waited for the stores that built it.)
    match v {
        Value::Int(n) => *next = Next::Publish(Value::Int(*n)),
        Value::Bool(b) => *next = Next::Publish(Value::Bool(*b)),
        other => *next = Next::Publish(other.clone()),
    }
}

/// A start that publishes `v` to `stack`, with no activation.
fn publishing(v: Value, stack: super::token::Stack) -> Hot {
    Hot {
        next: Next::Publish(v),
        stack,
        ..Hot::empty()
    }
}

impl Run {
    // ----- groups -------------------------------------------------------

    pub(crate) fn new_group(&mut self, parent: GroupRef) -> GroupRef {
        let g = self.groups.insert(Group {
            parent: parent.index,
            alive: true,
            tokens: SmallVec::new(),
            children: SmallVec::new(),
            child_pos: 0,
            pins: 0,
            holds_sites: false,
        });
        if parent == self.root_group {
            // As with its tokens, the root group keeps no list of its
            // children: it is only killed whole, with every group.
            if let Some(child) = self.groups.get_mut(g) {
                child.child_pos = UNTRACKED;
            }
        } else if let Some(p) = self.groups.get_mut(parent) {
            p.children.push(g);
            let pos = p.children.len() as u32 - 1;
            if let Some(child) = self.groups.get_mut(g) {
                child.child_pos = pos;
            }
        }
        g
    }

    pub(crate) fn join_group(&mut self, t: TokenRef, g: GroupRef) {
        if g == self.root_group {
            // The root group is only ever killed whole, with every token
            // in the run: a list of its own tokens would only cost a
            // scattered write for each token that leaves it.
            if let Some(tok) = self.tokens.get_mut(t) {
                tok.group_pos = UNTRACKED;
            }
            return;
        }
        if let Some(group) = self.groups.get_mut(g) {
            group.tokens.push(t);
            let pos = group.tokens.len() as u32 - 1;
            if let Some(tok) = self.tokens.get_mut(t) {
                tok.group_pos = pos;
            }
        }
    }

    pub(crate) fn group_alive(&self, g: GroupRef) -> bool {
        self.groups.get(g).is_some_and(|g| g.alive)
    }

    pub(crate) fn group_parent(&self, g: GroupRef) -> Option<GroupRef> {
        self.groups.key_at(self.groups.get(g)?.parent)
    }

    /// Removes the token at `pos` from group `g`'s list.
    pub(crate) fn leave_group(&mut self, g: GroupRef, pos: u32) {
        if let Some(group) = self.groups.get_mut(g) {
            let pos = pos as usize;
            if pos < group.tokens.len() {
                group.tokens.swap_remove(pos);
                if let Some(&moved) = group.tokens.get(pos) {
                    if let Some(tok) = self.tokens.get_mut(moved) {
                        tok.group_pos = pos as u32;
                    }
                }
            }
        }
        self.maybe_free_group(g);
    }

    /// Moves a token into another group (entering `{| |}`, leaving it).
    pub(crate) fn move_to_group(&mut self, t: TokenRef, to: GroupRef) {
        let Some(tok) = self.tokens.get_mut(t) else {
            return;
        };
        let from = std::mem::replace(&mut tok.group, to.index);
        let pos = tok.group_pos;
        let from = self.group_key(from);
        // Join before leaving: leaving may free `from` and then every
        // ancestor left empty, which can include `to` (a trimmed group's
        // parent whose only token is this one).
        self.join_group(t, to);
        self.leave_group(from, pos);
    }

    /// Frees groups that have no tokens and no children left.
    pub(crate) fn maybe_free_group(&mut self, mut g: GroupRef) {
        loop {
            if g == self.root_group {
                return;
            }
            let Some(group) = self.groups.get(g) else {
                return;
            };
            if !group.tokens.is_empty()
                || !group.children.is_empty()
                || group.pins > 0
                || group.holds_sites
            {
                return;
            }
            let (parent, pos) = (group.parent, group.child_pos as usize);
            self.groups.remove(g);
            let Some(p) = self.groups.key_at(parent) else {
                return;
            };
            if p == self.root_group {
                return;
            }
            if let Some(pg) = self.groups.get_mut(p) {
                if pos < pg.children.len() {
                    pg.children.swap_remove(pos);
                    if let Some(&moved) = pg.children.get(pos) {
                        if let Some(mg) = self.groups.get_mut(moved) {
                            mg.child_pos = pos as u32;
                        }
                    }
                }
            }
            g = p;
        }
    }

    /// Kills a group: all its tokens and all its descendant groups.
    pub(crate) fn kill_group(&mut self, g: GroupRef) {
        let mut todo: SmallVec<[GroupRef; 4]> = SmallVec::new();
        todo.push(g);
        let mut victims: SmallVec<[TokenRef; 4]> = SmallVec::new();
        let mut holds = Vec::new();
        let mut binders: SmallVec<[(BinderRef, TimerKey); 1]> = SmallVec::new();
        if g == self.root_group {
            // Its tokens and children are not listed (see `join_group`,
            // `new_group`): all go.
            victims.extend(self.tokens.keys());
            todo.extend(self.groups.keys());
        }
        while let Some(g) = todo.pop() {
            if let Some(group) = self.groups.get_mut(g) {
                if !group.alive {
                    continue;
                }
                group.alive = false;
                victims.extend(group.tokens.iter().copied());
                todo.extend(group.children.iter().copied());
                if std::mem::take(&mut group.holds_sites) {
                    holds.extend(self.site_holds.remove(&g).unwrap_or_default());
                }
                if !self.group_binders.is_empty() {
                    if let Some(list) = self.group_binders.remove(&g.index) {
                        binders.extend(list);
                    }
                }
            }
        }
        for t in victims {
            self.remove_token(t);
        }
        for (b, timer) in binders {
            if let Some(binder) = self.binders.remove(b) {
                self.wheel.cancel(timer);
                self.end_binder(binder, None);
            }
        }
        if g == self.root_group && !self.binders.is_empty() {
            // The root group's binders (it keeps no list of them, see
            // `super::binder`) go too. Their timers are the only ones
            // left, every token's and listed binder's having been
            // cancelled.
            let left: Vec<_> = self.binders.keys().collect();
            for b in left {
                if let Some(binder) = self.binders.remove(b) {
                    self.end_binder(binder, None);
                }
            }
            self.wheel.clear();
        }
        for c in holds {
            self.decrement(c);
        }
    }

    // ----- counters -----------------------------------------------------

    pub(crate) fn new_counter(&mut self, parent: CounterRef, kind: CounterKind) -> CounterRef {
        if let Some(p) = self.counters.get_mut(parent) {
            p.count += 1;
        }
        self.counters.insert(Counter {
            parent: Some(parent),
            count: 0,
            kind,
        })
    }

    /// `f ; g` as all that is left of the left side of an enclosing `;`
    /// (its frame on top of token `t`'s stack, its counter holding `t`
    /// alone, nothing published yet), where `g` publishes a value known
    /// now: the enclosing right side can no longer run (if `f` halts
    /// silently, `g` publishes for both), so `g` takes its place and `f`
    /// runs on in the enclosing counter: no new counter, no frame. This
    /// is what keeps `def loop(s) = c.get() >x> loop(s + x) ; s` from
    /// nesting one `;` per iteration (and from holding them all). Returns
    /// whether it did.
    pub(crate) fn reuse_otherwise(&mut self, t: TokenRef, h: &Hot, right: CodePtr) -> bool {
        let Some((Frame::Otherwise { counter }, below)) = h.stack.top() else {
            return false;
        };
        let Some(tok) = self.tokens.get(t) else {
            return false;
        };
        // (The group by index: the counter pins its group, and the token's
        // is alive, so equal indices are the same group.)
        let (group, clock) = (tok.group, self.clock_of(t));
        if tok.counter != counter.index {
            return false;
        }
        let Some(c) = self.counters.get_mut(*counter) else {
            return false;
        };
        let CounterKind::Otherwise {
            published: false,
            start,
            place,
        } = &mut c.kind
        else {
            return false;
        };
        if c.count != 1 || place.group.index != group || place.clock != clock {
            return false;
        }
        let Some(v) = known_publication(h, right) else {
            return false;
        };
        if start.stack.same(below) && start.act.is_none() && start.ctx.is_none() && start.seqs == 0
        {
            // A loop's next turn: only the value to publish changes.
            set_publish(&mut start.next, v);
        } else {
            *start = publishing(v.clone(), below.clone());
        }
        true
    }

    /// The counter of a `;` whose left side runs in `place`, and which
    /// starts `start` there if that side halts without publishing.
    pub(crate) fn new_otherwise_counter(&mut self, place: Place, start: Hot) -> CounterRef {
        // The group must outlive the counter even if all its tokens halt,
        // since the counter may start the right side in it.
        if let Some(g) = self.groups.get_mut(place.group) {
            g.pins += 1;
        }
        let kind = CounterKind::Otherwise {
            published: false,
            start,
            place,
        };
        self.new_counter(place.counter, kind)
    }

    /// A publication leaves the left side of `;`: it counts as published
    /// and the token continues in the enclosing counter.
    pub(crate) fn leave_otherwise(&mut self, t: TokenRef, c: CounterRef) {
        let Some(counter) = self.counters.get_mut(c) else {
            return;
        };
        if let CounterKind::Otherwise { published, .. } = &mut counter.kind {
            *published = true;
        }
        if let Some(parent) = counter.parent {
            self.move_to_counter(t, parent);
        }
    }

    pub(crate) fn move_to_counter(&mut self, t: TokenRef, to: CounterRef) {
        let Some(tok) = self.tokens.get_mut(t) else {
            return;
        };
        let from = std::mem::replace(&mut tok.counter, to.index);
        let from = self.counter_key(from);
        if let Some(c) = self.counters.get_mut(to) {
            c.count += 1;
        }
        self.decrement(from);
    }

    /// A `site` declaration in token `t`'s scope keeps that scope from
    /// halting while its group lives. Returns the scope (group, counter).
    pub(crate) fn hold_for_site(&mut self, t: TokenRef) -> Option<(GroupRef, CounterRef)> {
        let tok = self.tokens.get(t)?;
        let (g, c) = (self.group_key(tok.group), self.counter_key(tok.counter));
        self.counters.get_mut(c)?.count += 1;
        self.groups.get_mut(g)?.holds_sites = true;
        self.site_holds.entry(g).or_default().push(c);
        Some((g, c))
    }

    /// The counter for one call of a `site` definition.
    pub(crate) fn new_site_body_counter(
        &mut self,
        parent: CounterRef,
        caller: TokenRef,
        epoch: u32,
    ) -> CounterRef {
        self.new_counter(parent, CounterKind::SiteBody { caller, epoch })
    }

    /// The counter for the right side of a pruning.
    pub(crate) fn new_pruning_counter(
        &mut self,
        parent: CounterRef,
        future: FutureRef,
    ) -> CounterRef {
        self.new_counter(parent, CounterKind::Pruning { future })
    }

    /// One token (or child counter) of `c` is gone; a counter that reaches
    /// zero has halted, which may start the right side of `;`, halt a
    /// pruned future, or end the run.
    pub(crate) fn decrement(&mut self, mut c: CounterRef) {
        loop {
            let Some(counter) = self.counters.get_mut(c) else {
                return;
            };
            counter.count -= 1;
            if counter.count > 0 {
                return;
            }
            let parent = counter.parent;
            let Some(counter) = self.counters.remove(c) else {
                return;
            };
            match counter.kind {
                CounterKind::Root => {
                    self.finished = true;
                    return;
                }
                CounterKind::Otherwise {
                    published,
                    start,
                    place,
                } => {
                    let group = place.group;
                    if let Some(g) = self.groups.get_mut(group) {
                        g.pins -= 1;
                    }
                    if !published && self.group_alive(group) {
                        // `g` starts in the parent counter; continuing the
                        // loop releases the count this counter held there.
                        let t = self.spawn(start, place);
                        self.ready.push_back(t);
                    } else {
                        self.maybe_free_group(group);
                    }
                }
                CounterKind::Pruning { future } => {
                    self.resolve_future(&future, None);
                }
                CounterKind::SiteBody { caller, epoch } => {
                    if self
                        .tokens
                        .get(caller)
                        .is_some_and(|tok| tok.epoch == epoch)
                    {
                        self.halt(caller);
                    }
                }
            }
            match parent {
                Some(p) => c = p,
                None => return,
            }
        }
    }
}
