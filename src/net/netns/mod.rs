//! Network namespaces kept in /run/netns the way iproute2 keeps them, and the per-namespace
//! handles (an fd and one netlink route socket) vsh reuses for a whole run.

use std::collections::HashMap;
use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use netlink_packet_route::nsid::{NsidAttribute, NsidMessage};
use netlink_packet_route::RouteNetlinkMessage;
use nix::errno::Errno;
use nix::fcntl::{open, Flock, FlockArg, OFlag};
use nix::mount::{mount, umount2, MntFlags, MsFlags};
use nix::sched::{setns, unshare, CloneFlags};
use nix::sys::stat::Mode;
use nix::unistd::{mkdir, unlink};

use super::error::{NetError, Result};
use super::names::{self, NameKind};
use super::netlink::RouteSocket;

mod create;
mod delete;
mod procs;

use delete::Releasing;
use procs::ns_id;
pub use procs::{identify, pid_netns_path, pids};

/// Where named namespaces live, shared with iproute2.
pub const NETNS_DIR: &str = "/run/netns";
/// The calling thread's own network namespace (not the main thread's, as /proc/self would be).
const THREAD_NETNS: &str = "/proc/thread-self/ns/net";

/// Names a namespace: the one vsh started in, or one kept in /run/netns like iproute2.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ns {
    /// The namespace vsh (the thread that made [`Namespaces`]) started in.
    Root,
    /// A namespace bind-mounted at /run/netns/NAME.
    Named(String),
}

impl fmt::Display for Ns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ns::Root => f.write_str("root"),
            Ns::Named(name) => f.write_str(name),
        }
    }
}

/// What a namespace is, not what it is called: the kernel's namespace cookie. A name can be
/// deleted and made again, and the nsfs inode of a dead namespace is given to the next one
/// made; the cookie is never reused while the machine runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NsId(pub u64);

/// One line of `ip netns list`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetnsEntry {
    /// The file name in /run/netns.
    pub name: String,
    /// The nsid the root namespace assigned to it; `None` if unassigned.
    pub id: Option<i32>,
}

/// All namespace handles of one run.
///
/// Holds the root namespace fd (the calling thread's namespace at [`Namespaces::new`]) and, per
/// named namespace, lazily, its fd and ONE netlink route socket, opened once (setns in, create
/// the socket, setns back) and reused. Every method returns with the thread back in root.
pub struct Namespaces {
    root: OwnedFd,
    /// Named namespaces' fds, opened once.
    fds: HashMap<String, OwnedFd>,
    /// One route socket per namespace, root included. Apart from `fds`, so that a socket and
    /// another namespace's fd can be borrowed together ([`Namespaces::route_with_fd`]).
    routes: HashMap<Ns, RouteSocket>,
    /// Per viewing namespace, nsid -> name, learnt by [`Namespaces::name_of_nsid`].
    nsids: HashMap<Ns, HashMap<i32, String>>,
    /// Whether this run already made /run/netns a shared mount point: iproute2 redoes it
    /// for every `netns add`, and with MS_REC that walks every namespace mounted there.
    dir_shared: bool,
    /// Deleted namespaces whose mount point is still being removed.
    reaper: super::reaper::Reaper,
    /// setns is per thread and every method assumes the thread that made this: not `Send`.
    _thread: std::marker::PhantomData<*const ()>,
    /// Devices in other namespaces that die with the deleted ones (veth peers): `settle`
    /// waits until the kernel has destroyed them, so their names are free again.
    releasing: Vec<Releasing>,
}

fn check_name(name: &str) -> Result<()> {
    names::check(NameKind::Netns, name)
}

/// /run/netns/NAME.
pub fn netns_path(name: &str) -> PathBuf {
    Path::new(NETNS_DIR).join(name)
}

/// Opens a namespace file (/run/netns/NAME, /proc/PID/ns/net) read-only, close-on-exec.
pub fn open_ns(path: &Path) -> nix::Result<OwnedFd> {
    open(path, OFlag::O_RDONLY | OFlag::O_CLOEXEC, Mode::empty())
}

/// Run `f` with the calling thread in `target`'s network namespace, then go back to `root`.
fn within<T>(root: BorrowedFd, target: BorrowedFd, f: impl FnOnce() -> T) -> Result<T> {
    setns(target, CloneFlags::CLONE_NEWNET).map_err(|e| NetError::sys("setns", e))?;
    let back = GoBack(root);
    let out = f();
    back.now()?;
    Ok(out)
}

