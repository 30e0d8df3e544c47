//! Network interfaces: list, look up, create, change and delete links over RTM_*LINK.

use std::os::fd::{AsRawFd, BorrowedFd};

use netlink_packet_core::{NLM_F_CREATE, NLM_F_EXCL};
use netlink_packet_route::link::{LinkAttribute, LinkFlags, LinkInfo, LinkMessage, State};
use netlink_packet_route::RouteNetlinkMessage;
use nix::errno::Errno;

use super::error::{NetError, Result};
use super::link_kind;
pub use super::link_kind::{BridgeOpt, LinkKind, MacvlanMode, VxlanOpt};
use super::names::{self, NameKind};
use super::netlink::RouteSocket;
use super::netns::Ns;
use super::release;

/// A network interface as the kernel describes it (RTM_NEWLINK).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The ifindex, unique within its namespace.
    pub index: u32,
    /// The interface name.
    pub name: String,
    /// IFF_* bits (IFF_UP, IFF_LOWER_UP, ...).
    pub flags: u32,
    /// The MTU in bytes.
    pub mtu: u32,
    /// The link kind from IFLA_INFO_KIND ("veth", "bridge", ...); `None` for plain devices.
    pub kind: Option<String>,
    /// The ifindex of the bridge (or other controller) this link is a port of.
    pub master: Option<u32>,
    /// IFLA_LINK: for a veth, the peer's ifindex in the peer's namespace.
    pub link: Option<u32>,
    /// The nsid (as seen from this link's namespace) of the namespace `link` lives in.
    pub link_netnsid: Option<i32>,
    /// The hardware address.
    pub mac: Option<Vec<u8>>,
    /// The hardware broadcast address.
    pub broadcast: Option<Vec<u8>>,
    /// The ARPHRD_* link type (1 = Ethernet, 772 = loopback).
    pub link_type: u16,
    /// The operational state as `ip` prints it: "UP", "DOWN", "UNKNOWN", "LOWERLAYERDOWN", ...
    pub operstate: String,
    /// The queueing discipline ("noqueue", "noop", ...).
    pub qdisc: Option<String>,
    /// The transmit queue length.
    pub txqlen: u32,
    /// The device group.
    pub group: u32,
    /// The alias (`ip link set DEV alias TEXT`), if it has one.
    pub alias: Option<String>,
    /// Alternative names (`ip link property add ... altname NAME`), in the kernel's order.
    pub altnames: Vec<String>,
    /// Everything else `ip -s -d link` shows.
    pub detail: Box<super::link_detail::LinkDetail>,
}

/// Where the other end of a veth is, as the veth's own link message says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerRef {
    /// The peer's ifindex, in the peer's namespace (IFLA_LINK).
    pub ifindex: u32,
    /// The nsid this link's namespace gave the peer's namespace (IFLA_LINK_NETNSID); `None`
    /// when the peer is in the same namespace.
    pub nsid: Option<i32>,
}

impl Link {
    /// Whether the administrative IFF_UP flag is set.
    pub fn is_up(&self) -> bool {
        self.flags & libc::IFF_UP as u32 != 0
    }

    /// Whether this is the loopback device (ARPHRD_LOOPBACK).
    pub fn is_loopback(&self) -> bool {
        self.link_type == 772
    }

    /// The other end, if this is a veth that has one (IFLA_LINK 0 means none).
    pub fn veth_peer(&self) -> Option<PeerRef> {
        match (self.kind.as_deref(), self.link) {
            (Some("veth"), Some(ifindex)) if ifindex != 0 => Some(PeerRef {
                ifindex,
                nsid: self.link_netnsid,
            }),
            _ => None,
        }
    }

