//! SIGINT and SIGTERM. The handler records the signal and passes it on to the program vsh is
//! waiting for; statements poll [`pending`]. While a long builtin runs (`ping`), an
//! [`InterruptGuard`] makes the same handler interrupt blocking calls (no SA_RESTART), so the
//! builtin can stop and print its summary, as iputils' ping does.

use std::sync::atomic::{AtomicI32, Ordering};

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};

use super::error::{NetError, Result};

/// The last signal received and not yet dealt with, 0 if none.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

const SIGNALS: [Signal; 2] = [Signal::SIGINT, Signal::SIGTERM];

extern "C" fn on_signal(signal: libc::c_int) {
    SIGNAL.store(signal, Ordering::SeqCst);
    // A signal sent to vsh alone must stop the program it waits for too (a terminal's Ctrl-C
    // reaches both; the second copy is harmless).
    super::exec::forward_signal(signal);
}

fn action(flags: SaFlags) -> SigAction {
    SigAction::new(SigHandler::Handler(on_signal), flags, SigSet::empty())
}

/// Catches SIGINT and SIGTERM for the rest of the process. Programs vsh runs get the default
/// disposition back when they exec.
pub fn install() {
    for signal in SIGNALS {
        // SAFETY: the handler only touches atomics and calls kill(2), both async-signal-safe.
        let _ = unsafe { sigaction(signal, &action(SaFlags::SA_RESTART)) };
    }
}

/// The signal received since the last [`clear`], if any.
pub fn pending() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Forgets a received signal: it has been dealt with.
pub fn clear() {
    SIGNAL.store(0, Ordering::SeqCst);
}

/// While alive, SIGINT and SIGTERM make blocking calls fail with EINTR; dropping it puts the
/// previous dispositions back.
pub struct InterruptGuard {
    previous: Vec<(Signal, SigAction)>,
}

impl InterruptGuard {
    /// Installs the interrupting handler.
    pub fn install() -> Result<Self> {
        let mut previous = Vec::new();
        for signal in SIGNALS {
            // SAFETY: the handler only touches atomics and calls kill(2), both async-signal-safe.
            let old = unsafe { sigaction(signal, &action(SaFlags::empty())) }
                .map_err(|e| NetError::sys(format!("sigaction {signal}"), e))?;
            previous.push((signal, old));
        }
        Ok(InterruptGuard { previous })
    }
}

impl Drop for InterruptGuard {
    fn drop(&mut self) {
        for (signal, old) in &self.previous {
            // SAFETY: restores the disposition that was in place before `install`.
            let _ = unsafe { sigaction(*signal, old) };
        }
    }
}

/// Whether SIGINT or SIGTERM arrived since the last [`clear`].
pub fn interrupted() -> bool {
    pending().is_some()
}
