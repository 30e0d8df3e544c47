//! The live topology: every namespace reachable (the root, /run/netns, and optionally those
//! only a process holds), each one's links and addresses, veth ends joined across
//! namespaces and ports joined to their bridges.

use std::collections::{HashMap, HashSet};
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use super::addr::{self, Address};
use super::error::{NetError, Result};
use super::link::{self, Link};
use super::netlink::RouteSocket;
use super::netns::{netns_names, netns_path, nsid_of, open_ns, run_in};

/// A namespace to look into: the label it is shown by and an open handle on it.
pub struct NsHandle {
    /// `root`, a /run/netns name, or `COMM[PID]` for a namespace only a process holds.
    pub name: String,
    /// The namespace's identity: the inode of its ns file (as `readlink /proc/PID/ns/net`
    /// shows it, `net:[INODE]`).
    pub inode: u64,
    /// Whether only a process holds it (found through /proc, not /run/netns).
    pub by_process: bool,
    /// The namespace file, open.
    pub fd: OwnedFd,
}

/// The devices of every namespace, joined.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Topology {
    /// In the order they were found: root, /run/netns by name, then processes by pid.
    pub namespaces: Vec<NsView>,
}

/// One namespace and its devices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsView {
    /// Its label (see [`NsHandle::name`]).
    pub name: String,
    /// The inode of its ns file.
    pub inode: u64,
    /// Its links, by ifindex.
    pub links: Vec<Device>,
}

/// One device and what it is connected to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// The interface name.
    pub name: String,
    /// Its ifindex in its namespace.
    pub ifindex: u32,
    /// IFLA_INFO_KIND ("veth", "bridge", ...); `None` for lo and physical devices.
    pub kind: Option<String>,
    /// Whether it is the loopback device.
    pub loopback: bool,
    /// Whether IFF_UP is set.
    pub up: bool,
    /// The operational state as `ip` prints it ("UP", "DOWN", "LOWERLAYERDOWN", ...).
    pub operstate: String,
    /// The name of the bridge (or other controller) it is a port of.
    pub master: Option<String>,
    /// Its hardware address.
    pub mac: Option<Vec<u8>>,
    /// Its addresses, in the kernel's order (as `ip addr` lists them).
    pub addresses: Vec<Address>,
    /// For a veth, the other end.
    pub peer: Option<PeerEnd>,
}

/// The other end of a veth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerEnd {
    /// The label of its namespace; `None` when that namespace is not among those looked at.
    pub netns: Option<String>,
    /// Its name; `None` when its namespace is not among those looked at.
    pub name: Option<String>,
    /// Its ifindex in its namespace.
    pub ifindex: u32,
}

impl Topology {
    /// The namespace labelled `name`.
    pub fn namespace(&self, name: &str) -> Option<&NsView> {
        self.namespaces.iter().find(|n| n.name == name)
    }
}

impl NsView {
    /// The device called `name`.
    pub fn device(&self, name: &str) -> Option<&Device> {
        self.links.iter().find(|d| d.name == name)
    }

    /// The devices whose master is `bridge`.
    pub fn ports<'a>(&'a self, bridge: &'a str) -> impl Iterator<Item = &'a Device> + 'a {
        self.links
            .iter()
            .filter(move |d| d.master.as_deref() == Some(bridge))
    }
}

impl Device {
    /// Whether this device is a bridge.
    pub fn is_bridge(&self) -> bool {
        self.kind.as_deref() == Some("bridge")
    }
}

/// The inode of an open namespace file.
fn inode_of(fd: &OwnedFd) -> Result<u64> {
    nix::sys::stat::fstat(fd)
        .map(|st| st.st_ino)
        .map_err(|e| NetError::sys("fstat namespace", e))
}

/// Which processes' namespaces [`namespaces`] also looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Processes {
    /// None: only the root and /run/netns.
    None,
    /// Every process's.
    All,
    /// Those of this process's descendants only (a sandbox's view: other processes share
    /// /proc but not the sandbox).
    DescendantsOf(u32),
}

