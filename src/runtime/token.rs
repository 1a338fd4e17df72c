//! Tokens: threads of control, and their continuation stacks.
//!
//! A token's state is in two parts. Its *hot* part ([`Hot`]) is what it
//! runs: the next action, its activation record, its closure and its
//! continuation. While the token has its turn, the scheduler takes the hot
//! part out of the token table and works on it in place. The rest of a
//! [`Token`] (its group, counter and wait) stays in the table, where the
//! run's bookkeeping (killing groups, waking waiters) finds it; what few
//! tokens have (a virtual clock, a future to bind) is in [`Extras`],
//! beside the table.

use super::act::ActRef;
use super::wheel::TimerKey;
use crate::value::closure::Instance;
use crate::value::code::CodePtr;
use crate::value::env::FutureRef;
use crate::value::handles::{ClockRef, CounterRef, GroupRef, TokenRef};
use crate::value::site::CallHandle;
use crate::value::Value;
use std::cell::Cell;
use std::ptr::NonNull;
use std::sync::Arc;

/// What a token does next.
pub(crate) enum Next {
    Eval(CodePtr),
    Publish(Value),
    /// Waiting for the answer of a site call that is the left side of
    /// the `Sequential` node `code`: the answer is bound to the node's
    /// slot and its right side runs (see [`super::operands::answer`]), with no
    /// frame pushed for the call to publish to.
    Resume(CodePtr),
    /// Waiting for the answer of the site call at this place, which it
    /// publishes (what a deadlock note names: [`super::engine::Run::waiting_places`]).
    Parked(crate::diagnostics::Span),
    Idle,
}

/// What a parked token waits for.
pub(crate) enum Wait {
    None,
    Futures,
    Timer(TimerKey),
    /// The three states of a token running a race (see [`super::race`]).
    Race(TimerKey),
    RaceWoken(TimerKey),
    RaceFired,
    Handle(CallHandle),
    Task(tokio::task::AbortHandle),
}

/// Whether a token waiting on `w` counts as making progress for virtual
/// time: blocked on futures, on a real-time timer or on a site that
/// another token must answer (a channel, `Vawait`) is quiescent (as in the
/// reference); running, or waiting for an async host task, is not.
pub(crate) fn is_active(w: &Wait) -> bool {
    matches!(
        w,
        Wait::None | Wait::Task(_) | Wait::RaceWoken(_) | Wait::RaceFired
    )
}

pub(crate) enum Frame {
    /// `>x> right`: the `Sequential` node, whose slot takes the
    /// publication and whose right side runs next, in the running
    /// activation.
    Sequential(CodePtr),
    /// `>> stop`: a publication just halts the token (it needs no
    /// bindings, so a token waiting under it keeps none).
    Discard,
    /// A call made under sequential frames of the caller: the caller's
    /// activation, restored when the callee publishes.
    Return {
        act: Option<ActRef>,
        ctx: Option<Arc<Instance>>,
        seqs: u32,
    },
    /// The right side of `<x<`: bind the future, kill the group.
    Pruning { future: FutureRef, group: GroupRef },
    /// The left side of `;`: mark the counter published, leave it.
    Otherwise { counter: CounterRef },
    /// `{| |}`: leave the group and kill it.
    Trim { group: GroupRef },
    /// The bottom of a `site` body's stack: publications go to the caller
    /// (only the first, if `once`).
    SiteReturn {
        caller: TokenRef,
        epoch: u32,
        once: bool,
    },
    /// Leaving the scope of a virtual clock (`Vclock(order) >> e`).
    ClockExit {
        clock: ClockRef,
        outer: Option<ClockRef>,
    },
    /// A *light* frame: `f <x< g` (the `Pruning` node) whose right side
    /// `g` this token runs first, itself, with no group, counter, future
    /// or token of its own. `g`'s publication binds `x` and this token
    /// goes on with `f`; if `g` halts, `x` is halted and it goes on with
    /// `f` too. Counts as a sequential frame of the running activation
    /// (the record stays for `f`). See [`super::light`]. The byte: whether
    /// `f` would do something before it needs `x`, so that fairness may
    /// give it a token of its own (`super::light::LEFT_*`).
    LightPruning(CodePtr, u8),
    /// A light pruning `f <x< c(args)` whose right side is a call of a
    /// closure, made at once: the frame is also the call's return frame
    /// (the caller's record, closure and sequential frames, restored
    /// when the callee publishes or halts; `left` as for
    /// [`Frame::LightPruning`]). With `sibling`, the callee is a
    /// definition of the caller's own instance (recursion): the running
    /// closure stays as it is, and `ctx` is `None`.
    LightCall {
        node: CodePtr,
        act: Option<ActRef>,
        ctx: Option<Arc<Instance>>,
        seqs: u32,
        left: u8,
        sibling: bool,
    },
    /// A light `f ; g` (the `Otherwise` node): `f` runs under it; a
    /// publication passes through, halting runs `g`.
    LightOtherwise(CodePtr),
    /// A light `f ; v` where `v` is a value known when `f` starts: halting
    /// publishes `v` (no record kept: not a sequential frame).
    LightDefault(Value),
    /// A light `{| f |}`: a publication passes through, halting too.
    LightTrim,
}

