//! Ctrl-C while a long builtin runs (`ping` without `-c`): SIGINT sets a flag and interrupts
//! the blocking call instead of killing vsh, so the builtin can stop and print its summary,
//! as iputils' ping does.

use std::sync::atomic::{AtomicBool, Ordering};

use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};

use super::error::{NetError, Result};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// While alive, SIGINT sets [`interrupted`] and makes blocking calls fail with EINTR (no
/// SA_RESTART); dropping it puts the previous disposition back.
pub struct InterruptGuard {
    previous: SigAction,
}

impl InterruptGuard {
    /// Installs the handler and clears the flag.
    pub fn install() -> Result<Self> {
        INTERRUPTED.store(false, Ordering::SeqCst);
        let action = SigAction::new(
            SigHandler::Handler(on_sigint),
            SaFlags::empty(),
            SigSet::empty(),
        );
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        let previous = unsafe { sigaction(Signal::SIGINT, &action) }
            .map_err(|e| NetError::sys("sigaction SIGINT", e))?;
        Ok(InterruptGuard { previous })
    }
}

impl Drop for InterruptGuard {
    fn drop(&mut self) {
        // SAFETY: restores the disposition that was in place before `install`.
        let _ = unsafe { sigaction(Signal::SIGINT, &self.previous) };
    }
}

/// Whether SIGINT arrived since the guard was installed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
