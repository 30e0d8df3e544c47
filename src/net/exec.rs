//! Run a program inside a namespace the way `ip netns exec` does.

use std::ffi::{CString, NulError};
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicI32, Ordering};

use nix::errno::Errno;
use nix::sys::statvfs::{statvfs, FsFlags};

use super::error::{NetError, Result};

/// Where per-namespace /etc overrides live, as with iproute2.
const ETC_NETNS: &str = "/etc/netns";
/// The exit code of a child whose namespace setup failed, as with `ip netns exec`.
const SETUP_FAILED: i32 = 255;

/// Run `argv` as `ip netns exec` does and wait for it; stdio is inherited.
///
/// Returns the exit code, or 128+signal if it was killed. A program that cannot be started
/// is [`NetError::Spawn`]. See [`spawn`] for what happens inside the namespace.
pub fn run(ns: Option<(BorrowedFd, &str)>, argv: &[String]) -> Result<i32> {
    let mut child = spawn(ns, argv)?;
    RUNNING.store(child.id() as i32, Ordering::SeqCst);
    let status = child.wait();
    RUNNING.store(0, Ordering::SeqCst);
    let status = status.map_err(|source| NetError::Spawn {
        program: argv.first().cloned().unwrap_or_default(),
        source,
    })?;
    Ok(exit_code(status))
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

/// The pid of the program `run` is waiting for, 0 if none.
static RUNNING: AtomicI32 = AtomicI32::new(0);

/// Passes a signal on to the program `run` is waiting for, if any: SIGTERM sent to vsh must
/// stop it too. Async-signal-safe: an atomic load and kill(2).
pub fn forward_signal(signal: libc::c_int) {
    let pid = RUNNING.load(Ordering::SeqCst);
    if pid > 0 {
        // Sound: kill(2) takes plain integers and is async-signal-safe.
        unsafe {
            libc::kill(pid, signal);
        }
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
