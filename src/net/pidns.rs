//! The sandbox's PID namespace. `unshare(CLONE_NEWPID)` only moves the caller's future
//! children, so [`enter`] forks twice: the first child is the namespace's PID 1, a small
//! init that reaps every orphan; the second (PID 2) goes on as vsh. The original process
//! stays outside, passes signals on to the init and exits with vsh's status. When the init
//! ends, the kernel kills whatever still runs in the namespace: nothing outlives the sandbox.

use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicI32, Ordering};

use nix::errno::Errno;
use nix::mount::{mount, MsFlags};
use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::sys::wait::{waitpid, WaitStatus};
use nix::unistd::{fork, pipe2, ForkResult, Pid};

use super::error::{NetError, Result};

/// Signals passed on from the host side to the init, and from the init to vsh.
const FORWARDED: [Signal; 4] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
];

/// Where the handler passes signals on to: the init's pid (outside) or vsh's (in the init).
static FORWARD_TO: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward(signal: libc::c_int) {
    let pid = FORWARD_TO.load(Ordering::SeqCst);
    if pid > 0 {
        // Sound: kill(2) takes plain integers and is async-signal-safe.
        unsafe {
            libc::kill(pid, signal);
        }
    }
}

/// Passes the [`FORWARDED`] signals on to `pid`, or (with `None`) puts the default back.
fn forward_signals(pid: Option<Pid>) {
    let handler = match pid {
        Some(pid) => {
            FORWARD_TO.store(pid.as_raw(), Ordering::SeqCst);
            SigHandler::Handler(forward)
        }
        None => SigHandler::SigDfl,
    };
    // Restarted: the waits below go on after forwarding.
    let action = SigAction::new(handler, SaFlags::SA_RESTART, SigSet::empty());
    for signal in FORWARDED {
        // SAFETY: the handler only loads an atomic and calls kill(2), both async-signal-safe.
        let _ = unsafe { sigaction(signal, &action) };
    }
}

/// After `unshare(CLONE_NEWPID)` (with the mount namespace already private): fork the
/// namespace's init, mount its own /proc, and return in the process that goes on as vsh
/// (PID 2). The host-side process and the init never return: they exit with vsh's status.
/// Call it while the process is single-threaded.
pub fn enter() -> Result<()> {
    // The init learns through this pipe whether the host side died before it could ask for
    // SIGKILL on that death: once the write end closes, a read gives end-of-file.
    let (alive_r, alive_w) =
        pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| NetError::sys("pipe", e))?;
    // SAFETY: the process is single-threaded (the caller's contract), so the child may go on
    // running ordinary code.
    match unsafe { fork() }.map_err(|e| NetError::sys("fork", e))? {
        ForkResult::Parent { child } => {
            drop(alive_r);
            let code = supervise(child);
            drop(alive_w);
            std::process::exit(code)
        }
        ForkResult::Child => {
            drop(alive_w);
            die_with_parent(alive_r)?;
            be_init()
        }
    }
}

/// The host side: pass signals on to the init, wait for it, and return its status.
fn supervise(init: Pid) -> i32 {
    forward_signals(Some(init));
    loop {
        match waitpid(init, None) {
            Ok(status) => {
                if let Some(code) = exit_code(status) {
                    return code;
                }
            }
            Err(Errno::EINTR) => {}
            Err(_) => return 1,
        }
    }
}

/// Kill the whole sandbox if the host-side process dies (even by SIGKILL): the init gets
/// SIGKILL, and with it everything in the namespace.
fn die_with_parent(alive: OwnedFd) -> Result<()> {
    // SAFETY: prctl with integer arguments only.
    if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } != 0 {
        return Err(NetError::sys("prctl PR_SET_PDEATHSIG", Errno::last()));
    }
    // The parent may have died before the prctl: its end of the pipe is then closed.
    let mut byte = [0u8; 1];
    let mut poll = [nix::poll::PollFd::new(
        std::os::fd::AsFd::as_fd(&alive),
        nix::poll::PollFlags::POLLIN,
    )];
    if nix::poll::poll(&mut poll, nix::poll::PollTimeout::ZERO).unwrap_or(0) > 0 {
        // SAFETY: read(2) into a one-byte buffer we own.
        if unsafe { libc::read(alive.as_raw_fd(), byte.as_mut_ptr().cast(), 1) } == 0 {
            // SAFETY: _exit skips the parent's atexit handlers and buffers.
            unsafe { libc::_exit(1) };
        }
    }
    Ok(())
}

/// PID 1: mount the namespace's /proc, fork vsh, then reap every child until vsh ends.
fn be_init() -> Result<()> {
    let none: Option<&str> = None;
    // A /proc of this PID namespace: `ls /proc`, `kill` and `netns attach NAME PID` see
    // only the sandbox's processes.
    mount(
        Some("proc"),
        "/proc",
        Some("proc"),
        MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC,
        none,
    )
    .map_err(|e| NetError::sys("mount proc /proc", e))?;
    // SAFETY: still single-threaded.
    match unsafe { fork() }.map_err(|e| NetError::sys("fork", e))? {
        ForkResult::Child => {
            // vsh installs its own handlers; until then, the defaults.
            forward_signals(None);
            Ok(())
        }
        ForkResult::Parent { child: vsh } => {
            forward_signals(Some(vsh));
            let code = reap_until(vsh);
            // SAFETY: _exit skips the atexit handlers and stdio buffers, which are vsh's.
            // The kernel then kills whatever is left in the namespace.
            unsafe { libc::_exit(code) }
        }
    }
}

/// Reap children (vsh and the orphans the namespace hands to its init) until `vsh` ends;
/// return its status.
fn reap_until(vsh: Pid) -> i32 {
    loop {
        match waitpid(Pid::from_raw(-1), None) {
            Ok(status) if status.pid() == Some(vsh) => {
                if let Some(code) = exit_code(status) {
                    return code;
                }
            }
            Ok(_) | Err(Errno::EINTR) => {}
            Err(_) => return 1,
        }
    }
}

/// A shell's exit status for an ended process: its code, or 128 + the signal that killed it.
fn exit_code(status: WaitStatus) -> Option<i32> {
    match status {
        WaitStatus::Exited(_, code) => Some(code),
        WaitStatus::Signaled(_, signal, _) => Some(128 + signal as i32),
        _ => None,
    }
}
