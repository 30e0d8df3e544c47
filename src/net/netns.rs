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

/// A device that dies with a deleted namespace: its veth peer lived there.
struct Releasing {
    /// The deleted namespace.
    deleted: String,
    /// Its identity, to tell whether something else keeps it alive.
    id: super::release::NsInode,
    /// Where the device lives.
    ns: Ns,
    /// Its ifindex there.
    index: u32,
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

/// Make /run/netns a shared mount point, as iproute2 does, so that namespaces mounted there
/// are seen by every mount namespace that shares it.
fn share_netns_dir() -> Result<()> {
    let none: Option<&str> = None;
    let mut bound = false;
    loop {
        match mount(
            Some(""),
            NETNS_DIR,
            Some("none"),
            MsFlags::MS_SHARED | MsFlags::MS_REC,
            none,
        ) {
            Ok(()) => return Ok(()),
            // EINVAL: not a mount point yet. Make it one, in a peer group of its own.
            Err(Errno::EINVAL) if !bound => {
                mount(
                    Some(NETNS_DIR),
                    NETNS_DIR,
                    Some("none"),
                    MsFlags::MS_BIND | MsFlags::MS_REC,
                    none,
                )
                .map_err(|e| NetError::sys(format!("mount --bind {NETNS_DIR}"), e))?;
                mount(Some(""), NETNS_DIR, Some("none"), MsFlags::MS_PRIVATE, none)
                    .map_err(|e| NetError::sys(format!("mount --make-private {NETNS_DIR}"), e))?;
                bound = true;
            }
            Err(e) => {
                return Err(NetError::sys(
                    format!("mount --make-rshared {NETNS_DIR}"),
                    e,
                ))
            }
        }
    }
}

/// The identity of a namespace file: (st_dev, st_ino), as iproute2 compares them.
fn ns_id(path: &Path) -> Option<(u64, u64)> {
    nix::sys::stat::stat(path)
        .ok()
        .map(|st| (st.st_dev, st.st_ino))
}

/// The names in /run/netns whose namespace is the one at `path` (`ip netns identify`).
pub fn identify(path: &Path) -> Result<Vec<String>> {
    let Some(wanted) = ns_id(path) else {
        return Err(NetError::io(
            format!("stat {}", path.display()),
            &std::io::Error::last_os_error(),
        ));
    };
    Ok(netns_names()?
        .into_iter()
        .filter(|name| ns_id(&netns_path(name)) == Some(wanted))
        .collect())
}

/// The pids of the processes inside namespace `name`, in /proc order (`ip netns pids`).
pub fn pids(name: &str) -> Result<Vec<u32>> {
    check_name(name)?;
    let path = netns_path(name);
    let Some(wanted) = ns_id(&path) else {
        return Err(NetError::NoNetns {
            name: name.to_owned(),
        });
    };
    let proc = std::fs::read_dir("/proc").map_err(|e| NetError::io("opendir /proc", &e))?;
    let mut found = Vec::new();
    for entry in proc.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        // A process that exits meanwhile, or one we may not inspect, is skipped.
        if ns_id(&Path::new("/proc").join(pid.to_string()).join("ns/net")) == Some(wanted) {
            found.push(pid);
        }
    }
    Ok(found)
}