impl Frame {
    /// Moves the frame out of `p`, field by field as its variant has them.
    /// (Read whole, the frame was loaded with loads wider than the stores
    /// that wrote it, often just before: a store-forwarding stall at
    /// every pop.)
    ///
    /// # Safety
    /// `p` is a frame that nothing uses or drops afterwards.
    #[inline(always)]
    unsafe fn take(p: *const Frame) -> Frame {
        // SAFETY: each owned field is moved out once (`Moved`); the
        // caller forgets `p`.
        unsafe { (*p).rebuild(&Moved) }
    }

    /// Whether it is a light frame (see [`super::light`]).
    pub(crate) fn is_light(&self) -> bool {
        matches!(
            self,
            Frame::LightPruning(..)
                | Frame::LightCall { .. }
                | Frame::LightOtherwise(_)
                | Frame::LightDefault(_)
                | Frame::LightTrim
        )
    }

    /// The frame for one more token popping it: a return frame shared by
    /// several tokens gives each a writer of the caller's activation (each
    /// goes on in the caller's continuation).
    fn share(&self) -> Frame {
        // SAFETY: `Shared` only clones.
        unsafe { self.rebuild(&Shared) }
    }

    /// The same frame, its owned fields made by `fields`, its plain ones
    /// copied.
    ///
    /// # Safety
    /// As `fields`' methods say.
    #[inline(always)]
    unsafe fn rebuild(&self, fields: &impl Fields) -> Frame {
        match self {
            Frame::Sequential(code) => Frame::Sequential(*code),
            Frame::Discard => Frame::Discard,
            Frame::Return { act, ctx, seqs } => Frame::Return {
                act: fields.act(act),
                ctx: fields.ctx(ctx),
                seqs: *seqs,
            },
            Frame::Pruning { future, group } => Frame::Pruning {
                future: fields.future(future),
                group: *group,
            },
            Frame::Otherwise { counter } => Frame::Otherwise { counter: *counter },
            Frame::Trim { group } => Frame::Trim { group: *group },
            Frame::SiteReturn {
                caller,
                epoch,
                once,
            } => Frame::SiteReturn {
                caller: *caller,
                epoch: *epoch,
                once: *once,
            },
            Frame::ClockExit { clock, outer } => Frame::ClockExit {
                clock: *clock,
                outer: *outer,
            },
            Frame::LightPruning(code, left) => Frame::LightPruning(*code, *left),
            Frame::LightCall {
                node,
                act,
                ctx,
                seqs,
                left,
                sibling,
            } => Frame::LightCall {
                node: *node,
                act: fields.act(act),
                ctx: fields.ctx(ctx),
                seqs: *seqs,
                left: *left,
                sibling: *sibling,
            },
            Frame::LightOtherwise(code) => Frame::LightOtherwise(*code),
            Frame::LightDefault(v) => Frame::LightDefault(fields.value(v)),
            Frame::LightTrim => Frame::LightTrim,
        }
    }
}

/// How [`Frame::rebuild`] makes a frame's owned fields.
///
/// # Safety
/// An implementation may move the fields out (`Moved`): the caller of
/// its methods then forgets the frame.
trait Fields {
    unsafe fn act(&self, act: &Option<ActRef>) -> Option<ActRef>;
    unsafe fn ctx(&self, ctx: &Option<Arc<Instance>>) -> Option<Arc<Instance>>;
    unsafe fn future(&self, future: &FutureRef) -> FutureRef;
    unsafe fn value(&self, v: &Value) -> Value;
}

