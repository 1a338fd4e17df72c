//! The lock of mutable state inside values: a library object's state (a
//! channel's queue, an array's cells, see [`crate::sites::object`]) and an
//! Orc object's layers ([`super::object`]). It sits in `value`, below the
//! sites, because objects hold it and the cycle collector takes it.

/// The lock of a library object's state (a channel's queue, an array's
/// cells). Calls all happen on the engine's thread, so it is uncontended:
/// a spin lock takes it with one atomic read-modify-write and releases it
/// with a plain store, where a mutex needs two such operations (a channel
/// message took two locks, a tenth of its time). Were it ever contended
/// (a host thread printing a value), the waiter yields its time slice.
pub type StateLock<T> = spin::mutex::SpinMutex<T, spin::relax::Yield>;

/// Locks an object's state to copy out what it prints ([`Kind::show`](crate::sites::object::Kind::show)):
/// `None` if it stays taken (by another thread, for long), in which case
/// the object prints its short form (`Ref(...)`). The lock is not held
/// while the copied values are printed: an object inside itself (a
/// channel holding itself) is noticed by the printer, see
/// [`super::print`].
pub fn lock_to_print<T>(m: &StateLock<T>) -> Option<spin::mutex::SpinMutexGuard<'_, T>> {
    for _ in 0..64 {
        if let Some(guard) = m.try_lock() {
            return Some(guard);
        }
        std::thread::yield_now();
    }
    None
}

/// Locks an object's state (see [`StateLock`]; a panic while it was held
/// leaves it usable).
#[inline(always)]
pub fn lock<T>(m: &StateLock<T>) -> spin::mutex::SpinMutexGuard<'_, T> {
    m.lock()
}
