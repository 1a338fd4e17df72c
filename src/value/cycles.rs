//! The cycle collector: frees values that reach themselves.
//!
//! Values are reference counted (`Arc`), which frees everything but
//! cycles: a `Ref` holding itself (`r := r`), an array storing itself in
//! a cell, a channel holding itself, an object whose member is the object
//! (`val me = this`, a method capturing the `val` the object is bound
//! to), a closure kept in a `Ref` that it captured. This module owns what
//! finds such cycles once nothing outside them reaches them, and breaks
//! them, so that reference counting frees them: a run's [`Registry`] of
//! the containers that can close a cycle, and the collection over it.
//!
//! # Which containers can close a cycle
//!
//! A cycle needs an edge written after its target was made: lists,
//! tuples, records, datatype values and closures' captures are fixed when
//! made, and can only point at older values. What can be written later:
//!
//! - library objects' state: a `Ref` or `Cell` (`write`), an array's cells
//!   (`a(i) := v`), a channel's items (`put`, all three kinds: a bounded
//!   or sync channel also keeps the items of waiting puts), an object
//!   member's write-once slot ([`crate::sites::layers`]);
//! - objects ([`super::object`]), whose layers are installed after the
//!   object is made and hold members' futures and methods' captures;
//! - futures, bound after they are made. A future takes part in a cycle
//!   only through something that captured it while pending: a closure
//!   does not become a value until its captured futures are bound (it is
//!   strict in them), except the layers of an object's classes, and the
//!   object is then in the cycle too. So futures are walked through but
//!   never registered or emptied.
//!
//! A container joins the registry of the run that writes it the first
//! time a value that may hold a container (`may_hold`: not a number,
//! string or other scalar) is written into it while it is not in that
//! registry yet (its `Mark` holds the registry's id); an object joins
//! at its first layer install. So a channel carrying integers, the common
//! case, is never registered, and a container shared with a later run
//! joins that run's registry when it is written there. The registry holds
//! weak references: it keeps no container alive.
//!
//! # A collection
//!
//! A synchronous trial deletion, as CPython's `gc` does it, over the
//! `Arc` counts:
//!
//! 1. Each registered container still alive is a *node* of the walk; the
//!    collector holds one strong reference to each node (so it counts
//!    one more than the program's).
//! 2. Walking from them, every `Arc`-shared node reachable through their
//!    contents (lists, tuples, records, datatype values, closures'
//!    instances, futures, sites, objects, library objects' state) becomes
//!    a node too, identified by its address, and each reference a node
//!    holds to another is counted on its target as *internal*. A node
//!    held by one reference only (its count is 1: the reference being
//!    followed) is not kept as a node: it belongs to the node being
//!    walked, and the walk goes on through it. So a long list owned by a
//!    `Ref` costs the walk no memory per cell.
//! 3. A node whose count exceeds its internal references plus the
//!    collector's is held from outside the walked graph (a token's
//!    record, a host thread, a site that does not report what it holds),
//!    and is reachable; so is everything reachable from it. The rest is
//!    garbage: each garbage container is emptied (its contents moved out,
//!    then dropped after every lock is released), which breaks the
//!    cycles, and dropping the collector's references frees them all.
//!
//! Nothing recurses on the Rust stack in proportion to the values: the
//! nodes are a worklist (a `Vec` walked in order), the nodes a node owns
//! alone are walked from a heap stack ([`Tracer`]), and marking follows
//! the recorded edges from a heap stack too. Only `Container::trace`
//! and [`Site::trace`] report a node's contents, and they are called from
//! the worklist's loop, never from each other.
//!
//! # When
//!
//! A run collects once the containers registered since its last
//! collection weigh enough, at the end of a token's turn (a safe point:
//! no value is borrowed from a record or a container then), and once
//! more when the run is dropped, after its tokens, records and timers are
//! gone (so everything only they kept is freed too; what the host still
//! holds is kept). A container weighs one, plus its cells for an array
//! (what walking it costs, and roughly what it keeps if it is garbage).
//! The threshold is at least [`MIN_THRESHOLD`] and grows with the work
//! the last collection spent on what it kept (a quarter of it), so a
//! program keeping large live data behind containers pays for each walk
//! of it with as much new weight: the total cost stays linear in what
//! the program does, and the garbage waiting for a collection stays
//! proportional to what is live.
//!
//! # Soundness
//!
//! The collector never makes memory unsafe: it empties containers
//! through their locks, and everything is freed by dropping `Arc`s. What
//! it must get right is that what it empties is unreachable, which rests
//! on these assumptions:
//!
//! - **One mutator.** Collections run on the thread of the run's engine,
//!   between token turns, and only that thread calls library objects'
//!   methods (see `StateLock` in [`super::lock`]), so nothing
//!   writes a container or binds a future during a collection.
//!   Containers shared with another run going on at the same time on
//!   another thread (a host passing a value from one to the other) break
//!   this: that run could move a reference out of a container the walk
//!   has passed and drop the container, making a reachable node look
//!   unreachable. Such a race changes the counts of the nodes involved,
//!   so before emptying anything the collector reads every garbage node's
//!   count again and gives up this collection if one changed.
//! - **Other threads hold counted references.** A host thread (an async
//!   site, an embedder holding a publication, a thread printing a value)
//!   holds clones, which show up in the counts as references from outside:
//!   what it holds is never collected. Its borrows are within a value it
//!   holds. Printing an object reads its methods, which may upgrade a
//!   `Weak` (an object keeps the instance it handed out last, see
//!   [`super::object`]); the instance is then held from outside, and an
//!   upgrade racing with a collection shows up in the recount.
//! - **Every reported reference is real.** A node reports each strong
//!   reference it holds exactly once per holding (a tuple `(a, a)` holds
//!   `a` twice). Reporting one it does not hold could free a live value;
//!   leaving one out only keeps its target (as if held from outside). So
//!   sites that hold values the collector does not know of (host sites)
//!   report nothing, and what they hold is kept.
//! - **Locks.** A container is locked alone, to copy out (count) what it
//!   holds and to empty it; nothing is dropped and no other container is
//!   locked meanwhile, so no lock is taken twice.
//! - **The run's own references are counted.** Records, frames, tokens,
//!   binders and completions hold counted references, and so does the
//!   code (constants); the engine's uncounted pointers (code pointers,
//!   a light call's closure) always sit beside a counted reference.
//!
//! What it does not free: cycles whose containers were never written in a
//! run that is still alive when they become garbage (a value the host
//! keeps after the run is dropped, then lets go of), and cycles through
//! sites that do not report their contents.
//!
//! [`Site::trace`]: crate::value::site::Site::trace