/// Each token popping a shared frame gets its own (see [`Frame::share`]).
struct Shared;

impl Fields for Shared {
    unsafe fn act(&self, act: &Option<ActRef>) -> Option<ActRef> {
        act.as_ref().map(ActRef::share_writer)
    }
    unsafe fn ctx(&self, ctx: &Option<Arc<Instance>>) -> Option<Arc<Instance>> {
        ctx.clone()
    }
    unsafe fn future(&self, future: &FutureRef) -> FutureRef {
        future.clone()
    }
    unsafe fn value(&self, v: &Value) -> Value {
        v.clone()
    }
}

/// The fields moved out (see [`Frame::take`]): only for a frame that is
/// forgotten afterwards.
struct Moved;

impl Fields for Moved {
    #[inline(always)]
    unsafe fn act(&self, act: &Option<ActRef>) -> Option<ActRef> {
        // SAFETY: (for all four) the frame is forgotten (`Frame::take`).
        unsafe { std::ptr::read(act) }
    }
    #[inline(always)]
    unsafe fn ctx(&self, ctx: &Option<Arc<Instance>>) -> Option<Arc<Instance>> {
        unsafe { std::ptr::read(ctx) }
    }
    #[inline(always)]
    unsafe fn future(&self, future: &FutureRef) -> FutureRef {
        unsafe { std::ptr::read(future) }
    }
    #[inline(always)]
    unsafe fn value(&self, v: &Value) -> Value {
        unsafe { std::ptr::read(v) }
    }
}

struct FrameNode {
    /// Tokens (and other nodes) whose continuation goes through this one.
    refs: Cell<u32>,
    frame: Frame,
    next: Stack,
}

/// The continuation of a token: a persistent stack shared by forked
/// tokens, of nodes counted without atomics and kept in [`crate::value::pool`].
#[derive(Default)]
pub(crate) struct Stack(Option<NonNull<FrameNode>>);

// SAFETY: stacks are owned by the tokens and counters of one run, which
// one thread uses at a time (`&mut Run`); they never reach values.
unsafe impl Send for Stack {}

const NODE: usize = std::mem::size_of::<FrameNode>();

impl Clone for Stack {
    fn clone(&self) -> Stack {
        if let Some(node) = self.0 {
            // SAFETY: a live node (this stack holds a reference).
            let refs = unsafe { &node.as_ref().refs };
            refs.set(refs.get() + 1);
        }
        Stack(self.0)
    }
}

impl Stack {
    #[inline(always)]
    pub(crate) fn push(&mut self, frame: Frame) {
        let next = std::mem::take(self);
        let block = crate::memory::pool::alloc(NODE).cast::<FrameNode>();
        // SAFETY: a fresh block, large enough and aligned for a node.
        unsafe {
            block.as_ptr().write(FrameNode {
                refs: Cell::new(1),
                frame,
                next,
            })
        };
        self.0 = Some(block);
    }

    /// Whether both are the same stack (not just equal frames).
    #[inline(always)]
    pub(crate) fn same(&self, other: &Stack) -> bool {
        self.0 == other.0
    }

    /// The top frame, to change in place, when no other stack shares it.
    pub(crate) fn top_mut(&mut self) -> Option<&mut Frame> {
        let node = self.0?;
        // SAFETY: a live node, to which this stack holds a reference; the
        // only one (checked), so nothing else reads the frame while it is
        // borrowed through `self`.
        unsafe {
            if node.as_ref().refs.get() != 1 {
                return None;
            }
            Some(&mut (*node.as_ptr()).frame)
        }
    }

    /// Calls `f` on the frames from the top down, while no other stack
    /// shares them and `f` returns `true`.
    pub(crate) fn walk_exclusive(&mut self, mut f: impl FnMut(&mut Frame) -> bool) {
        let mut cur = self.0;
        while let Some(node) = cur {
            // SAFETY: a live node, reached through nodes held only by this
            // stack, so it too is held only through them: nothing else
            // reads the frame while `f` has it.
            unsafe {
                if node.as_ref().refs.get() != 1 {
                    return;
                }
                let n = &mut *node.as_ptr();
                if !f(&mut n.frame) {
                    return;
                }
                cur = n.next.0;
            }
        }
    }