/// The namespaces to look at: `root` (the handle given), every namespace of /run/netns (by
/// name; a namespace under two names is shown once, by the first), and as `processes` says
/// every other namespace a process is in (/proc/PID/ns/net, the lowest pid's, labelled
/// `COMM[PID]`). Namespaces that cannot be opened (a stale file, a process gone, one we may
/// not read) are left out.
pub fn namespaces(root: OwnedFd, processes: Processes) -> Result<Vec<NsHandle>> {
    let mut seen = HashSet::new();
    let root_inode = inode_of(&root)?;
    seen.insert(root_inode);
    let mut out = vec![NsHandle {
        name: "root".into(),
        inode: root_inode,
        by_process: false,
        fd: root,
    }];
    let mut names = netns_names()?;
    names.sort();
    for name in names {
        let Ok(fd) = open_ns(&netns_path(&name)) else {
            continue;
        };
        // A plain file (a mount point whose mount is gone) is not a namespace.
        if !is_netns(&fd) {
            continue;
        }
        let inode = inode_of(&fd)?;
        if seen.insert(inode) {
            out.push(NsHandle {
                name,
                inode,
                by_process: false,
                fd,
            });
        }
    }
    if processes != Processes::None {
        let mut pids: Vec<u32> = std::fs::read_dir("/proc")
            .map_err(|e| NetError::io("opendir /proc", &e))?
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse().ok())
            .collect();
        pids.sort_unstable();
        if let Processes::DescendantsOf(ancestor) = processes {
            let parents: HashMap<u32, u32> = pids
                .iter()
                .filter_map(|&p| Some((p, parent_of(p)?)))
                .collect();
            pids.retain(|&p| {
                let mut at = p;
                // Bounded: a pid reused while we read could make a loop.
                for _ in 0..parents.len() {
                    match parents.get(&at) {
                        Some(&up) if up == ancestor => return true,
                        Some(&up) if up > 0 => at = up,
                        _ => return false,
                    }
                }
                false
            });
        }
        for pid in pids {
            let proc = Path::new("/proc").join(pid.to_string());
            let Ok(fd) = open_ns(&proc.join("ns/net")) else {
                continue;
            };
            let Ok(inode) = inode_of(&fd) else { continue };
            if seen.insert(inode) {
                let comm = std::fs::read_to_string(proc.join("comm")).unwrap_or_default();
                out.push(NsHandle {
                    name: format!("{}[{pid}]", comm.trim()),
                    inode,
                    by_process: true,
                    fd,
                });
            }
        }
    }
    Ok(out)
}

/// The parent pid of `pid`, from /proc/PID/stat (the field after the parenthesised name).
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// Whether an fd is a network namespace (NS_GET_NSTYPE says CLONE_NEWNET).
fn is_netns(fd: &OwnedFd) -> bool {
    use std::os::fd::AsRawFd;
    // NS_GET_NSTYPE is _IO(0xb7, 0x3).
    const NS_GET_NSTYPE: libc::c_ulong = 0xb703;
    // SAFETY: an ioctl without argument on an fd we own; the answer is only compared.
    let kind = unsafe { libc::ioctl(fd.as_raw_fd(), NS_GET_NSTYPE as _) };
    kind == libc::CLONE_NEWNET
}

/// What one namespace's socket answered.
struct Seen {
    links: Vec<Link>,
    addresses: Vec<Address>,
    sock: RouteSocket,
}

