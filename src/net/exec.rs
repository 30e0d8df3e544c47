//! Run a program inside a namespace the way `ip netns exec` does.

use std::ffi::{CString, NulError};
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::statvfs::{statvfs, FsFlags};

use super::error::{NetError, Result};

/// Where per-namespace /etc overrides live, as with iproute2.
const ETC_NETNS: &str = "/etc/netns";
/// The exit code of a child whose namespace setup failed, as with `ip netns exec`.
const SETUP_FAILED: i32 = 255;

/// Run `argv` as `ip netns exec` does and wait for it; stdio is inherited.
///
/// Returns the exit code, or 128+signal if it was killed or if SIGINT or SIGTERM stopped the
/// wait (see [`wait`]). A program that cannot be started is [`NetError::Spawn`]. See [`spawn`]
/// for what happens inside the namespace.
pub fn run(ns: Option<(BorrowedFd, &str)>, argv: &[String]) -> Result<i32> {
    Ok(match wait(&mut spawn(ns, argv)?)? {
        Waited::Exited(code) => code,
        Waited::Interrupted(signal) => 128 + signal,
    })
}

/// How waiting for a program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waited {
    /// The program ended: its exit code, or 128+signal ([`exit_code`]).
    Exited(i32),
    /// SIGINT or SIGTERM reached vsh first (this signal): it was passed on to the program,
    /// which had [`GRACE`] to end and was reaped if it did.
    Interrupted(i32),
}

/// How long a program that was passed vsh's SIGINT or SIGTERM may take to end before vsh
/// stops waiting for it: the whole stop stays within 200 ms.
pub const GRACE: Duration = Duration::from_millis(150);

/// The longest sleep between two looks at the interrupt flag, for the rare signal that lands
/// just before a poll starts (any other interrupts the poll at once).
const TICK: Duration = Duration::from_millis(50);

/// Waits for a program [`spawn`] started, or until SIGINT or SIGTERM arrives
/// ([`super::interrupt::pending`]): then the signal is passed on to the program, which gets
/// [`GRACE`] to end. A program that ignores the signal is left running.
pub fn wait(child: &mut Child) -> Result<Waited> {
    let pid = child.id() as i32;
    // From now on the signal handler passes signals on to it at once.
    RUNNING.store(pid, Ordering::SeqCst);
    let waited = wait_for(child, pid);
    RUNNING.store(0, Ordering::SeqCst);
    waited
}

fn wait_for(child: &mut Child, pid: i32) -> Result<Waited> {
    let exited = |child: &mut Child| {
        child
            .try_wait()
            .map_err(|e| NetError::io(format!("wait for {pid}"), &e))
    };
    let pidfd = pidfd_open(pid);
    loop {
        if let Some(signal) = super::interrupt::pending() {
            // Not reaped yet, so the pid is still the child's.
            if FORWARDED.load(Ordering::SeqCst) != pid && exited(child)?.is_none() {
                // Sound: kill(2) with plain integers.
                unsafe { libc::kill(pid, signal) };
            }
            let deadline = Instant::now() + GRACE;
            while exited(child)?.is_none() && Instant::now() < deadline {
                sleep_until_exit(pidfd.as_ref(), deadline - Instant::now());
            }
            return Ok(Waited::Interrupted(signal));
        }
        if let Some(status) = exited(child)? {
            return Ok(Waited::Exited(exit_code(status)));
        }
        sleep_until_exit(pidfd.as_ref(), TICK);
    }
}

/// A pidfd for `pid` (readable once it exits), if the kernel has pidfd_open.
fn pidfd_open(pid: i32) -> Option<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags; a non-negative result is a new fd we own.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

