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

/// Entries of the cache of the nodes looked at lately (a power of two).
const RECENT: usize = 64;

/// The register code of each node met, by node address (`None`: the node
/// is not an immediate expression). Within a run a node neither changes
/// nor goes away: the run holds its program, and every node it reaches is
/// owned by the program or the engine's globals. So an address names one
/// node for the run's life. Code once made is kept until the run ends, so
/// what [`ShapeCache::flat`] lends stays where it is.
#[derive(Default)]
pub(crate) struct ShapeCache {
    /// The nodes looked at lately (direct-mapped, by address): the address
    /// and the code's (0: none). The same few nodes come again and again
    /// (a loop's arguments).
    recent: Recent,
    all: HashMap<usize, Option<Box<Flat>>, BuildHasherDefault<AddrHasher>>,
}

struct Recent([(usize, usize); RECENT]);

impl Default for Recent {
    fn default() -> Recent {
        Recent([(0, 0); RECENT])
    }
}

impl ShapeCache {
    /// The register code of `code`, if it is an immediate expression.
    ///
    /// The code is lent for as long as the run lives, whatever else the
    /// run does meanwhile (the borrow of `self` ends at once): the caller
    /// must not keep it past the run.
    #[inline(always)]
    pub(crate) fn flat<'a>(&mut self, code: &Code) -> Option<&'a Flat> {
        let addr = code as *const Code as usize;
        let i = fibonacci(addr) as usize % RECENT;
        if self.recent.0[i].0 != addr {
            self.recent.0[i] = (addr, self.look_up(code));
        }
        let flat = self.recent.0[i].1;
        // SAFETY: a nonzero entry is the address of a boxed `Flat` in
        // `all`, which keeps every entry until the cache is dropped with
        // the run; a box's contents stay put when the map moves the box.
        (flat != 0).then(|| unsafe { &*(flat as *const Flat) })
    }

    /// The address of the register code of `code` (0: none), made now if
    /// `code` was not met before.
    #[cold]
    fn look_up(&mut self, code: &Code) -> usize {
        let addr = code as *const Code as usize;
        let flat = self
            .all
            .entry(addr)
            .or_insert_with(|| flat_expr(code).map(Box::new));
        flat.as_deref().map_or(0, |f| f as *const Flat as usize)
    }
}

/// Fibonacci hashing of an address, with the product's well-mixed high
/// half folded into its low bits.
fn fibonacci(addr: usize) -> u64 {
    let x = (addr as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ (x >> 32)
}

/// Hashes an address for the map ([`fibonacci`]).
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
        self.0 = fibonacci(n);
    }
}
