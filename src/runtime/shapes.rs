//! The run's register code for the immediate expressions it has met
//! inside bodies ([`flat_expr`]): the right side of a pruning, an
//! argument, the left side of `>x>`. Each node is flattened the first time
//! the evaluation in place ([`super::inplace`]) meets it, and found again
//! by its address. It lives here, apart from that code, because the run
//! ([`super::engine`]) holds it and the evaluation in place runs as the
//! run's methods.

use crate::value::code::Code;
use crate::value::flat::Flat;
use crate::value::flatten::flat_expr;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// The register code of each node met, by node address (`None`: the node
/// is not an immediate expression). Within a run a node neither changes
/// nor goes away: the run holds its program, and every node it reaches is
/// owned by the program or the engine's globals. So an address names one
/// node for the run's life.
#[derive(Default)]
pub(crate) struct ShapeCache(HashMap<usize, Option<Arc<Flat>>, BuildHasherDefault<AddrHasher>>);

impl ShapeCache {
    /// The register code of `code`, if it is an immediate expression.
    pub(crate) fn flat(&mut self, code: &Code) -> Option<Arc<Flat>> {
        let addr = code as *const Code as usize;
        self.0
            .entry(addr)
            .or_insert_with(|| flat_expr(code).map(Arc::new))
            .clone()
    }
}

/// Hashes an address: Fibonacci hashing, with the product's well-mixed
/// high half folded into the low bits that pick the bucket.
#[derive(Default)]
pub(crate) struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        let x = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = x ^ (x >> 32);
    }
}