    pub(crate) fn from_message(msg: LinkMessage) -> Link {
        let mut link = Link {
            index: msg.header.index,
            name: String::new(),
            flags: msg.header.flags.bits(),
            mtu: 0,
            kind: None,
            master: None,
            link: None,
            link_netnsid: None,
            mac: None,
            broadcast: None,
            link_type: msg.header.link_layer_type.into(),
            operstate: "UNKNOWN".into(),
            qdisc: None,
            txqlen: 0,
            group: 0,
            alias: None,
            altnames: Vec::new(),
            detail: Box::new(super::link_detail::LinkDetail::from_attrs(&msg.attributes)),
        };
        for attr in msg.attributes {
            match attr {
                LinkAttribute::IfName(name) => link.name = name,
                LinkAttribute::Mtu(mtu) => link.mtu = mtu,
                LinkAttribute::Controller(master) => link.master = Some(master),
                LinkAttribute::Link(index) => link.link = Some(index),
                LinkAttribute::LinkNetNsId(id) => link.link_netnsid = Some(id),
                LinkAttribute::Address(mac) => link.mac = Some(mac),
                LinkAttribute::Broadcast(brd) => link.broadcast = Some(brd),
                LinkAttribute::OperState(state) => link.operstate = operstate_name(state),
                LinkAttribute::Qdisc(qdisc) => link.qdisc = Some(qdisc),
                LinkAttribute::TxQueueLen(len) => link.txqlen = len,
                LinkAttribute::Group(group) => link.group = group,
                LinkAttribute::IfAlias(alias) if !alias.is_empty() => link.alias = Some(alias),
                LinkAttribute::PropList(props) => {
                    link.altnames = super::link_more::altnames_of(props);
                }
                LinkAttribute::LinkInfo(infos) => {
                    for info in infos {
                        if let LinkInfo::Kind(kind) = info {
                            link.kind = Some(kind.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
        link
    }
}

/// The names iproute2 prints for IF_OPER_* states.
fn operstate_name(state: State) -> String {
    match state {
        State::Unknown => "UNKNOWN".into(),
        State::NotPresent => "NOTPRESENT".into(),
        State::Down => "DOWN".into(),
        State::LowerLayerDown => "LOWERLAYERDOWN".into(),
        State::Testing => "TESTING".into(),
        State::Dormant => "DORMANT".into(),
        State::Up => "UP".into(),
        State::Other(n) => format!("state {n}"),
        _ => "UNKNOWN".into(),
    }
}

/// Which namespace to move a link to.
#[derive(Clone, Copy, Debug)]
pub enum NsTarget<'a> {
    /// The namespace behind this fd (IFLA_NET_NS_FD).
    Fd(BorrowedFd<'a>),
    /// The namespace of this process (IFLA_NET_NS_PID).
    Pid(u32),
}

fn check_ifname(name: &str) -> Result<()> {
    names::check(NameKind::Interface, name)
}

/// A link message addressed to `index`, to be filled in.
pub(super) fn message(index: u32) -> LinkMessage {
    let mut msg = LinkMessage::default();
    msg.header.index = index;
    msg
}

/// Every link of the socket's namespace.
pub fn list(sock: &mut RouteSocket) -> Result<Vec<Link>> {
    let answers = sock.dump(RouteNetlinkMessage::GetLink(message(0)))?;
    Ok(answers
        .into_iter()
        .filter_map(|answer| match answer {
            RouteNetlinkMessage::NewLink(msg) => Some(Link::from_message(msg)),
            _ => None,
        })
        .collect())
}

/// The link called `name`, or `None` if there is none.
pub fn get(sock: &mut RouteSocket, name: &str) -> Result<Option<Link>> {
    check_ifname(name)?;
    let mut msg = message(0);
    msg.attributes.push(LinkAttribute::IfName(name.to_owned()));
    match sock.get(RouteNetlinkMessage::GetLink(msg)) {
        Ok(RouteNetlinkMessage::NewLink(msg)) => Ok(Some(Link::from_message(msg))),
        Ok(_) => Err(NetError::Malformed {
            what: "RTM_GETLINK answered with another message".into(),
        }),
        Err(e) if e.errno() == Some(Errno::ENODEV) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The link with ifindex `index`, or `None` if there is none.
pub fn get_index(sock: &mut RouteSocket, index: u32) -> Result<Option<Link>> {
    match sock.get(RouteNetlinkMessage::GetLink(message(index))) {
        Ok(RouteNetlinkMessage::NewLink(msg)) => Ok(Some(Link::from_message(msg))),
        Ok(_) => Err(NetError::Malformed {
            what: "RTM_GETLINK answered with another message".into(),
        }),
        Err(e) if e.errno() == Some(Errno::ENODEV) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The link called `name`, or [`NetError::NoDevice`] naming `ns` (the socket's namespace).
pub fn require(sock: &mut RouteSocket, name: &str, ns: &Ns) -> Result<Link> {
    get(sock, name)?.ok_or_else(|| NetError::NoDevice {
        name: name.to_owned(),
        ns: ns.clone(),
    })
}

/// Create link `name` of `kind`; an existing name is a [`NetError::Kernel`] with EEXIST, a
/// kind the kernel lacks one with EOPNOTSUPP and "Unknown device type". A name (or veth peer
/// name) still held by a device the kernel is destroying is waited for, then tried again.
pub fn add(sock: &mut RouteSocket, name: &str, kind: &LinkKind) -> Result<()> {
    add_born(sock, name, kind, &Born::default())
}

/// What a new device gets in the request that makes it: the kernel takes a hardware address
/// there even from kinds that refuse to change it later (ifb), as `ip link add NAME address
/// MAC type ...` sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Born {
    /// IFLA_ADDRESS: the hardware address.
    pub address: Option<Vec<u8>>,
    /// IFLA_BROADCAST: the hardware broadcast address.
    pub broadcast: Option<Vec<u8>>,
}

/// [`add`], with what the device gets at birth.
pub fn add_born(sock: &mut RouteSocket, name: &str, kind: &LinkKind, born: &Born) -> Result<()> {
    match add_once(sock, name, kind, born) {
        // A failed look is no reason to hide the kernel's own answer.
        Err(e)
            if e.errno() == Some(Errno::EEXIST)
                && name_freed(sock, name, kind).unwrap_or(false) =>
        {
            add_once(sock, name, kind, born)
        }
        done => done,
    }
}

/// Whether the name `add` found taken (the link's, or its veth peer's) belonged to a device
/// being destroyed, and is free now.
fn name_freed(sock: &mut RouteSocket, name: &str, kind: &LinkKind) -> Result<bool> {
    if release::await_name_free(sock, name)? {
        return Ok(true);
    }
    match *kind {
        LinkKind::Veth {
            peer,
            peer_ns: None,
        } => release::await_name_free(sock, peer),
        LinkKind::Veth {
            peer,
            peer_ns: Some(fd),
        } => {
            let mut there = super::netns::run_in(fd, RouteSocket::open)??;
            release::await_name_free(&mut there, peer)
        }
        _ => Ok(false),
    }
}

fn add_once(sock: &mut RouteSocket, name: &str, kind: &LinkKind, born: &Born) -> Result<()> {
    check_ifname(name)?;
    let mut msg = message(0);
    msg.attributes.push(LinkAttribute::IfName(name.to_owned()));
    if let Some(mac) = &born.address {
        msg.attributes.push(LinkAttribute::Address(mac.clone()));
    }
    if let Some(brd) = &born.broadcast {
        msg.attributes.push(LinkAttribute::Broadcast(brd.clone()));
    }
    let info = link_kind::info(&mut msg, kind)?;
    msg.attributes.push(LinkAttribute::LinkInfo(info));
    // NLM_F_CREATE|NLM_F_EXCL: create, and fail with EEXIST rather than change an existing link.
    sock.request(RouteNetlinkMessage::NewLink(msg), NLM_F_CREATE | NLM_F_EXCL)
}

/// Change one link with an RTM_NEWLINK without create flags, as `ip link set` does.
pub(super) fn set(sock: &mut RouteSocket, msg: LinkMessage) -> Result<()> {
    sock.request(RouteNetlinkMessage::NewLink(msg), 0)
}

/// What `ip link set DEV ...` changes in one request: state, master, MTU.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkChange {
    /// Up (true) or down (false): IFF_UP alone, the other flags are left as they are.
    pub up: Option<bool>,
    /// The bridge to become a port of; 0 releases the link (nomaster).
    pub master: Option<u32>,
    /// The MTU, in bytes.
    pub mtu: Option<u32>,
}

/// Make `change` to link `index` with one RTM_NEWLINK, as `ip link set DEV master BR up`
/// does: the kernel sets the MTU and master before the state, and stops at the first refusal.
pub fn change(sock: &mut RouteSocket, index: u32, change: LinkChange) -> Result<()> {
    set(sock, change_message(index, change))
}

/// The request of [`change`], for callers that add attributes to it.
pub(super) fn change_message(index: u32, change: LinkChange) -> LinkMessage {
    let mut msg = message(index);
    if let Some(up) = change.up {
        msg.header.flags = if up {
            LinkFlags::Up
        } else {
            LinkFlags::empty()
        };
        msg.header.change_mask = LinkFlags::Up;
    }
    if let Some(mtu) = change.mtu {
        msg.attributes.push(LinkAttribute::Mtu(mtu));
    }
    if let Some(master) = change.master {
        msg.attributes.push(LinkAttribute::Controller(master));
    }
    msg
}

/// Bring link `index` up or down.
pub fn set_up(sock: &mut RouteSocket, index: u32, up: bool) -> Result<()> {
    let up = Some(up);
    change(
        sock,
        index,
        LinkChange {
            up,
            ..LinkChange::default()
        },
    )
}

/// Move link `index` to another namespace; it arrives down, without addresses or master.
pub fn set_netns(sock: &mut RouteSocket, index: u32, to: NsTarget) -> Result<()> {
    let mut msg = message(index);
    msg.attributes.push(match to {
        NsTarget::Fd(fd) => LinkAttribute::NetNsFd(fd.as_raw_fd()),
        NsTarget::Pid(pid) => LinkAttribute::NetNsPid(pid),
    });
    set(sock, msg)
}

/// Rename link `index` (the kernel refuses with EBUSY while it is up).
pub fn rename(sock: &mut RouteSocket, index: u32, name: &str) -> Result<()> {
    check_ifname(name)?;
    let mut msg = message(index);
    msg.attributes.push(LinkAttribute::IfName(name.to_owned()));
    set(sock, msg)
}

/// Delete link `index` (for a veth, both ends).
pub fn del(sock: &mut RouteSocket, index: u32) -> Result<()> {
    sock.request(RouteNetlinkMessage::DelLink(message(index)), 0)
}
