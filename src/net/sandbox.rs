//! `vsh --isolated`: put the whole process in a private network and mount namespace.

use nix::errno::Errno;
use nix::mount::{mount, umount2, MntFlags, MsFlags};
use nix::sched::{unshare, CloneFlags};
use nix::sys::stat::Mode;
use nix::unistd::mkdir;

use super::error::{NetError, Result};
use super::link;
use super::netlink::RouteSocket;
use super::netns::NETNS_DIR;

/// Where vsh keeps its own run-time files.
const VSH_RUN_DIR: &str = "/run/vsh";

/// Isolate vsh: unshare(CLONE_NEWNET|CLONE_NEWNS), make / recursively private, mount fresh
/// tmpfs on /run/netns and /run/vsh (creating the directories if needed), remount /sys from
/// the new namespace and bring lo up.
///
/// Call it while the process is single-threaded. Nothing can reach the host's namespaces
/// afterwards, and everything vsh creates vanishes when it exits.
pub fn isolate() -> Result<()> {
    let none: Option<&str> = None;
    unshare(CloneFlags::CLONE_NEWNET | CloneFlags::CLONE_NEWNS)
        .map_err(|e| NetError::sys("unshare CLONE_NEWNET|CLONE_NEWNS", e))?;
    // Private: nothing mounted from now on leaks to the host, nor the host's to us.
    mount(
        Some(""),
        "/",
        Some("none"),
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        none,
    )
    .map_err(|e| NetError::sys("mount --make-rprivate /", e))?;
    for dir in [NETNS_DIR, VSH_RUN_DIR] {
        mkdir_p(dir)?;
        mount(
            Some("tmpfs"),
            dir,
            Some("tmpfs"),
            MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC,
            Some("mode=0755"),
        )
        .map_err(|e| NetError::sys(format!("mount tmpfs {dir}"), e))?;
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