/// Returns the thread to the root namespace, also when `f` panics.
struct GoBack<'a>(BorrowedFd<'a>);

impl GoBack<'_> {
    fn now(self) -> Result<()> {
        let done = setns(self.0, CloneFlags::CLONE_NEWNET);
        std::mem::forget(self);
        if let Err(e) = done {
            stranded(e);
        }
        Ok(())
    }
}

impl Drop for GoBack<'_> {
    fn drop(&mut self) {
        // Only reached while unwinding: do not stay in the namespace either.
        if let Err(e) = setns(self.0, CloneFlags::CLONE_NEWNET) {
            stranded(e);
        }
    }
}

/// The thread could not go back to its home namespace: every later request meant for root
/// would act in another namespace. Nothing can be trusted to run after this, undo included.
fn stranded(e: Errno) -> ! {
    eprintln!(
        "vsh: fatal: cannot return to the home network namespace ({}); stopping before anything acts in the wrong one",
        e.desc()
    );
    std::process::abort()
}

/// The nsid `sock`'s namespace assigned to the namespace behind `fd` (RTM_GETNSID, NETNSA_FD);
/// asking assigns none.
pub fn nsid_of(sock: &mut RouteSocket, fd: BorrowedFd) -> Result<Option<i32>> {
    let mut msg = NsidMessage::default();
    msg.attributes
        .push(NsidAttribute::Fd(fd.as_raw_fd() as u32));
    let answer = sock.get(RouteNetlinkMessage::GetNsId(msg))?;
    let RouteNetlinkMessage::NewNsId(answer) = answer else {
        return Err(NetError::Malformed {
            what: "RTM_GETNSID answered with another message".into(),
        });
    };
    Ok(answer.attributes.iter().find_map(|a| match a {
        // NETNSA_NSID_NOT_ASSIGNED is -1.
        NsidAttribute::Id(id) if *id >= 0 => Some(*id),
        _ => None,
    }))
}