/// Reads every namespace's links and addresses and joins them: veth ends across namespaces
/// (IFLA_LINK in the namespace IFLA_LINK_NETNSID names, found by asking each namespace the
/// nsid it gave each other one), ports to bridges (IFLA_MASTER). A namespace held only by a
/// process that cannot be entered is left out.
pub fn discover(handles: &[NsHandle]) -> Result<Topology> {
    let mut seen = read_all(handles)?;
    let nsids = peer_namespaces(handles, &mut seen);
    let mut topo = Topology::default();
    for (i, h) in handles.iter().enumerate() {
        let Some(s) = &seen[i] else { continue };
        let name_of = |index: u32| s.links.iter().find(|l| l.index == index).map(|l| &l.name);
        let links = s
            .links
            .iter()
            .map(|l| Device {
                name: l.name.clone(),
                ifindex: l.index,
                kind: l.kind.clone(),
                loopback: l.is_loopback(),
                up: l.is_up(),
                operstate: l.operstate.clone(),
                master: l.master.filter(|&m| m != 0).and_then(name_of).cloned(),
                mac: l.mac.clone(),
                addresses: s
                    .addresses
                    .iter()
                    .filter(|a| a.index == l.index)
                    .cloned()
                    .collect(),
                peer: l.veth_peer().map(|p| {
                    let there = match p.nsid {
                        None => Some(i),
                        Some(id) => nsids.get(&i).and_then(|m| m.get(&id)).copied(),
                    };
                    peer_end(handles, &seen, there, p.ifindex)
                }),
            })
            .collect();
        topo.namespaces.push(NsView {
            name: h.name.clone(),
            inode: h.inode,
            links,
        });
    }
    Ok(topo)
}

/// Each namespace's links and addresses, and its socket for the questions that follow;
/// `None` for one held only by a process that cannot be entered.
fn read_all(handles: &[NsHandle]) -> Result<Vec<Option<Seen>>> {
    let mut seen = Vec::with_capacity(handles.len());
    for h in handles {
        let read = run_in(h.fd.as_fd(), RouteSocket::open)
            .and_then(|s| s)
            .and_then(|mut sock| {
                let links = link::list(&mut sock)?;
                let addresses = addr::list(&mut sock)?;
                Ok(Seen {
                    links,
                    addresses,
                    sock,
                })
            });
        match read {
            Ok(s) => seen.push(Some(s)),
            Err(_) if h.by_process => seen.push(None),
            Err(e) => return Err(e),
        }
    }
    Ok(seen)
}

/// Per namespace that has a veth into another: which namespace each of its veths' nsids
/// names, asked of the others in order until all are found (in a star of N namespaces,
/// about 2N questions rather than N²).
fn peer_namespaces(
    handles: &[NsHandle],
    seen: &mut [Option<Seen>],
) -> HashMap<usize, HashMap<i32, usize>> {
    let mut nsids: HashMap<usize, HashMap<i32, usize>> = HashMap::new();
    for (i, s) in seen.iter_mut().enumerate() {
        let Some(s) = s.as_mut() else { continue };
        let mut wanted: HashSet<i32> = s
            .links
            .iter()
            .filter_map(|l| l.veth_peer().and_then(|p| p.nsid))
            .collect();
        let map = nsids.entry(i).or_default();
        for (j, other) in handles.iter().enumerate() {
            if wanted.is_empty() {
                break;
            }
            if j != i {
                // A namespace that cannot be asked about (another user namespace's) names
                // no peer: its veths' ends stay unnamed rather than failing the whole picture.
                if let Ok(Some(id)) = nsid_of(&mut s.sock, other.fd.as_fd()) {
                    if wanted.remove(&id) {
                        map.insert(id, j);
                    }
                }
            }
        }
    }
    nsids
}

/// The other end of a veth: its ifindex, and its namespace and name when it is in a
/// namespace that was read (`there`).
fn peer_end(
    handles: &[NsHandle],
    seen: &[Option<Seen>],
    there: Option<usize>,
    ifindex: u32,
) -> PeerEnd {
    let there = there.filter(|&j| seen[j].is_some());
    PeerEnd {
        netns: there.map(|j| handles[j].name.clone()),
        name: there.and_then(|j| {
            seen[j].as_ref().and_then(|o| {
                o.links
                    .iter()
                    .find(|x| x.index == ifindex)
                    .map(|x| x.name.clone())
            })
        }),
        ifindex,
    }
}