/// The namespace file of process `pid`.
pub fn pid_netns_path(pid: u32) -> PathBuf {
    Path::new("/proc").join(pid.to_string()).join("ns/net")
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

    /// Create namespace `name` exactly as `ip netns add` does, and keep its fd.
    pub fn add(&mut self, name: &str) -> Result<()> {
        let path = self.mount_point(name)?;
        match self.create_into(&path) {
            Ok((fd, sock)) => {
                self.fds.insert(name.to_owned(), fd);
                self.routes.insert(Ns::Named(name.to_owned()), sock);
                self.nsids.clear();
                Ok(())
            }
            Err(e) => {
                // Leave no mount point behind, as iproute2 does.
                let _ = umount2(&path, MntFlags::MNT_DETACH);
                let _ = unlink(&path);
                Err(e)
            }
        }
    }

    /// Make /run/netns (if missing) and make it a shared mount point, as `ip netns add` does.
    fn share_dir(&mut self) -> Result<()> {
        match mkdir(NETNS_DIR, Mode::from_bits_truncate(0o755)) {
            Ok(()) | Err(Errno::EEXIST) => {}
            Err(e) => return Err(NetError::sys(format!("mkdir {NETNS_DIR}"), e)),
        }
        let dir = open(
            NETNS_DIR,
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| NetError::sys(format!("open {NETNS_DIR}"), e))?;
        // Serialize with concurrent `ip netns add` while the directory is made a mount point.
        let _lock = Flock::lock(dir, FlockArg::LockExclusive)
            .map_err(|(_, e)| NetError::sys(format!("flock {NETNS_DIR}"), e))?;
        share_netns_dir()?;
        self.dir_shared = true;
        Ok(())
    }

    /// Create the empty file /run/netns/NAME to mount a namespace on, making /run/netns a
    /// shared mount first (once a run, or again if the directory went away).
    fn mount_point(&mut self, name: &str) -> Result<PathBuf> {
        check_name(name)?;
        if !self.dir_shared {
            self.share_dir()?;
        }
        let path = netns_path(name);
        let create = || {
            open(
                &path,
                OFlag::O_RDONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_CLOEXEC,
                Mode::empty(),
            )
        };
        let made = match create() {
            Err(Errno::ENOENT) => {
                self.share_dir()?;
                create()
            }
            other => other,
        };
        match made {
            Ok(_mount_point) => Ok(path),
            Err(Errno::EEXIST) => Err(NetError::NetnsExists {
                name: name.to_owned(),
            }),
            Err(e) => Err(NetError::sys(format!("create {}", path.display()), e)),
        }
    }

    /// Name the namespace of process `pid` as `ip netns attach NAME PID` does: bind-mount
    /// /proc/PID/ns/net on /run/netns/NAME, so the namespace outlives the process.
    pub fn attach(&mut self, name: &str, pid: u32) -> Result<()> {
        let source = pid_netns_path(pid);
        // Checked first, so a wrong pid leaves no mount point to clean up.
        let fd =
            open_ns(&source).map_err(|e| NetError::sys(format!("open {}", source.display()), e))?;
        let path = self.mount_point(name)?;
        let none: Option<&str> = None;
        match mount(Some(&source), &path, Some("none"), MsFlags::MS_BIND, none) {
            Ok(()) => {
                self.fds.insert(name.to_owned(), fd);
                self.nsids.clear();
                Ok(())
            }
            Err(e) => {
                let _ = unlink(&path);
                Err(NetError::sys(
                    format!("mount --bind {} {}", source.display(), path.display()),
                    e,
                ))
            }
        }
    }

    /// The file that stands for `ns`: vsh's root namespace as its thread's, or /run/netns/NAME.
    pub fn path_of(&self, ns: &Ns) -> PathBuf {
        match ns {
            // The root fd stays open for the whole run, so its /proc entry names it.
            Ns::Root => Path::new("/proc/self/fd").join(self.root.as_raw_fd().to_string()),
            Ns::Named(name) => netns_path(name),
        }
    }

    /// Unshare a new network namespace on this thread, bind-mount it on `path`, return its fd
    /// and a route socket opened inside it (while we are there: no second setns), and go back
    /// to root whatever happened.
    fn create_into(&self, path: &Path) -> Result<(OwnedFd, RouteSocket)> {
        unshare(CloneFlags::CLONE_NEWNET).map_err(|e| NetError::sys("unshare CLONE_NEWNET", e))?;
        let back = GoBack(self.root.as_fd());
        let none: Option<&str> = None;
        let made = mount(
            Some(THREAD_NETNS),
            path,
            Some("none"),
            MsFlags::MS_BIND,
            none,
        )
        .map_err(|e| NetError::sys(format!("mount --bind {THREAD_NETNS} {}", path.display()), e))
        .and_then(|()| {
            open_ns(Path::new(THREAD_NETNS))
                .map_err(|e| NetError::sys(format!("open {THREAD_NETNS}"), e))
        })
        .and_then(|fd| Ok((fd, RouteSocket::open()?)));
        back.now()?;
        made
    }

    /// Delete namespace `name` as `ip netns del` does; it dies once nothing else holds it.
    ///
    /// Whether it exists is checked now; the unmount and unlink are queued to worker threads
    /// (they mostly wait for the kernel, so many deletes overlap): until
    /// [`Namespaces::settle`] returns, the name may still be in
    /// /run/netns, and `add` of the same name may fail. Methods of `self` already treat it as
    /// gone.
    pub fn del(&mut self, name: &str) -> Result<()> {
        check_name(name)?;
        let path = netns_path(name);
        let missing = || NetError::NoNetns {
            name: name.to_owned(),
        };
        let checked = if self.reaper.pending.contains(name) {
            Err(missing())
        } else {
            match nix::sys::stat::lstat(&path) {
                Ok(_) => Ok(()),
                Err(Errno::ENOENT) => Err(missing()),
                Err(e) => Err(NetError::sys(format!("stat {}", path.display()), e)),
            }
        };
        // What dies with it elsewhere, asked while we can still look inside; a namespace
        // that cannot be looked into has nothing to wait for.
        if checked.is_ok() {
            let peers = self.peers_outside(name).unwrap_or_default();
            self.releasing.extend(peers);
        }
        // Dropping our fd and socket, so they do not keep the namespace alive.
        self.fds.remove(name);
        self.routes.remove(&Ns::Named(name.to_owned()));
        self.nsids.clear();
        checked?;
        self.reaper.queue(name);
        Ok(())
    }

    /// The devices outside namespace `name` that die with it: the veth peers (and other
    /// links with their lower end, IFLA_LINK, there) of its links, where vsh can name their
    /// namespace. Peers in namespaces being deleted too are left out: their names go with them.
    fn peers_outside(&mut self, name: &str) -> Result<Vec<Releasing>> {
        let inside = Ns::Named(name.to_owned());
        let Some(id) = ns_id(&netns_path(name)) else {
            return Ok(Vec::new());
        };
        let links = super::link::list(self.route(&inside)?)?;
        let mut found = Vec::new();
        let mut places: HashMap<i32, Option<Ns>> = HashMap::new();
        for link in links {
            let (Some(index), Some(nsid)) = (link.link, link.link_netnsid) else {
                continue;
            };
            if nsid < 0 {
                continue;
            }
            let place = match places.get(&nsid) {
                Some(place) => place.clone(),
                None => {
                    let place = self.ns_with_nsid(&inside, nsid)?;
                    places.insert(nsid, place.clone());
                    place
                }
            };
            if let Some(ns) = place {
                found.push(Releasing {
                    deleted: name.to_owned(),
                    id,
                    ns,
                    index,
                });
            }
        }
        Ok(found)
    }

    /// The namespace `from` knows as `nsid`: root, or one in /run/netns that is not being
    /// deleted; `None` if it is neither.
    fn ns_with_nsid(&mut self, from: &Ns, nsid: i32) -> Result<Option<Ns>> {
        if self.nsid(from, &Ns::Root)? == Some(nsid) {
            return Ok(Some(Ns::Root));
        }
        for name in netns_names()? {
            let other = Ns::Named(name.clone());
            if other == *from || self.reaper.pending.contains(&name) {
                continue;
            }
            // Opened for this question only: a cached fd would keep it alive.
            let Ok(fd) = open_ns(&netns_path(&name)) else {
                continue;
            };
            if nsid_of(self.route(from)?, fd.as_fd())? == Some(nsid) {
                return Ok(Some(other));
            }
        }
        Ok(None)
    }

    /// Wait until every namespace [`Namespaces::del`] queued is unmounted and unlinked, and
    /// until the kernel has destroyed the devices that die with them elsewhere (veth peers),
    /// so that their names can be used again at once (while one goes at least every
    /// [`super::release::RELEASE_TIMEOUT`]; then [`NetError::StillReleasing`]). Returns the
    /// deletes that failed, in the order they were queued.
    pub fn settle(&mut self) -> Vec<(String, NetError)> {
        let mut failed = self.reaper.settle();
        let releasing = std::mem::take(&mut self.releasing);
        // A namespace that could not be deleted keeps its devices.
        let releasing: Vec<Releasing> = releasing
            .into_iter()
            .filter(|r| !failed.iter().any(|(name, _)| *name == r.deleted))
            .collect();
        failed.extend(self.await_released(&releasing));
        failed
    }

    /// Waits until each device of `releasing` is gone, as long as one goes at least every
    /// [`super::release::RELEASE_TIMEOUT`] (a thousand namespaces take the kernel seconds);
    /// returns those still there then, by deleted namespace. A namespace that something
    /// else keeps alive ([`super::release::held`]) keeps its devices: they are not waited for.
    /// SIGINT or SIGTERM ([`super::interrupt::pending`]) ends the wait.
    fn await_released(&mut self, releasing: &[Releasing]) -> Vec<(String, NetError)> {
        use super::release::{held, link_by_index, POLL, RELEASE_TIMEOUT};
        use std::time::Instant;
        // A namespace deleted too (or gone) took its devices with it.
        let mut waiting: Vec<&Releasing> = releasing
            .iter()
            .filter(|r| !matches!(&r.ns, Ns::Named(n) if !self.exists(n)))
            .collect();
        if waiting.is_empty() {
            return Vec::new();
        }
        let kept = held(&waiting.iter().map(|r| r.id).collect());
        waiting.retain(|r| !kept.contains(&r.id));
        let mut deadline = Instant::now() + RELEASE_TIMEOUT;
        loop {
            let before = waiting.len();
            // A device that cannot be looked at is not waited for. (Our own sockets release
            // the namespace only after an RCU grace period: until then its devices are not
            // yet dying, but they will be.)
            waiting.retain(|r| {
                self.route(&r.ns)
                    .and_then(|sock| link_by_index(sock, r.index))
                    .is_ok_and(|link| link.is_some())
            });
            let now = Instant::now();
            if waiting.len() < before {
                deadline = now + RELEASE_TIMEOUT;
            }
            if waiting.is_empty() || now >= deadline {
                break;
            }
            // SIGINT or SIGTERM: stop at once; the kernel finishes on its own.
            if super::interrupt::pending().is_some() {
                return Vec::new();
            }
            std::thread::sleep(POLL);
        }
        let mut lingering: Vec<(String, NetError)> = Vec::new();
        for r in waiting {
            let name = match self.route(&r.ns).and_then(|s| link_by_index(s, r.index)) {
                Ok(Some(link)) => link.name,
                _ => format!("if{}", r.index),
            };
            let device = format!("{name} in {}", r.ns);
            match lingering.iter_mut().find(|(n, _)| *n == r.deleted) {
                Some((_, NetError::StillReleasing { devices, .. })) => devices.push(device),
                _ => lingering.push((
                    r.deleted.clone(),
                    NetError::StillReleasing {
                        devices: vec![device],
                        after: RELEASE_TIMEOUT,
                    },
                )),
            }
        }
        lingering
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