/// The names in /run/netns, in readdir order; none if the directory is missing.
pub fn netns_names() -> Result<Vec<String>> {
    let dir = match std::fs::read_dir(NETNS_DIR) {
        Ok(dir) => dir,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(NetError::io(format!("opendir {NETNS_DIR}"), &e)),
    };
    let mut names = Vec::new();
    for entry in dir {
        let entry = entry.map_err(|e| NetError::io(format!("readdir {NETNS_DIR}"), &e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    Ok(names)
}

/// Run `f` with the calling thread (any thread) inside the namespace behind `target`, then
/// put the thread back where it was. For threads of their own, such as one per line of a
/// ping block, that open a socket inside a namespace.
pub fn run_in<T>(target: BorrowedFd, f: impl FnOnce() -> T) -> Result<T> {
    let here = open_ns(Path::new(THREAD_NETNS))
        .map_err(|e| NetError::sys(format!("open {THREAD_NETNS}"), e))?;
    within(here.as_fd(), target, f)
}

impl Namespaces {
    /// Take the calling thread's current network namespace as root.
    pub fn new() -> Result<Self> {
        let root = open_ns(Path::new(THREAD_NETNS))
            .map_err(|e| NetError::sys(format!("open {THREAD_NETNS}"), e))?;
        Ok(Namespaces {
            root,
            fds: HashMap::new(),
            routes: HashMap::new(),
            nsids: HashMap::new(),
            dir_shared: false,
            reaper: super::reaper::Reaper::new(),
            releasing: Vec::new(),
            _thread: std::marker::PhantomData,
        })
    }

    /// The file that stands for `ns`: vsh's root namespace as its thread's, or /run/netns/NAME.
    pub fn path_of(&self, ns: &Ns) -> PathBuf {
        match ns {
            // The root fd stays open for the whole run, so its /proc entry names it.
            Ns::Root => Path::new("/proc/self/fd").join(self.root.as_raw_fd().to_string()),
            Ns::Named(name) => netns_path(name),
        }
    }

    /// The identity of the namespace `ns` names now; `None` if no namespace has that name.
    pub fn identity(&mut self, ns: &Ns) -> Result<Option<NsId>> {
        if let Ns::Named(name) = ns {
            if !self.exists(name) {
                return Ok(None);
            }
            self.forget_if_replaced(name);
        }
        Ok(Some(NsId(self.route(ns)?.netns_cookie()?)))
    }

    /// The identity of `ns` as this run knows it (its cached socket's), without checking that
    /// the name still stands for it: for the many checks a run makes between two changes.
    pub fn known_identity(&mut self, ns: &Ns) -> Result<NsId> {
        Ok(NsId(self.route(ns)?.netns_cookie()?))
    }

    /// Drops the handles of `name` if the file in /run/netns is no longer the namespace they
    /// were opened on (deleted and made again behind our back).
    fn forget_if_replaced(&mut self, name: &str) {
        let Some(fd) = self.fds.get(name) else {
            return;
        };
        let same = match (
            nix::sys::stat::fstat(fd),
            nix::sys::stat::stat(&netns_path(name)),
        ) {
            (Ok(a), Ok(b)) => a.st_dev == b.st_dev && a.st_ino == b.st_ino,
            _ => false,
        };
        if !same {
            self.fds.remove(name);
            self.routes.remove(&Ns::Named(name.to_owned()));
            self.nsids.clear();
        }
    }

    /// The namespaces of /run/netns in readdir order (the order `ip netns list` prints),
    /// with the nsid root assigned to each; empty if the directory is missing.
    pub fn list(&mut self) -> Result<Vec<NetnsEntry>> {
        let names = netns_names()?;
        let sock = self.route(&Ns::Root)?;
        let mut entries = Vec::with_capacity(names.len());
        for name in names {
            // A file that is not (or no longer) a namespace still lists, without an id.
            let id = match open_ns(&netns_path(&name)) {
                Ok(fd) => nsid_of(sock, fd.as_fd()).unwrap_or(None),
                Err(_) => None,
            };
            entries.push(NetnsEntry { name, id });
        }
        Ok(entries)
    }

    /// Whether /run/netns/NAME exists.
    pub fn exists(&self, name: &str) -> bool {
        names::valid_netns_name(name)
            && !self.reaper.pending.contains(name)
            && netns_path(name).exists()
    }

    /// The namespace process `pid` is in, if it is root or one in /run/netns (compared by
    /// device and inode, as `ip netns identify` does); `None` for any other namespace.
    pub fn ns_of_pid(&mut self, pid: u32) -> Result<Option<Ns>> {
        let path = format!("/proc/{pid}/ns/net");
        let target = nix::sys::stat::stat(path.as_str())
            .map_err(|e| NetError::sys(format!("stat {path}"), e))?;
        let same =
            |st: nix::sys::stat::FileStat| st.st_dev == target.st_dev && st.st_ino == target.st_ino;
        if nix::sys::stat::fstat(&self.root).is_ok_and(same) {
            return Ok(Some(Ns::Root));
        }
        for name in netns_names()? {
            if nix::sys::stat::stat(&netns_path(&name)).is_ok_and(same) {
                return Ok(Some(Ns::Named(name)));
            }
        }
        Ok(None)
    }

    /// Open /run/netns/NAME once.
    fn open_named(&mut self, name: &str) -> Result<()> {
        if !self.fds.contains_key(name) {
            check_name(name)?;
            if self.reaper.pending.contains(name) {
                return Err(NetError::NoNetns {
                    name: name.to_owned(),
                });
            }
            let path = netns_path(name);
            let fd = open_ns(&path).map_err(|e| match e {
                Errno::ENOENT => NetError::NoNetns {
                    name: name.to_owned(),
                },
                e => NetError::sys(format!("open {}", path.display()), e),
            })?;
            self.fds.insert(name.to_owned(), fd);
        }
        Ok(())
    }

    /// The fd of `ns`; `open_named` must have succeeded for a named one.
    fn fd_of(&self, ns: &Ns) -> Result<BorrowedFd<'_>> {
        match ns {
            Ns::Root => Ok(self.root.as_fd()),
            Ns::Named(name) => self
                .fds
                .get(name)
                .map(|fd| fd.as_fd())
                .ok_or_else(|| NetError::NoNetns { name: name.clone() }),
        }
    }

    /// Make sure `ns` has an fd and a route socket.
    fn open_route(&mut self, ns: &Ns) -> Result<()> {
        if let Ns::Named(name) = ns {
            self.open_named(name)?;
        }
        if !self.routes.contains_key(ns) {
            let sock = match ns {
                // Every method returns to root, so the thread is there now.
                Ns::Root => RouteSocket::open()?,
                Ns::Named(_) => within(self.root.as_fd(), self.fd_of(ns)?, RouteSocket::open)??,
            };
            self.routes.insert(ns.clone(), sock);
        }
        Ok(())
    }

    /// The fd of `ns`, opened once from /run/netns/NAME ([`NetError::NoNetns`] if missing).
    pub fn fd(&mut self, ns: &Ns) -> Result<BorrowedFd<'_>> {
        if let Ns::Named(name) = ns {
            self.open_named(name)?;
        }
        self.fd_of(ns)
    }

    /// The route socket of `ns`, opened inside it on first use and reused afterwards.
    pub fn route(&mut self, ns: &Ns) -> Result<&mut RouteSocket> {
        self.open_route(ns)?;
        self.routes.get_mut(ns).ok_or_else(|| missing_socket(ns))
    }

    /// The route socket of `ns` together with the fd of `other`: for requests that name
    /// another namespace (a veth peer created in `other`, a link moved there).
    pub fn route_with_fd(
        &mut self,
        ns: &Ns,
        other: &Ns,
    ) -> Result<(&mut RouteSocket, BorrowedFd<'_>)> {
        self.open_route(ns)?;
        if let Ns::Named(name) = other {
            self.open_named(name)?;
        }
        let fd = match other {
            Ns::Root => self.root.as_fd(),
            Ns::Named(name) => self
                .fds
                .get(name)
                .map(|fd| fd.as_fd())
                .ok_or_else(|| NetError::NoNetns { name: name.clone() })?,
        };
        let sock = self.routes.get_mut(ns).ok_or_else(|| missing_socket(ns))?;
        Ok((sock, fd))
    }

    /// Run `f` with the calling thread inside `ns`, then return to root (to open other
    /// sockets there: ICMP, packet, ioctl).
    pub fn enter<T>(&mut self, ns: &Ns, f: impl FnOnce() -> T) -> Result<T> {
        match ns {
            Ns::Root => Ok(f()),
            Ns::Named(name) => {
                self.open_named(name)?;
                within(self.root.as_fd(), self.fd_of(ns)?, f)
            }
        }
    }

    /// The name in /run/netns of the namespace that `from` knows as `nsid` (as in a veth's
    /// IFLA_LINK_NETNSID): used to print `link-netns NAME`. `None` if it has no name there.
    pub fn name_of_nsid(&mut self, from: &Ns, nsid: i32) -> Result<Option<String>> {
        // A remembered answer is checked with one query: nsids are reused after a namespace dies.
        let known = self.nsids.get(from).and_then(|m| m.get(&nsid)).cloned();
        if let Some(name) = known {
            if let Ok(fd) = open_ns(&netns_path(&name)) {
                if nsid_of(self.route(from)?, fd.as_fd())? == Some(nsid) {
                    return Ok(Some(name));
                }
            }
        }
        let mut learnt = HashMap::new();
        for name in netns_names()? {
            let Ok(fd) = open_ns(&netns_path(&name)) else {
                continue;
            };
            if let Ok(Some(id)) = nsid_of(self.route(from)?, fd.as_fd()) {
                learnt.insert(id, name);
            }
        }
        let found = learnt.get(&nsid).cloned();
        self.nsids.insert(from.clone(), learnt);
        Ok(found)
    }

    /// The nsid `from` has assigned to `target` (RTM_GETNSID with NETNSA_FD); `None` if it has
    /// assigned none. Tells whether a veth's IFLA_LINK_NETNSID points at the root namespace,
    /// which has no name in /run/netns.
    pub fn nsid(&mut self, from: &Ns, target: &Ns) -> Result<Option<i32>> {
        let (sock, fd) = self.route_with_fd(from, target)?;
        nsid_of(sock, fd)
    }
}

/// A socket that was just stored is missing: cannot happen, but not worth a panic.
fn missing_socket(ns: &Ns) -> NetError {
    NetError::Malformed {
        what: format!("no route socket for namespace {ns}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ns_display() {
        assert_eq!(Ns::Root.to_string(), "root");
        assert_eq!(Ns::Named("red".into()).to_string(), "red");
    }
}