use super::biased::Biased;
use super::list::{Cell as ListCell, List};
use super::print::AddressHasher;
use super::{Data, Record, Value};
use crate::value::closure::Instance;
use crate::value::env::{Binding, FutureRef};
use crate::value::site::Site;
use smallvec::SmallVec;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

/// The least weight registered between two collections (a container
/// weighs one, an array one plus its length).
pub const MIN_THRESHOLD: usize = 10_000;

/// A collection kept nodes that cost this much walking: the next waits
/// for a quarter of that much weight registered (see the module comment).
const WORK_PER_WEIGHT: usize = 4;

/// A library object's state (or an object) that holds values and can be
/// written after it is made.
pub(crate) trait Container: Send + Sync + 'static {
    /// Reports every value (or container) it holds to `tracer`, once per
    /// reference held.
    fn trace(&self, tracer: &mut Tracer<'_>);
    /// Moves out what it holds, into `trash`: it is garbage.
    fn clear(&self, trash: &mut Trash);
    /// What it weighs for the collections' threshold: one, plus what it
    /// holds when that may be large (an array's cells).
    fn weight(&self) -> usize {
        1
    }
}

/// Whether `v` may hold a container, or be one: written into a container,
/// it may close a cycle, and the container must join the registry.
#[inline(always)]
pub(crate) fn may_hold(v: &Value) -> bool {
    match v {
        Value::Tuple(_)
        | Value::Record(_)
        | Value::Data(_)
        | Value::Closure(_)
        | Value::Site(_)
        | Value::Object(_) => true,
        Value::List(l) => !l.is_empty(),
        _ => false,
    }
}

