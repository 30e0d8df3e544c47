//! Devices the kernel is still destroying. A namespace's teardown is asynchronous: after its
//! last holder lets go, the kernel unregisters its devices a little later, and with each veth
//! the peer that lives in another namespace. Until then the peer's name is taken there, and
//! making it again fails with "File exists". This module tells such a device apart (its peer's
//! namespace is dying) and waits, bounded, until it is gone.

use std::time::{Duration, Instant};

use netlink_packet_route::link::LinkMessage;
use netlink_packet_route::nsid::{NsidAttribute, NsidMessage};
use netlink_packet_route::RouteNetlinkMessage;
use nix::errno::Errno;

use super::error::{NetError, Result};
use super::link::Link;
use super::netlink::RouteSocket;

/// How long to wait for the kernel to destroy a dying namespace's devices.
pub const RELEASE_TIMEOUT: Duration = Duration::from_secs(5);
/// Between two looks at a dying device.
const POLL: Duration = Duration::from_millis(5);

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

/// Waits until no dying device has ifindex `index` in the socket's namespace, or until
/// `deadline`. Returns whether it is gone (or alive after all: then it is not being
/// destroyed, and waiting longer would not help).
pub fn await_gone(sock: &mut RouteSocket, index: u32, deadline: Instant) -> Result<bool> {
    loop {
        match link_by_index(sock, index)? {
            None => return Ok(true),
            Some(link) if !is_dying(sock, &link)? => return Ok(true),
            Some(_) if Instant::now() >= deadline => return Ok(false),
            Some(_) => std::thread::sleep(POLL),
        }
    }
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
