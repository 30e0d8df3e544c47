//! SIGINT and SIGTERM while a statement runs. In the REPL, Ctrl-C interrupts the statement,
//! not vsh; in a script, either signal stops the run, which is then undone. The handler only
//! records the signal and passes it on to a running program; statements poll `pending`.

use std::sync::atomic::{AtomicI32, Ordering};

static SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(signal: libc::c_int) {
    SIGNAL.store(signal, Ordering::SeqCst);
    // A signal sent to vsh alone must stop the program it waits for too (a terminal's Ctrl-C
    // reaches both; the second copy is harmless).
    crate::net::exec::forward_signal(signal);
}

/// Catches SIGINT and SIGTERM from now on. Programs vsh runs get the default disposition
/// back when they exec.
pub fn install() {
    use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
    let action = SigAction::new(
        SigHandler::Handler(on_signal),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    for signal in [Signal::SIGINT, Signal::SIGTERM] {
        // Sound: the handler only touches atomics and calls kill(2), both async-signal-safe.
        let _ = unsafe { sigaction(signal, &action) };
    }
}

/// The signal received since the last `clear`, if any.
pub fn pending() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

pub fn clear() {
    SIGNAL.store(0, Ordering::SeqCst);
}