/// The id of the registry a container is in (0: none), kept by the
/// container so that it joins a registry once.
#[derive(Default, Debug)]
pub(crate) struct Mark(AtomicU64);

/// Registries' ids; 0 is none.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A registered container.
enum Root {
    State(Weak<dyn Container>),
    /// A site that is a container itself (an object member's slot).
    Site(Weak<dyn Site>),
}

impl Root {
    fn upgrade(&self) -> Option<Node> {
        match self {
            Root::State(w) => w.upgrade().map(Node::State),
            Root::Site(w) => w.upgrade().map(Node::Site),
        }
    }

    fn is_alive(&self) -> bool {
        match self {
            Root::State(w) => w.strong_count() > 0,
            Root::Site(w) => w.strong_count() > 0,
        }
    }
}

/// What the collector has done in a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CycleStats {
    /// Collections so far.
    pub collections: u64,
    /// Nodes (containers, and the shared values between them) found in
    /// garbage cycles so far.
    pub freed: u64,
    /// Registered containers alive after the last collection.
    pub tracked: usize,
    /// Nodes the last collection walked.
    pub walked: usize,
    /// Collections that gave up because a count changed meanwhile.
    pub given_up: u64,
}

/// A run's registry of the containers that may close a cycle, and its
/// collections (see the module comment).
pub struct Registry {
    id: u64,
    roots: Vec<Root>,
    /// Weight registered since the last collection.
    since: usize,
    threshold: usize,
    /// Off: no collection at all (for tests and measurements).
    enabled: bool,
    /// The walk's tables, empty between collections.
    walk: Walk,
    stats: CycleStats,
}

impl Default for Registry {
    fn default() -> Registry {
        Registry::new()
    }
}

impl Registry {
    pub fn new() -> Registry {
        Registry {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            roots: Vec::new(),
            since: 0,
            threshold: MIN_THRESHOLD,
            enabled: true,
            walk: Walk::default(),
            stats: CycleStats::default(),
        }
    }

    /// Registers container `c` (whose mark is `mark`) unless it is in
    /// this registry already.
    #[inline]
    pub(crate) fn track<T: Container>(&mut self, c: &Arc<T>, mark: &Mark) {
        if mark.0.load(Ordering::Relaxed) != self.id {
            mark.0.store(self.id, Ordering::Relaxed);
            let weak: Weak<dyn Container> = Arc::downgrade(c) as Weak<dyn Container>;
            self.push(Root::State(weak), c.weight());
        }
    }

    /// [`Registry::track`] for a site that is a container itself.
    pub(crate) fn track_site(&mut self, s: &Arc<dyn Site>, mark: &Mark) {
        if mark.0.load(Ordering::Relaxed) != self.id {
            mark.0.store(self.id, Ordering::Relaxed);
            self.push(Root::Site(Arc::downgrade(s)), 1);
        }
    }

    /// Registers an object (once: at its first layer install).
    pub(crate) fn track_object(&mut self, o: &Arc<super::object::Object>) {
        let weak: Weak<dyn Container> = Arc::downgrade(o) as Weak<dyn Container>;
        self.push(Root::State(weak), 1);
    }

    fn push(&mut self, root: Root, weight: usize) {
        self.roots.push(root);
        self.since = self.since.saturating_add(weight);
    }

    /// Whether enough weight was registered since the last collection
    /// for the next one.
    #[inline(always)]
    pub(crate) fn due(&self) -> bool {
        self.since >= self.threshold
    }

    /// Turns collections on or off.
    pub fn set_enabled(&mut self, on: bool) {
        self.enabled = on;
    }

    pub fn stats(&self) -> CycleStats {
        self.stats
    }

