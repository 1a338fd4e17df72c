//! The resolved program a run executes: the code of its top level (which
//! owns, through its nodes, the code of every definition it declares),
//! the size of the record the top level runs in, and what member access
//! needs of the built-in sites ([`Members`]), which the compiler hands
//! down with it.

use crate::value::code::Code;
use crate::value::site::Members;
use std::sync::Arc;

/// A resolved program: its code and the size of the activation record its
/// top level runs in.
#[derive(Debug)]
pub struct Program {
    pub code: Arc<Code>,
    pub frame_size: u32,
    /// What member access needs of the built-in sites.
    pub members: Members,
}