    pub(crate) fn top(&self) -> Option<(&Frame, &Stack)> {
        // SAFETY: a live node (this stack holds a reference).
        self.0.map(|n| unsafe {
            let n = &*n.as_ptr();
            (&n.frame, &n.next)
        })
    }

    /// Whether there is no frame.
    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Removes the top frame: moved out when no other token shares it,
    /// otherwise a copy (see [`Frame::share`]).
    #[inline(always)]
    pub(crate) fn pop(&mut self) -> Option<Frame> {
        if self.is_empty() {
            return None;
        }
        Some(self.pop_top())
    }

    /// [`Stack::pop`] of a stack known not to be empty (an empty one gives
    /// [`Frame::Discard`]). (The frame is built straight where the caller
    /// wants it: wrapped in an `Option`, it was built in a temporary and
    /// copied whole, a load waiting on the stores just made.)
    #[inline(always)]
    pub(crate) fn pop_top(&mut self) -> Frame {
        let Some(node) = self.0.take() else {
            return Frame::Discard;
        };
        // SAFETY: a live node, to which this stack held a reference.
        unsafe {
            let refs = node.as_ref().refs.get();
            if refs == 1 {
                let n = node.as_ptr();
                let frame = Frame::take(&raw const (*n).frame);
                let next = std::ptr::read(&raw const (*n).next);
                crate::memory::pool::free(node.cast(), NODE);
                *self = next;
                frame
            } else {
                node.as_ref().refs.set(refs - 1);
                let n = node.as_ref();
                *self = n.next.clone();
                n.frame.share()
            }
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // Deep stacks (non-tail recursion) are unlinked iteratively.
        let mut cur = self.0.take();
        while let Some(node) = cur {
            // SAFETY: a live node, to which `cur` held a reference.
            unsafe {
                let refs = node.as_ref().refs.get();
                if refs > 1 {
                    node.as_ref().refs.set(refs - 1);
                    return;
                }
                let FrameNode {
                    frame, mut next, ..
                } = node.as_ptr().read();
                crate::memory::pool::free(node.cast(), NODE);
                drop(frame);
                cur = next.0.take();
            }
        }
    }
}

/// What a token runs: taken out of the token table for the token's turn.
pub(crate) struct Hot {
    pub(crate) next: Next,
    /// The slots of the running body (`None` once released: a token that
    /// waits for a site's answer with no sequential frame of its body on
    /// its stack will never read them).
    pub(crate) act: Option<ActRef>,
    /// The closure instance of the running body (captures, siblings).
    pub(crate) ctx: Option<Arc<Instance>>,
    pub(crate) stack: Stack,
    /// Sequential frames of the running activation on the stack: a call
    /// made while there are any pushes a return frame.
    pub(crate) seqs: u32,
    /// Light frames on the stack (see [`Frame::LightPruning`]); while the
    /// token has its turn, [`super::engine::Run::lights`] counts them.
    pub(crate) lights: u32,
}

impl Hot {
    pub(crate) const fn empty() -> Hot {
        Hot {
            next: Next::Idle,
            act: None,
            ctx: None,
            stack: Stack(None),
            seqs: 0,
            lights: 0,
        }
    }

    /// Puts the token's hot part back where its turn took it from. What
    /// is there is dropped, but it is nearly always the empty part the
    /// turn left, which is checked in line: the general drop it needs no
    /// longer was a call of 36 instructions a turn.
    #[inline(always)]
    pub(crate) fn put_back(&mut self, h: Hot) {
        let old = std::mem::replace(self, h);
        if matches!(old.next, Next::Idle)
            && old.act.is_none()
            && old.ctx.is_none()
            && old.stack.is_empty()
        {
            std::mem::forget(old);
        }
    }

    /// A copy for a token that goes on from here too (`f | g`).
    pub(crate) fn fork(&self, next: Next) -> Hot {
        Hot {
            next,
            act: self.act.as_ref().map(ActRef::share_writer),
            ctx: self.ctx.clone(),
            stack: self.stack.clone(),
            seqs: self.seqs,
            // (Forks are made after the light frames are materialized.)
            lights: 0,
        }
    }

