//! Neighbour entries (ARP for IPv4, NDISC for IPv6) of one namespace, over RTM_*NEIGH: list,
//! get, add/replace/change and delete, as `ip neigh` sends them.

use std::net::IpAddr;

use netlink_packet_core::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use netlink_packet_route::neighbour::{
    NeighbourAddress, NeighbourAttribute, NeighbourFlags, NeighbourMessage, NeighbourState,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

use super::error::Result;
use super::netlink::RouteSocket;

/// NUD_* bits of an entry's state, as the kernel numbers them.
pub mod nud {
    /// Being resolved.
    pub const INCOMPLETE: u16 = 0x01;
    /// Confirmed lately.
    pub const REACHABLE: u16 = 0x02;
    /// Not confirmed lately.
    pub const STALE: u16 = 0x04;
    /// Waiting to probe.
    pub const DELAY: u16 = 0x08;
    /// Probing.
    pub const PROBE: u16 = 0x10;
    /// Resolution failed.
    pub const FAILED: u16 = 0x20;
    /// No resolution needed.
    pub const NOARP: u16 = 0x40;
    /// Set by hand, never expires.
    pub const PERMANENT: u16 = 0x80;
}

/// NTF_PROXY: a proxy ARP/NDP entry (answered for, not resolved).
pub const NTF_PROXY: u8 = 0x08;
/// NTF_ROUTER: the neighbour is an IPv6 router.
pub const NTF_ROUTER: u8 = 0x80;
/// NTF_EXT_LEARNED: the entry was learned outside the kernel.
pub const NTF_EXT_LEARNED: u8 = 0x10;

/// A neighbour entry as the kernel reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Neighbour {
    /// The ifindex of its device (0 for a proxy entry without one).
    pub index: u32,
    /// The neighbour's address.
    pub dst: IpAddr,
    /// Its link-layer address, if known.
    pub lladdr: Option<Vec<u8>>,
    /// NUD_* bits.
    pub state: u16,
    /// NTF_* bits.
    pub flags: u8,
    /// References held on the entry (routes, sockets): 0 is "unused".
    pub refcnt: u32,
}

impl Neighbour {
    fn from_message(msg: NeighbourMessage) -> Option<Neighbour> {
        let mut out = Neighbour {
            index: msg.header.ifindex,
            dst: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
            lladdr: None,
            state: msg.header.state.into(),
            flags: msg.header.flags.bits(),
            refcnt: 0,
        };
        let mut dst = None;
        for attr in msg.attributes {
            match attr {
                NeighbourAttribute::Destination(NeighbourAddress::Inet(a)) => {
                    dst = Some(IpAddr::V4(a))
                }
                NeighbourAttribute::Destination(NeighbourAddress::Inet6(a)) => {
                    dst = Some(IpAddr::V6(a))
                }
                NeighbourAttribute::LinkLayerAddress(l) => out.lladdr = Some(l),
                NeighbourAttribute::CacheInfo(c) => out.refcnt = c.refcnt,
                _ => {}
            }
        }
        out.dst = dst?;
        Some(out)
    }

    /// Whether this is a proxy entry.
    pub fn is_proxy(&self) -> bool {
        self.flags & NTF_PROXY != 0
    }
}

/// How a new entry meets an existing one of the same address and device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `add`: fails if one exists.
    Add,
    /// `replace`: made or overwritten.
    Replace,
    /// `change`: overwritten; fails if none exists.
    Change,
}

/// What `ip neigh add|replace|change` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The device's ifindex.
    pub index: u32,
    /// The neighbour's address.
    pub dst: IpAddr,
    /// Its link-layer address; `None` sends none.
    pub lladdr: Option<Vec<u8>>,
    /// NUD_* bits; iproute2's default is PERMANENT.
    pub state: u16,
    /// NTF_* bits: ROUTER, PROXY.
    pub flags: u8,
}

fn family(a: &IpAddr) -> AddressFamily {
    match a {
        IpAddr::V4(_) => AddressFamily::Inet,
        IpAddr::V6(_) => AddressFamily::Inet6,
    }
}

fn message(index: u32, dst: IpAddr, flags: u8) -> NeighbourMessage {
    let mut msg = NeighbourMessage::default();
    msg.header.family = family(&dst);
    msg.header.ifindex = index;
    msg.header.flags = NeighbourFlags::from_bits_retain(flags);
    msg.attributes
        .push(NeighbourAttribute::Destination(dst.into()));
    msg
}

/// Every entry of both families in the socket's namespace; with `proxy`, the proxy entries
/// instead (the kernel keeps them apart).
pub fn list(sock: &mut RouteSocket, proxy: bool) -> Result<Vec<Neighbour>> {
    let mut msg = NeighbourMessage::default();
    if proxy {
        msg.header.flags = NeighbourFlags::Proxy;
    }
    let answers = sock.dump(RouteNetlinkMessage::GetNeighbour(msg))?;
    Ok(answers
        .into_iter()
        .filter_map(|answer| match answer {
            RouteNetlinkMessage::NewNeighbour(msg) => Neighbour::from_message(msg),
            _ => None,
        })
        .collect())
}

/// The entry for `dst` on device `index`, as `ip neigh get` asks for it; a missing one fails
/// with ENOENT.
pub fn get(sock: &mut RouteSocket, index: u32, dst: IpAddr) -> Result<Option<Neighbour>> {
    let answer = sock.get(RouteNetlinkMessage::GetNeighbour(message(index, dst, 0)))?;
    Ok(match answer {
        RouteNetlinkMessage::NewNeighbour(msg) => Neighbour::from_message(msg),
        _ => None,
    })
}

/// Add, replace or change an entry, as `ip neigh add|replace|change`.
pub fn set(sock: &mut RouteSocket, e: &Entry, mode: Mode) -> Result<()> {
    let mut msg = message(e.index, e.dst, e.flags);
    msg.header.state = NeighbourState::from(e.state);
    if let Some(ll) = &e.lladdr {
        msg.attributes
            .push(NeighbourAttribute::LinkLayerAddress(ll.clone()));
    }
    let flags = match mode {
        // NLM_F_CREATE|NLM_F_EXCL: a new entry, never an existing one overwritten.
        Mode::Add => NLM_F_CREATE | NLM_F_EXCL,
        // NLM_F_CREATE|NLM_F_REPLACE: made, or overwritten if it exists.
        Mode::Replace => NLM_F_CREATE | NLM_F_REPLACE,
        // NLM_F_REPLACE alone: only an existing entry is overwritten.
        Mode::Change => NLM_F_REPLACE,
    };
    sock.request(RouteNetlinkMessage::NewNeighbour(msg), flags)
}

/// Put back an entry as it was listed (for undo): made, or overwritten with its old values.
pub fn restore(sock: &mut RouteSocket, n: &Neighbour) -> Result<()> {
    let entry = Entry {
        index: n.index,
        dst: n.dst,
        lladdr: n.lladdr.clone(),
        state: n.state,
        flags: n.flags & (NTF_PROXY | NTF_ROUTER | NTF_EXT_LEARNED),
    };
    set(sock, &entry, Mode::Replace)
}

/// Delete the entry for `dst` on device `index` (a proxy entry with `proxy`); a missing one
/// fails with ENOENT.
pub fn del(sock: &mut RouteSocket, index: u32, dst: IpAddr, proxy: bool) -> Result<()> {
    let flags = if proxy { NTF_PROXY } else { 0 };
    sock.request(
        RouteNetlinkMessage::DelNeighbour(message(index, dst, flags)),
        0,
    )
}