/// Sleeps up to `timeout`, less when the process behind `pidfd` ends or a signal arrives.
fn sleep_until_exit(pidfd: Option<&OwnedFd>, timeout: Duration) {
    match pidfd {
        Some(fd) => {
            let mut fds = [PollFd::new(fd.as_fd(), PollFlags::POLLIN)];
            let ms = u16::try_from(timeout.as_millis()).unwrap_or(u16::MAX);
            // EINTR is the point: a signal ends the sleep.
            let _ = poll(&mut fds, PollTimeout::from(ms));
        }
        None => std::thread::sleep(timeout.min(Duration::from_millis(5))),
    }
}

/// An exit status as a shell reports it: the code, or 128+signal if the program was killed.
pub fn exit_code(status: std::process::ExitStatus) -> i32 {
    status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

/// Start `argv` as `ip netns exec` does, without waiting; stdio is inherited.
///
/// With `ns` = (fd, name): fork; in the child setns(fd), unshare(CLONE_NEWNS), make / a
/// recursive slave, lazily unmount /sys and mount a fresh sysfs (so /sys/class/net shows the
/// namespace's devices), bind each file of /etc/netns/NAME over /etc/FILE, then exec with a
/// PATH lookup. Setup failures in the child exit 255. With `ns` = `None` (vsh's own root
/// namespace) the program runs plainly.
pub fn spawn(ns: Option<(BorrowedFd, &str)>, argv: &[String]) -> Result<Child> {
    let Some(program) = argv.first() else {
        return Err(NetError::Spawn {
            program: String::new(),
            source: io::Error::new(io::ErrorKind::InvalidInput, "empty command"),
        });
    };
    let spawn_error = |source| NetError::Spawn {
        program: program.clone(),
        source,
    };
    let mut cmd = Command::new(program);
    cmd.args(&argv[1..]);
    if let Some((fd, name)) = ns {
        let setup = ChildSetup::prepare(fd.as_raw_fd(), name)
            .map_err(|e| spawn_error(io::Error::new(io::ErrorKind::InvalidInput, e)))?;
        // SAFETY: between fork and exec the closure only makes raw system calls on memory
        // prepared before the fork (no allocation, no locks), as pre_exec requires.
        unsafe {
            cmd.pre_exec(move || setup.apply());
        }
    }
    cmd.spawn().map_err(spawn_error)
}

/// The pid of the program [`wait`] is waiting for, 0 if none.
static RUNNING: AtomicI32 = AtomicI32::new(0);
/// The last pid [`forward_signal`] passed a signal on to, so `wait` does not send it twice.
static FORWARDED: AtomicI32 = AtomicI32::new(0);

/// Passes a signal on to the program [`wait`] is waiting for, if any: SIGTERM sent to vsh must
/// stop it too. Async-signal-safe: atomics and kill(2).
pub fn forward_signal(signal: libc::c_int) {
    let pid = RUNNING.load(Ordering::SeqCst);
    if pid > 0 {
        // Sound: kill(2) takes plain integers and is async-signal-safe.
        unsafe {
            libc::kill(pid, signal);
        }
        FORWARDED.store(pid, Ordering::SeqCst);
    }
}

/// Everything the child needs, allocated before the fork.
struct ChildSetup {
    /// The namespace fd; its borrow in `run` outlives the child's setup.
    fd: RawFd,
    /// The sysfs source name: the namespace name, as iproute2 uses.
    sysfs_source: CString,
    /// Remount sysfs read-only if the current one is.
    sysfs_flags: libc::c_ulong,
    /// (source, target) pairs: /etc/netns/NAME/FILE over /etc/FILE.
    etc_binds: Vec<(CString, CString)>,
    /// Messages written to stderr on failure, with the errno text appended.
    setns_failed: Vec<u8>,
    bind_failed: Vec<Vec<u8>>,
}

impl ChildSetup {
    fn prepare(fd: RawFd, name: &str) -> std::result::Result<ChildSetup, NulError> {
        let sysfs_flags = match statvfs("/sys") {
            Ok(st) if st.flags().contains(FsFlags::ST_RDONLY) => libc::MS_RDONLY,
            _ => 0,
        };
        let mut etc_binds = Vec::new();
        let mut bind_failed = Vec::new();
        // No /etc/netns/NAME is the common case: nothing to bind.
        if let Ok(dir) = std::fs::read_dir(Path::new(ETC_NETNS).join(name)) {
            for entry in dir.flatten() {
                let target = Path::new("/etc").join(entry.file_name());
                bind_failed.push(
                    format!(
                        "vsh: bind {} -> {} failed: ",
                        entry.path().display(),
                        target.display()
                    )
                    .into_bytes(),
                );
                etc_binds.push((
                    CString::new(entry.path().as_os_str().as_bytes())?,
                    CString::new(target.as_os_str().as_bytes())?,
                ));
            }
        }
        Ok(ChildSetup {
            fd,
            sysfs_source: CString::new(name)?,
            sysfs_flags,
            etc_binds,
            setns_failed: format!("vsh: setting the network namespace \"{name}\" failed: ")
                .into_bytes(),
            bind_failed,
        })
    }

    /// Runs in the forked child: only async-signal-safe calls from here on.
    fn apply(&self) -> io::Result<()> {
        let none = std::ptr::null::<libc::c_void>();
        // SAFETY (every call below): raw system calls on NUL-terminated strings and an fd that
        // stay valid until exec; the child is single-threaded, as setns and unshare want.
        unsafe {
            if libc::setns(self.fd, libc::CLONE_NEWNET) != 0 {
                fail(&self.setns_failed);
            }
            if libc::unshare(libc::CLONE_NEWNS) != 0 {
                fail(b"vsh: unshare(CLONE_NEWNS) failed: ");
            }
            // Slave, not private: mounts made on the host later still reach the program.
            if libc::mount(
                c"".as_ptr(),
                c"/".as_ptr(),
                c"none".as_ptr(),
                libc::MS_SLAVE | libc::MS_REC,
                none,
            ) != 0
            {
                fail(b"vsh: \"mount --make-rslave /\" failed: ");
            }
            // No sysfs mounted there is fine.
            libc::umount2(c"/sys".as_ptr(), libc::MNT_DETACH);
            if libc::mount(
                self.sysfs_source.as_ptr(),
                c"/sys".as_ptr(),
                c"sysfs".as_ptr(),
                self.sysfs_flags,
                none,
            ) != 0
            {
                fail(b"vsh: mount of /sys failed: ");
            }
            for ((source, target), message) in self.etc_binds.iter().zip(&self.bind_failed) {
                // A failed bind only warns, as in iproute2.
                if libc::mount(
                    source.as_ptr(),
                    target.as_ptr(),
                    c"none".as_ptr(),
                    libc::MS_BIND,
                    none,
                ) != 0
                {
                    warn(message);
                }
            }
        }
        Ok(())
    }
}

/// Write `message` and the current errno's text to stderr (async-signal-safe).
fn warn(message: &[u8]) {
    let text = Errno::last().desc().as_bytes();
    for part in [message, text, b"\n"] {
        // SAFETY: write(2) from a valid slice; a short or failed write to stderr is not fatal.
        unsafe { libc::write(libc::STDERR_FILENO, part.as_ptr().cast(), part.len()) };
    }
}

/// Report a setup failure and end the child with 255, like `ip netns exec`.
fn fail(message: &[u8]) -> ! {
    warn(message);
    // SAFETY: _exit skips atexit handlers and stdio flushing, which belong to the parent.
    unsafe { libc::_exit(SETUP_FAILED) }
}

/// Send `signal` (a number, as `kill -N`) to process `pid`.
pub fn signal(pid: u32, signal: i32) -> Result<()> {
    let pid = i32::try_from(pid).map_err(|_| NetError::sys(format!("kill {pid}"), Errno::ESRCH))?;
    // SAFETY: kill(2) takes plain integers; a positive pid addresses one process only.
    if pid <= 0 || unsafe { libc::kill(pid, signal) } != 0 {
        return Err(NetError::sys(format!("kill {pid}"), Errno::last()));
    }
    Ok(())
}