    /// Finds the registered containers that are garbage, and what they
    /// reach, and frees them; returns how many nodes were garbage.
    pub fn collect(&mut self) -> usize {
        self.since = 0;
        if !self.enabled {
            self.roots.retain(Root::is_alive);
            self.stats.tracked = self.roots.len();
            return 0;
        }
        // The walk's tables from the last collection, kept for their room.
        let mut walk = std::mem::take(&mut self.walk);
        // The roots first, so that a registered container met in the
        // walk is a node already (held by the collector: never taken for
        // a node owned alone), and each once.
        self.roots.retain(|root| match root.upgrade() {
            Some(node) => walk.add_root(node),
            None => false,
        });
        walk.trace_all();
        let freed = walk.sweep();
        self.stats.collections += 1;
        self.stats.walked = walk.nodes.len();
        match freed {
            Some(n) => self.stats.freed += n as u64,
            None => self.stats.given_up += 1,
        }
        let kept_work = walk.kept_work;
        // Emptied containers go once the collector lets go of them.
        walk.clear();
        self.walk = walk;
        self.roots.retain(Root::is_alive);
        self.stats.tracked = self.roots.len();
        self.threshold = MIN_THRESHOLD.max(kept_work / WORK_PER_WEIGHT);
        freed.unwrap_or(0)
    }
}

impl Drop for Registry {
    /// The last collection: the run's tokens, records and timers are
    /// gone (the registry is the run's last field), so only what the
    /// host holds is still reachable.
    fn drop(&mut self) {
        if !self.roots.is_empty() {
            self.collect();
        }
    }
}

/// Contents moved out of garbage containers, dropped once every
/// container is unlocked.
#[derive(Default)]
pub struct Trash(Vec<Box<dyn Send>>);

impl Trash {
    pub(crate) fn push<T: Send + 'static>(&mut self, contents: T) {
        self.0.push(Box::new(contents));
    }
}

/// A node of the walk, held by the collector.
enum Node {
    Cell(Biased<ListCell>),
    Tuple(Arc<[Value]>),
    Record(Arc<Record>),
    Data(Arc<Data>),
    Instance(Arc<Instance>),
    Future(FutureRef),
    Site(Arc<dyn Site>),
    /// A library object's state, or an object.
    State(Arc<dyn Container>),
    /// Taken out while it is traced.
    Taken,
}

impl Node {
    fn strong_count(&self) -> usize {
        match self {
            Node::Cell(a) => a.count(),
            Node::Tuple(a) => Arc::strong_count(a),
            Node::Record(a) => Arc::strong_count(a),
            Node::Data(a) => Arc::strong_count(a),
            Node::Instance(a) => Arc::strong_count(a),
            Node::Future(f) => f.strong_count(),
            Node::Site(a) => Arc::strong_count(a),
            Node::State(a) => Arc::strong_count(a),
            Node::Taken => 0,
        }
    }

    fn address(&self) -> usize {
        match self {
            Node::Cell(a) => a.address(),
            Node::Tuple(a) => Arc::as_ptr(a) as *const () as usize,
            Node::Record(a) => address(a),
            Node::Data(a) => address(a),
            Node::Instance(a) => address(a),
            Node::Future(f) => f.address(),
            Node::Site(a) => address(a),
            Node::State(a) => address(a),
            Node::Taken => 0,
        }
    }

    /// Reports what the node holds.
    fn trace(&self, t: &mut Tracer<'_>) {
        match self {
            Node::Cell(c) => {
                t.list(c.tail());
                t.value(c.head());
            }
            Node::Tuple(items) => items.iter().for_each(|v| t.value(v)),
            Node::Record(r) => r.fields.iter().for_each(|(_, v)| t.value(v)),
            Node::Data(d) => d.fields.iter().for_each(|v| t.value(v)),
            Node::Instance(i) => i.captured.iter().for_each(|b| t.binding(b)),
            Node::Future(f) => {
                if let Some(Some(v)) = f.get() {
                    t.value(v)
                }
            }
            Node::Site(s) => s.trace(t),
            Node::State(c) => c.trace(t),
            Node::Taken => {}
        }
    }

    /// Empties a garbage container (other nodes fall apart with them).
    fn clear(&self, trash: &mut Trash) {
        match self {
            Node::Site(s) => s.clear(trash),
            Node::State(c) => c.clear(trash),
            _ => {}
        }
    }
}