    /// A token that goes on from here with this one's record and closure,
    /// taken from it, and a share of its continuation: for when nothing
    /// this token does next reads them (it publishes a known value with
    /// no sequential frame of its body left, `seqs == 0`).
    pub(crate) fn hand_over(&mut self, next: Next) -> Hot {
        debug_assert_eq!(self.seqs, 0, "a frame of the body would read its record");
        Hot {
            next,
            act: self.act.take(),
            ctx: self.ctx.take(),
            stack: self.stack.clone(),
            seqs: 0,
            lights: 0,
        }
    }

    /// A copy that only reads the slots bound so far (the right side of a
    /// pruning, the right side of `;`), with its own continuation.
    pub(crate) fn reader(&self, next: Next, stack: Stack, seqs: u32) -> Hot {
        Hot {
            next,
            act: self.act.as_ref().map(ActRef::share_reader),
            ctx: self.ctx.clone(),
            stack,
            seqs,
            lights: 0,
        }
    }
}

pub(crate) struct Token {
    pub(crate) hot: Hot,
    /// The slab indices of the token's group and counter (keys without
    /// their generations, 8 bytes less per token): neither is freed
    /// while it has a member, so the index stays right for as long as
    /// the token lives. [`Run::group_key`] and [`Run::counter_key`] give
    /// the keys.
    ///
    /// [`Run::group_key`]: super::engine::Run::group_key
    /// [`Run::counter_key`]: super::engine::Run::counter_key
    pub(crate) group: u32,
    pub(crate) counter: u32,
    pub(crate) wait: Wait,
    /// Incremented whenever the token starts waiting; wake-ups carry the
    /// epoch they were registered in so stale ones are ignored.
    pub(crate) epoch: u32,
    /// Position in the group's token list (for O(1) removal);
    /// [`UNTRACKED`] in the root group, which keeps no list.
    pub(crate) group_pos: u32,
}

/// What few tokens have, kept beside the token table rather than in it
/// (16 bytes less in every token: a hundred thousand waiting tokens touch
/// 1.6 MB less memory). Indexed by the token's slab index; reset when the
/// token is removed, so a new token at that index starts with none.
#[derive(Default)]
pub(crate) struct Extras {
    /// The innermost virtual clock whose scope the token is in.
    pub(crate) clock: Option<ClockRef>,
    /// The right side of a pruning that is one site call, run in the
    /// pruning's group: its publication binds this future and halts the
    /// token, and halting (or being killed) without one halts the future.
    pub(crate) binds: Option<FutureRef>,
    /// Turns in a row this token used up its fuel with light frames on
    /// its stack (see [`super::light`]'s fairness).
    pub(crate) light_turns: u32,
    /// Some light pruning on its stack may have a left side that would do
    /// something before it needs its variable (see [`super::light`]).
    pub(crate) eager_left: bool,
}

/// The `group_pos` of a token in the root group.
pub(crate) const UNTRACKED: u32 = u32::MAX;

/// Where a new token runs, apart from what it runs.
#[derive(Clone, Copy)]
pub(crate) struct Place {
    pub(crate) group: GroupRef,
    pub(crate) counter: CounterRef,
    pub(crate) clock: Option<ClockRef>,
}

#[cfg(test)]
mod size_tests {
    #[test]
    fn token_is_small() {
        // A million waiting tokens take this much each (plus the slab's
        // 4-byte generation, padded to 96).
        assert!(std::mem::size_of::<super::Token>() <= 88);
    }

    #[test]
    fn print_sizes() {
        eprintln!(
            "Group {} Counter {} FrameNode {} Future {}",
            std::mem::size_of::<crate::runtime::scopes::Group>(),
            std::mem::size_of::<crate::runtime::scopes::Counter>(),
            std::mem::size_of::<super::FrameNode>(),
            std::mem::size_of::<crate::value::env::Future>(),
        );
        eprintln!(
            "Token {} Hot {} Frame {} Value {} Binding {} Next {} Wait {}",
            std::mem::size_of::<super::Token>(),
            std::mem::size_of::<super::Hot>(),
            std::mem::size_of::<super::Frame>(),
            std::mem::size_of::<crate::value::Value>(),
            std::mem::size_of::<crate::value::env::Binding>(),
            std::mem::size_of::<super::Next>(),
            std::mem::size_of::<super::Wait>(),
        );
    }
}
