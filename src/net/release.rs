//! Devices the kernel is still destroying. A namespace's teardown is asynchronous: after its
//! last holder lets go, the kernel unregisters its devices a little later, and with each veth
//! the peer that lives in another namespace. Until then the peer's name is taken there, and
//! making it again fails with "File exists". This module tells such a device apart (its peer's
//! namespace is dying) and waits, bounded, until it is gone.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use netlink_packet_route::link::LinkMessage;
use netlink_packet_route::nsid::{NsidAttribute, NsidMessage};
use netlink_packet_route::RouteNetlinkMessage;
use nix::errno::Errno;

use super::error::{NetError, Result};
use super::link::Link;
use super::netlink::RouteSocket;

/// How long to wait for the kernel to destroy a dying device (or, for many, for the next of
/// them): it takes milliseconds, and about 3 s in all for the veths of 1000 namespaces.
pub const RELEASE_TIMEOUT: Duration = Duration::from_secs(5);
/// Between two looks at a dying device.
pub const POLL: Duration = Duration::from_millis(5);

/// The link with ifindex `index` in the socket's namespace, or `None` if there is none.
pub fn link_by_index(sock: &mut RouteSocket, index: u32) -> Result<Option<Link>> {
    let mut msg = LinkMessage::default();
    msg.header.index = index;
    match sock.get(RouteNetlinkMessage::GetLink(msg)) {
        Ok(RouteNetlinkMessage::NewLink(msg)) => Ok(Some(Link::from_message(msg))),
        Ok(_) => Err(NetError::Malformed {
            what: "RTM_GETLINK answered with another message".into(),
        }),
        Err(e) if e.errno() == Some(Errno::ENODEV) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether `link` (a link of the socket's namespace) is being destroyed: its peer lives in
/// another namespace, and that namespace is dying. The kernel reports a dying peer
/// namespace's nsid as -1 (it assigns none to a namespace nobody holds), or, before it
/// unhashes the nsid, refuses to look it up (ENOENT).
pub fn is_dying(sock: &mut RouteSocket, link: &Link) -> Result<bool> {
    let (Some(_), Some(nsid)) = (link.link, link.link_netnsid) else {
        return Ok(false);
    };
    if nsid < 0 {
        return Ok(true);
    }
    let mut msg = NsidMessage::default();
    msg.attributes.push(NsidAttribute::Id(nsid));
    match sock.get(RouteNetlinkMessage::GetNsId(msg)) {
        Ok(_) => Ok(false),
        Err(e) if e.errno() == Some(Errno::ENOENT) => Ok(true),
        Err(e) => Err(e),
    }
}

/// Whether the link with ifindex `index` in the socket's namespace is still there and being
/// destroyed ([`is_dying`]).
pub fn still_dying(sock: &mut RouteSocket, index: u32) -> Result<bool> {
    match link_by_index(sock, index)? {
        None => Ok(false),
        Some(link) => is_dying(sock, &link),
    }
}

/// Waits until no dying device has ifindex `index` in the socket's namespace, or until
/// `deadline`. Returns whether it is gone (or alive after all: then it is not being
/// destroyed, and waiting longer would not help).
pub fn await_gone(sock: &mut RouteSocket, index: u32, deadline: Instant) -> Result<bool> {
    while still_dying(sock, index)? {
        if Instant::now() >= deadline {
            return Ok(false);
        }
        std::thread::sleep(POLL);
    }
    Ok(true)
}

/// If the device called `name` in the socket's namespace is being destroyed, waits (until
/// [`RELEASE_TIMEOUT`]) until it is gone; returns whether it was and is gone now, so that
/// making it again may succeed.
pub fn await_name_free(sock: &mut RouteSocket, name: &str) -> Result<bool> {
    let Some(link) = super::link::get(sock, name)? else {
        return Ok(false);
    };
    if !is_dying(sock, &link)? {
        return Ok(false);
    }
    await_gone(sock, link.index, Instant::now() + RELEASE_TIMEOUT)
}

/// A live namespace by its nsfs file (st_dev, st_ino): enough while it lives, unlike a
/// journal's [`super::NsId`], which must stay unique after it dies.
pub type NsInode = (u64, u64);

/// Which of the namespaces `wanted` something still holds after their /run/netns mount is
/// gone: a process inside it (as `ip netns pids` finds them) or another mount of it (seen in
/// /proc/self/mountinfo as `net:[INODE]`). Such a namespace does not die, nor its devices.
/// An fd some other process keeps open is not seen.
pub fn held(wanted: &HashSet<NsInode>) -> HashSet<NsInode> {
    let mut found = HashSet::new();
    if let Ok(mountinfo) = std::fs::read_to_string("/proc/self/mountinfo") {
        for line in mountinfo.lines() {
            let mut fields = line.split(' ').skip(2);
            let (Some(dev), Some(root)) = (fields.next(), fields.next()) else {
                continue;
            };
            let ino = root
                .strip_prefix("net:[")
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|i| i.parse::<u64>().ok());
            let dev = dev.split_once(':').and_then(|(major, minor)| {
                Some(nix::sys::stat::makedev(
                    major.parse().ok()?,
                    minor.parse().ok()?,
                ))
            });
            if let (Some(ino), Some(dev)) = (ino, dev) {
                if wanted.contains(&(dev, ino)) {
                    found.insert((dev, ino));
                }
            }
        }
    }
    let Ok(proc) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in proc.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        // A process that exits meanwhile, or one we may not inspect, is skipped.
        if let Ok(st) = nix::sys::stat::stat(&entry.path().join("ns/net")) {
            if wanted.contains(&(st.st_dev, st.st_ino)) {
                found.insert((st.st_dev, st.st_ino));
            }
        }
    }
    found
}