fn address<T: ?Sized>(a: &Arc<T>) -> usize {
    Arc::as_ptr(a) as *const () as usize
}

/// What the walk knows of a node.
#[derive(Default)]
struct Info {
    /// References to it from nodes of the walk (and what they own).
    internal: usize,
    /// Its edges: `edges[first..end]`.
    first: usize,
    end: usize,
    /// Its count once the walk was over.
    count: usize,
    /// Values looked at while tracing it.
    work: usize,
    reachable: bool,
}

type Addresses = HashMap<usize, usize, BuildHasherDefault<AddressHasher>>;

#[derive(Default)]
struct Walk {
    index: Addresses,
    nodes: Vec<Node>,
    infos: Vec<Info>,
    /// Targets of the nodes' references, grouped by node.
    edges: Vec<usize>,
    /// Work spent tracing the nodes found reachable.
    kept_work: usize,
}

/// Entries a walk's tables keep room for between collections.
const KEEP_ROOM: usize = 1 << 16;

impl Walk {
    /// Lets go of the nodes (freeing what was garbage), keeping the
    /// tables' room unless they grew large.
    fn clear(&mut self) {
        self.nodes.clear();
        self.index.clear();
        self.infos.clear();
        self.edges.clear();
        self.kept_work = 0;
        if self.nodes.capacity() > KEEP_ROOM || self.edges.capacity() > KEEP_ROOM {
            *self = Walk::default();
        }
    }

    /// Adds a registered container; `false` if it is a node already (it
    /// was registered twice).
    fn add_root(&mut self, node: Node) -> bool {
        let address = node.address();
        if self.index.contains_key(&address) {
            return false;
        }
        self.index.insert(address, self.nodes.len());
        self.nodes.push(node);
        self.infos.push(Info::default());
        true
    }

    /// Traces every node, those found on the way included.
    fn trace_all(&mut self) {
        let mut i = 0;
        while i < self.nodes.len() {
            let node = std::mem::replace(&mut self.nodes[i], Node::Taken);
            self.infos[i].first = self.edges.len();
            node.trace(&mut Tracer {
                walk: self,
                owner: i,
            });
            self.infos[i].end = self.edges.len();
            self.nodes[i] = node;
            i += 1;
        }
    }

    /// Marks what is reachable from outside, empties the garbage
    /// containers; `None` if a count changed (nothing emptied).
    fn sweep(&mut self) -> Option<usize> {
        let mut stack = Vec::new();
        for (i, (node, info)) in self.nodes.iter().zip(&mut self.infos).enumerate() {
            info.count = node.strong_count();
            // One count is the collector's. (Fewer than counted would be
            // a race: taken as held from outside.)
            if info.count != info.internal + 1 {
                info.reachable = true;
                stack.push(i);
            }
        }
        while let Some(i) = stack.pop() {
            let Info { first, end, .. } = self.infos[i];
            self.kept_work += self.infos[i].work;
            for &j in &self.edges[first..end] {
                if !self.infos[j].reachable {
                    self.infos[j].reachable = true;
                    stack.push(j);
                }
            }
        }
        let garbage = || {
            self.nodes
                .iter()
                .zip(&self.infos)
                .filter(|(_, info)| !info.reachable)
        };
        if garbage().any(|(node, info)| node.strong_count() != info.count) {
            return None;
        }
        let mut trash = Trash::default();
        let mut freed = 0;
        for (node, _) in garbage() {
            node.clear(&mut trash);
            freed += 1;
        }
        drop(trash);
        Some(freed)
    }
}

/// Receives what a node holds (`Container::trace`, [`Site::trace`]):
/// records a reference to each node it holds, and walks on through the
/// values it owns alone.
pub struct Tracer<'w> {
    walk: &'w mut Walk,
    owner: usize,
}

