//! `vsh --isolated`: put the whole process in a private network, mount and PID namespace.

use nix::errno::Errno;
use nix::mount::{mount, umount2, MntFlags, MsFlags};
use nix::sched::{unshare, CloneFlags};
use nix::sys::stat::Mode;
use nix::unistd::{geteuid, getgid, getuid, mkdir};

use super::error::{NetError, Result};
use super::link;
use super::netlink::RouteSocket;
use super::netns::NETNS_DIR;

/// Where vsh keeps its own run-time files.
const VSH_RUN_DIR: &str = "/run/vsh";

/// Isolate the whole process, as `vsh --isolated` does: [`isolate`], then a PID namespace
/// of its own. It returns in a new process, PID 2 under an init of the sandbox's own, with
/// the sandbox's own /proc (see [`super::pidns`]); the process that called it waits outside
/// and exits with that one's status. Nothing can reach the host's namespaces or processes
/// afterwards, and everything vsh creates or starts vanishes when it exits.
///
/// Call it while the process is single-threaded.
pub fn isolate_process() -> Result<()> {
    isolate()?;
    unshare(CloneFlags::CLONE_NEWPID).map_err(|e| NetError::sys("unshare CLONE_NEWPID", e))?;
    super::pidns::enter()
}

/// Isolate the calling thread (the whole process if single-threaded): unshare
/// (CLONE_NEWNET|CLONE_NEWNS) (with CLONE_NEWUSER when not root), make / recursively private,
/// mount a fresh tmpfs on /run holding /run/netns and /run/vsh, remount /sys from the new
/// namespace and bring lo up. Processes are not isolated: see [`isolate_process`].
pub fn isolate() -> Result<()> {
    let none: Option<&str> = None;
    let (uid, gid) = (getuid(), getgid());
    // Without root, a user namespace mapping the user to root owns the new namespaces, so
    // the whole lab works unprivileged.
    let rootless = !geteuid().is_root();
    let mut flags = CloneFlags::CLONE_NEWNET | CloneFlags::CLONE_NEWNS;
    if rootless {
        flags |= CloneFlags::CLONE_NEWUSER;
    }
    unshare(flags).map_err(|e| NetError::sys(format!("unshare {flags:?}"), e))?;
    if rootless {
        map_to_root(uid.as_raw(), gid.as_raw())?;
    }
    // Private: nothing mounted from now on leaks to the host, nor the host's to us.
    mount(
        Some(""),
        "/",
        Some("none"),
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        none,
    )
    .map_err(|e| NetError::sys("mount --make-rprivate /", e))?;
    // A private /run: /run/netns and /run/vsh are the sandbox's own, and nothing is created
    // on the host's /run (which an unprivileged user could not write anyway).
    mount(
        Some("tmpfs"),
        "/run",
        Some("tmpfs"),
        MsFlags::MS_NOSUID | MsFlags::MS_NODEV,
        Some("mode=0755"),
    )
    .map_err(|e| NetError::sys("mount tmpfs /run", e))?;
    for dir in [NETNS_DIR, VSH_RUN_DIR] {
        mkdir_p(dir)?;
    }
    // The old sysfs shows the host's devices; not having one mounted is fine.
    let _ = umount2("/sys", MntFlags::MNT_DETACH);
    mount(Some("sysfs"), "/sys", Some("sysfs"), MsFlags::empty(), none)
        .map_err(|e| NetError::sys("mount sysfs /sys", e))?;

    let mut sock = RouteSocket::open()?;
    if let Some(lo) = link::get(&mut sock, "lo")? {
        link::set_up(&mut sock, lo.index, true)?;
    }
    Ok(())
}

/// Maps `uid`/`gid` to root inside the user namespace just made (setgroups denied first, as
/// the kernel requires of an unprivileged writer).
fn map_to_root(uid: u32, gid: u32) -> Result<()> {
    let write = |path: &str, text: String| {
        std::fs::write(path, text).map_err(|e| NetError::io(format!("write {path}"), &e))
    };
    write("/proc/self/setgroups", "deny".into())?;
    write("/proc/self/uid_map", format!("0 {uid} 1"))?;
    write("/proc/self/gid_map", format!("0 {gid} 1"))
}

/// `mkdir -p` with mode 0755.
fn mkdir_p(dir: &str) -> Result<()> {
    let mut path = String::new();
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        path.push('/');
        path.push_str(part);
        match mkdir(path.as_str(), Mode::from_bits_truncate(0o755)) {
            Ok(()) | Err(Errno::EEXIST) => {}
            Err(e) => return Err(NetError::sys(format!("mkdir {path}"), e)),
        }
    }
    Ok(())
}
