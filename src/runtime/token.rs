//! Tokens: threads of control, and their continuation stacks.
//!
//! A token's state is in two parts. Its *hot* part ([`Hot`]) is what it
//! runs: the next action, its activation record, its closure and its
//! continuation. While the token has its turn, the scheduler takes the hot
//! part out of the token table and works on it in place. The rest of a
//! [`Token`] (its group, counter, wait and virtual clock) stays in the
//! table, where the run's bookkeeping (killing groups, waking waiters)
//! finds it.

use super::act::ActRef;
use super::closure::Instance;
use super::code::CodePtr;
use super::engine::{ClockRef, CounterRef, GroupRef, TokenRef};
use super::env::Future;
use super::site::CallHandle;
use super::wheel::TimerKey;
use crate::value::Value;
use std::rc::Rc;
use std::sync::Arc;

/// What a token does next.
pub(crate) enum Next {
    Eval(CodePtr),
    Publish(Value),
    Idle,
}

/// What a parked token waits for.
pub(crate) enum Wait {
    None,
    Futures,
    Timer(TimerKey),
    Handle(CallHandle),
    Task(tokio::task::AbortHandle),
}

/// Whether a token waiting on `w` counts as making progress for virtual
/// time: blocked on futures, on a real-time timer or on a site that
/// another token must answer (a channel, `Vawait`) is quiescent (as in the
/// reference); running, or waiting for an async host task, is not.
pub(crate) fn is_active(w: &Wait) -> bool {
    matches!(w, Wait::None | Wait::Task(_))
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
    Pruning {
        future: Arc<Future>,
        group: GroupRef,
    },
    /// The left side of `;`: mark the counter published, leave it.
    Otherwise { counter: CounterRef },
    /// `{| |}`: leave the group and kill it.
    Trim { group: GroupRef },
    /// The bottom of a `site` body's stack: publications go to the caller.
    SiteReturn { caller: TokenRef, epoch: u32 },
    /// Leaving the scope of a virtual clock (`Vclock(order) >> e`).
    ClockExit {
        clock: ClockRef,
        outer: Option<ClockRef>,
    },
}

impl Frame {
    /// The frame for one more token popping it: a return frame shared by
    /// several tokens gives each a writer of the caller's activation (each
    /// goes on in the caller's continuation).
    fn share(&self) -> Frame {
        match self {
            Frame::Sequential(code) => Frame::Sequential(*code),
            Frame::Discard => Frame::Discard,
            Frame::Return { act, ctx, seqs } => Frame::Return {
                act: act.as_ref().map(ActRef::share_writer),
                ctx: ctx.clone(),
                seqs: *seqs,
            },
            Frame::Pruning { future, group } => Frame::Pruning {
                future: future.clone(),
                group: *group,
            },
            Frame::Otherwise { counter } => Frame::Otherwise { counter: *counter },
            Frame::Trim { group } => Frame::Trim { group: *group },
            Frame::SiteReturn { caller, epoch } => Frame::SiteReturn {
                caller: *caller,
                epoch: *epoch,
            },
            Frame::ClockExit { clock, outer } => Frame::ClockExit {
                clock: *clock,
                outer: *outer,
            },
        }
    }
}

struct FrameNode {
    frame: Frame,
    next: Stack,
}

/// The continuation of a token: a persistent stack shared by forked tokens.
#[derive(Clone, Default)]
pub(crate) struct Stack(Option<Rc<FrameNode>>);

// SAFETY: stacks are owned by the tokens and counters of one run, which
// one thread uses at a time (`&mut Run`); they never reach values.
unsafe impl Send for Stack {}

impl Stack {
    #[inline(always)]
    pub(crate) fn push(&mut self, frame: Frame) {
        let next = std::mem::take(self);
        *self = Stack(Some(Rc::new(FrameNode { frame, next })));
    }

    pub(crate) fn top(&self) -> Option<(&Frame, &Stack)> {
        self.0.as_ref().map(|n| (&n.frame, &n.next))
    }

    /// Removes the top frame: moved out when no other token shares it,
    /// otherwise a copy (see [`Frame::share`]).
    #[inline(always)]
    pub(crate) fn pop(&mut self) -> Option<Frame> {
        let node = self.0.take()?;
        match Rc::try_unwrap(node) {
            Ok(mut node) => {
                *self = std::mem::take(&mut node.next);
                let FrameNode { frame, .. } = node;
                Some(frame)
            }
            Err(shared) => {
                *self = shared.next.clone();
                Some(shared.frame.share())
            }
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // Deep stacks (non-tail recursion) are unlinked iteratively.
        let mut next = self.0.take();
        while let Some(node) = next {
            match Rc::try_unwrap(node) {
                Ok(mut node) => next = node.next.0.take(),
                Err(_) => break,
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
}

impl Hot {
    pub(crate) const fn empty() -> Hot {
        Hot {
            next: Next::Idle,
            act: None,
            ctx: None,
            stack: Stack(None),
            seqs: 0,
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
        }
    }
}

pub(crate) struct Token {
    pub(crate) hot: Hot,
    pub(crate) group: GroupRef,
    pub(crate) counter: CounterRef,
    pub(crate) wait: Wait,
    /// Incremented whenever the token starts waiting; wake-ups carry the
    /// epoch they were registered in so stale ones are ignored.
    pub(crate) epoch: u32,
    /// Position in the group's token list (for O(1) removal);
    /// [`UNTRACKED`] in the root group, which keeps no list.
    pub(crate) group_pos: u32,
    /// The innermost virtual clock whose scope the token is in.
    pub(crate) clock: Option<ClockRef>,
    /// The right side of a pruning that is one site call, run in the
    /// pruning's group: its publication binds this future and halts the
    /// token, and halting (or being killed) without one halts the future.
    pub(crate) binds: Option<Arc<Future>>,
}

/// The `group_pos` of a token in the root group.
pub(crate) const UNTRACKED: u32 = u32::MAX;

/// Where a new token runs, apart from what it runs.
pub(crate) struct Place {
    pub(crate) group: GroupRef,
    pub(crate) counter: CounterRef,
    pub(crate) clock: Option<ClockRef>,
}
