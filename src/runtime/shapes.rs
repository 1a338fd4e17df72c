//! The run's cache of which nodes may run in place: what the evaluation in
//! place ([`super::inplace`], which reads it) found of a node's shape
//! ([`Code::is_immediate`]). It lives here, apart from that code, because the run
//! ([`super::engine`]) holds it and the evaluation in place runs as the
//! run's methods.

use crate::value::code::Code;

/// Entries of [`ShapeCache`] (a power of two).
pub(crate) const SHAPES: usize = 64;

/// What [`Code::is_immediate`] said of the nodes looked at lately, by node
/// address (direct-mapped): the same few nodes are looked at again and
/// again (a loop's arguments), and within a run a node neither changes nor
/// goes away (the run holds its program, and every node it reaches is
/// owned by the program or the engine's globals). Even a stale answer
/// would only cost time: the evaluation in place gives up at any node it
/// cannot run.
pub(crate) struct ShapeCache(pub(crate) [(usize, bool); SHAPES]);

impl ShapeCache {
    /// Whether `code` is an immediate expression ([`Code::is_immediate`]).
    pub(crate) fn immediate(&mut self, code: &Code) -> bool {
        let addr = code as *const Code as usize;
        // Fibonacci hashing: the top bits of the product pick the entry.
        let bits = SHAPES.trailing_zeros();
        let i = addr.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (usize::BITS - bits);
        let entry = &mut self.0[i % SHAPES];
        if entry.0 != addr {
            *entry = (addr, code.is_immediate());
        }
        entry.1
    }
}

impl Default for ShapeCache {
    fn default() -> ShapeCache {
        ShapeCache([(0, false); SHAPES])
    }
}