/// A value to look at, owned by the node being traced.
enum Item<'v> {
    Value(&'v Value),
    Binding(&'v Binding),
    List(&'v List),
}

impl Tracer<'_> {
    /// A value the node holds.
    pub(crate) fn value(&mut self, v: &Value) {
        self.walk_from(Item::Value(v));
    }

    /// A binding the node holds (a value, or a future).
    pub(crate) fn binding(&mut self, b: &Binding) {
        self.walk_from(Item::Binding(b));
    }

    fn list(&mut self, l: &List) {
        self.walk_from(Item::List(l));
    }

    /// A library object's state the node holds.
    pub(crate) fn container<T: Container>(&mut self, c: &Arc<T>) {
        self.edge(address(c), || Node::State(c.clone() as Arc<dyn Container>));
    }

    /// Looks at `first` and what it owns alone, from a heap stack: each
    /// shared node met is a reference to record. (Sites, objects and
    /// library objects are always nodes of their own, traced from the
    /// walk's loop, so their traces never nest.)
    fn walk_from<'v>(&mut self, first: Item<'v>) {
        let mut stack: SmallVec<[Item<'v>; 8]> = SmallVec::new();
        let mut next = Some(first);
        while let Some(item) = next.take().or_else(|| stack.pop()) {
            self.walk.infos[self.owner].work += 1;
            let v = match item {
                Item::Value(v) => v,
                Item::Binding(Binding::Value(v)) => v,
                Item::Binding(Binding::Future(f)) => {
                    if f.strong_count() == 1 {
                        if let Some(Some(v)) = f.get() {
                            next = Some(Item::Value(v));
                        }
                    } else {
                        self.edge(f.address(), || Node::Future(f.clone()));
                    }
                    continue;
                }
                Item::List(l) => {
                    if let Some(c) = l.first_cell() {
                        if c.count() == 1 {
                            // The tail after the head: the stack stays
                            // small along a long list.
                            stack.push(Item::List(c.tail()));
                            next = Some(Item::Value(c.head()));
                        } else {
                            self.edge(c.address(), || Node::Cell(c.clone()));
                        }
                    }
                    continue;
                }
            };
            match v {
                Value::List(l) => next = Some(Item::List(l)),
                Value::Tuple(t) => {
                    if t.is_last() {
                        stack.extend(t.iter().map(Item::Value));
                    } else {
                        let a: &Arc<[Value]> = &t.0;
                        self.edge(Arc::as_ptr(a) as *const () as usize, || {
                            Node::Tuple(a.clone())
                        });
                    }
                }
                Value::Record(r) => {
                    if Arc::strong_count(r) == 1 {
                        stack.extend(r.fields.iter().map(|(_, v)| Item::Value(v)));
                    } else {
                        self.edge(address(r), || Node::Record(r.clone()));
                    }
                }
                Value::Data(d) => {
                    if Arc::strong_count(d) == 1 {
                        stack.extend(d.fields.iter().map(Item::Value));
                    } else {
                        self.edge(address(d), || Node::Data(d.clone()));
                    }
                }
                Value::Closure(c) => {
                    let i = &c.instance;
                    if Arc::strong_count(i) == 1 {
                        stack.extend(i.captured.iter().map(Item::Binding));
                    } else {
                        self.edge(address(i), || Node::Instance(i.clone()));
                    }
                }
                Value::Site(s) => self.edge(address(s), || Node::Site(s.clone())),
                Value::Object(o) => {
                    let o = &o.object;
                    self.edge(address(o), || Node::State(o.clone() as Arc<dyn Container>));
                }
                Value::Signal
                | Value::Null
                | Value::Bool(_)
                | Value::Int(_)
                | Value::BigInt(_)
                | Value::Decimal(_)
                | Value::Float(_)
                | Value::Str(_) => {}
            }
        }
    }

    /// A reference from the owner to the node at `address` (`make` holds
    /// it, if it is new to the walk).
    fn edge(&mut self, address: usize, make: impl FnOnce() -> Node) {
        let walk = &mut *self.walk;
        let target = match walk.index.get(&address) {
            Some(&j) => j,
            None => {
                let j = walk.nodes.len();
                walk.index.insert(address, j);
                walk.nodes.push(make());
                walk.infos.push(Info::default());
                j
            }
        };
        walk.infos[target].internal += 1;
        walk.edges.push(target);
    }
}
