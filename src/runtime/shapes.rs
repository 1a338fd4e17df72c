//! The run's cache of which nodes may run in place: what the evaluation in
//! place ([`super::inplace`], which fills and reads it) found of a node's
//! shape. It lives here, apart from that code, because the run
//! ([`super::engine`]) holds it and the evaluation in place runs as the
//! run's methods.

/// Entries of [`ShapeCache`] (a power of two).
pub(crate) const SHAPES: usize = 64;

/// What `inplace::immediate_shape` said of the nodes looked at lately, by node
/// address (direct-mapped): the same few nodes are looked at again and
/// again (a loop's arguments), and within a run a node neither changes nor
/// goes away (the run holds its program, and every node it reaches is
/// owned by the program or the engine's globals). Even a stale answer
/// would only cost time: the evaluation in place gives up at any node it
/// cannot run.
pub(crate) struct ShapeCache(pub(crate) [(usize, bool); SHAPES]);

impl Default for ShapeCache {
    fn default() -> ShapeCache {
        ShapeCache([(0, false); SHAPES])
    }
}
