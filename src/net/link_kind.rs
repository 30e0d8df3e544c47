//! What kind of link to create, and its IFLA_LINKINFO: the kind and its parameters.

use std::os::fd::{AsRawFd, BorrowedFd};

use netlink_packet_route::link::{
    InfoBridge, InfoData, InfoKind, InfoMacVlan, InfoMacVtap, InfoVeth, InfoVlan, InfoVxlan,
    LinkAttribute, LinkInfo, LinkMessage, MacVlanMode, VlanProtocol,
};

use super::error::Result;
use super::link::message;
use super::names::{self, NameKind};

/// How a macvlan talks to its siblings on the same parent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MacvlanMode {
    /// No traffic between siblings.
    Private,
    /// Sibling traffic goes out to the switch and back.
    Vepa,
    /// Siblings talk directly, like ports of a bridge (iproute2's default is vepa; ours is this).
    #[default]
    Bridge,
    /// One macvlan takes over the parent.
    Passthru,
    /// Only frames from listed source MACs.
    Source,
}

/// What to create.
#[derive(Clone, Copy, Debug)]
pub enum LinkKind<'a> {
    /// A veth pair. `peer_ns` creates the peer directly inside another namespace
    /// (IFLA_NET_NS_FD on the peer message), 40 times cheaper than moving it afterwards.
    Veth {
        /// The peer's name.
        peer: &'a str,
        /// The namespace to create the peer in; `None` for the same namespace.
        peer_ns: Option<BorrowedFd<'a>>,
    },
    /// A bridge.
    Bridge,
    /// A bridge with iproute2's options (`stp_state 1`, `vlan_filtering 1`, ...).
    BridgeWith(&'a [BridgeOpt]),
    /// A dummy device (needs the dummy module).
    Dummy,
    /// An intermediate functional block device.
    Ifb,
    /// A macvlan on top of `parent`.
    Macvlan {
        /// The parent's ifindex.
        parent: u32,
        /// How siblings on the parent see each other.
        mode: MacvlanMode,
        /// A macvtap: the same, with a tap character device.
        tap: bool,
    },
    /// An 802.1Q (or 802.1ad) VLAN on top of `parent`.
    Vlan {
        /// The parent's ifindex.
        parent: u32,
        /// The VLAN id, 0-4094.
        id: u16,
        /// 802.1ad (QinQ's outer tag) rather than 802.1Q.
        ad: bool,
    },
    /// A VXLAN tunnel endpoint.
    Vxlan {
        /// The VNI.
        id: u32,
        /// The underlay device's ifindex.
        parent: Option<u32>,
        /// The UDP destination port (host byte order).
        port: Option<u16>,
        /// iproute2's other options (`local`, `remote`, `ttl`, `nolearning`, ...).
        more: &'a [VxlanOpt],
    },
    /// Any other kind by its IFLA_INFO_KIND name, without parameters.
    Other(&'a str),
}

/// A bridge option as iproute2 names it; times in hundredths of a second, as iproute2 passes
/// them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BridgeOpt {
    /// `stp_state`: 0 off, 1 kernel STP.
    StpState(u32),
    /// `forward_delay`.
    ForwardDelay(u32),
    /// `hello_time`.
    HelloTime(u32),
    /// `max_age`.
    MaxAge(u32),
    /// `ageing_time`.
    AgeingTime(u32),
    /// `priority`.
    Priority(u16),
    /// `vlan_filtering 0|1`.
    VlanFiltering(bool),
    /// `vlan_default_pvid`.
    VlanDefaultPvid(u16),
    /// `mcast_snooping 0|1`.
    McastSnooping(bool),
    /// `mcast_querier 0|1`.
    McastQuerier(bool),
}

/// A VXLAN option as iproute2 names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VxlanOpt {
    /// `local ADDR`: the source address.
    Local(std::net::IpAddr),
    /// `remote ADDR` or `group ADDR`: the unicast peer or the multicast group.
    Remote(std::net::IpAddr),
    /// `ttl N` (`auto` is 0).
    Ttl(u8),
    /// `ttl inherit`.
    TtlInherit,
    /// `tos N` (`inherit` is 1).
    Tos(u8),
    /// `learning` / `nolearning`.
    Learning(bool),
    /// `proxy`.
    Proxy,
    /// `udpcsum` / `noudpcsum`.
    UdpCsum(bool),
    /// `external` / `noexternal`: the tunnel's metadata comes from the packet (collect metadata).
    External(bool),
    /// `srcport MIN MAX`: the UDP source ports.
    PortRange(u16, u16),
}

impl VxlanOpt {
    fn info(self) -> InfoVxlan {
        use std::net::IpAddr;
        match self {
            VxlanOpt::Local(IpAddr::V4(a)) => InfoVxlan::Local(a),
            VxlanOpt::Local(IpAddr::V6(a)) => InfoVxlan::Local6(a),
            VxlanOpt::Remote(IpAddr::V4(a)) => InfoVxlan::Group(a),
            VxlanOpt::Remote(IpAddr::V6(a)) => InfoVxlan::Group6(a),
            VxlanOpt::Ttl(t) => InfoVxlan::Ttl(t),
            // NLA_FLAG: present, without a payload.
            VxlanOpt::TtlInherit => InfoVxlan::TtlInheritFlag,
            VxlanOpt::Tos(t) => InfoVxlan::Tos(t),
            VxlanOpt::Learning(on) => InfoVxlan::Learning(on),
            VxlanOpt::Proxy => InfoVxlan::Proxy(true),
            VxlanOpt::UdpCsum(on) => InfoVxlan::UDPCsum(on),
            VxlanOpt::External(on) => InfoVxlan::CollectMetadata(on),
            VxlanOpt::PortRange(low, high) => InfoVxlan::PortRange((low, high)),
        }
    }
}

impl BridgeOpt {
    pub(super) fn info(self) -> InfoBridge {
        match self {
            BridgeOpt::StpState(s) => InfoBridge::StpState(s.into()),
            BridgeOpt::ForwardDelay(t) => InfoBridge::ForwardDelay(t),
            BridgeOpt::HelloTime(t) => InfoBridge::HelloTime(t),
            BridgeOpt::MaxAge(t) => InfoBridge::MaxAge(t),
            BridgeOpt::AgeingTime(t) => InfoBridge::AgeingTime(t),
            BridgeOpt::Priority(p) => InfoBridge::Priority(p),
            BridgeOpt::VlanFiltering(on) => InfoBridge::VlanFiltering(on),
            BridgeOpt::VlanDefaultPvid(p) => InfoBridge::VlanDefaultPvid(p),
            BridgeOpt::McastSnooping(on) => InfoBridge::MulticastSnooping(on),
            BridgeOpt::McastQuerier(on) => InfoBridge::MulticastQuerier(on),
        }
    }
}

/// The IFLA_LINKINFO that makes `kind`; attributes of the link itself (its parent) go to `msg`.
pub(super) fn info(msg: &mut LinkMessage, kind: &LinkKind) -> Result<Vec<LinkInfo>> {
    let mut info = Vec::new();
    match *kind {
        // No peer name: the kernel names the peer (vethN), as with iproute2.
        LinkKind::Veth { peer: "", .. } => info.push(LinkInfo::Kind(InfoKind::Veth)),
        LinkKind::Veth { peer, peer_ns } => {
            info.push(LinkInfo::Kind(InfoKind::Veth));
            info.push(LinkInfo::Data(InfoData::Veth(InfoVeth::Peer(
                peer_message(peer, peer_ns)?,
            ))));
        }
        LinkKind::Bridge => info.push(LinkInfo::Kind(InfoKind::Bridge)),
        LinkKind::BridgeWith(opts) => {
            info.push(LinkInfo::Kind(InfoKind::Bridge));
            let data = opts.iter().map(|o| o.info()).collect();
            info.push(LinkInfo::Data(InfoData::Bridge(data)));
        }
        LinkKind::Dummy => info.push(LinkInfo::Kind(InfoKind::Dummy)),
        LinkKind::Ifb => info.push(LinkInfo::Kind(InfoKind::Ifb)),
        LinkKind::Vlan { parent, id, ad } => {
            msg.attributes.push(LinkAttribute::Link(parent));
            let protocol = match ad {
                true => VlanProtocol::Ieee8021Ad,
                false => VlanProtocol::Ieee8021Q,
            };
            info.push(LinkInfo::Kind(InfoKind::Vlan));
            info.push(LinkInfo::Data(InfoData::Vlan(vec![
                InfoVlan::Id(id),
                InfoVlan::Protocol(protocol),
            ])));
        }
        LinkKind::Macvlan { parent, mode, tap } => {
            msg.attributes.push(LinkAttribute::Link(parent));
            macvlan_info(&mut info, mode, tap);
        }
        LinkKind::Vxlan {
            id,
            parent,
            port,
            more,
        } => {
            let mut data = vec![InfoVxlan::Id(id)];
            data.extend(parent.map(InfoVxlan::Link));
            data.extend(port.map(InfoVxlan::Port));
            data.extend(more.iter().map(|o| o.info()));
            info.push(LinkInfo::Kind(InfoKind::Vxlan));
            info.push(LinkInfo::Data(InfoData::Vxlan(data)));
        }
        LinkKind::Other(kind) => info.push(LinkInfo::Kind(InfoKind::from(kind))),
    }
    Ok(info)
}

/// The veth peer's own link message: its name, and the namespace to make it in.
fn peer_message(peer: &str, peer_ns: Option<BorrowedFd>) -> Result<LinkMessage> {
    names::check(NameKind::Interface, peer)?;
    let mut peer_msg = message(0);
    peer_msg
        .attributes
        .push(LinkAttribute::IfName(peer.to_owned()));
    if let Some(fd) = peer_ns {
        // The borrow keeps the fd open until the kernel has answered.
        peer_msg
            .attributes
            .push(LinkAttribute::NetNsFd(fd.as_raw_fd()));
    }
    Ok(peer_msg)
}

fn macvlan_info(info: &mut Vec<LinkInfo>, mode: MacvlanMode, tap: bool) {
    let mode = match mode {
        MacvlanMode::Private => MacVlanMode::Private,
        MacvlanMode::Vepa => MacVlanMode::Vepa,
        MacvlanMode::Bridge => MacVlanMode::Bridge,
        MacvlanMode::Passthru => MacVlanMode::Passthrough,
        MacvlanMode::Source => MacVlanMode::Source,
    };
    if tap {
        info.push(LinkInfo::Kind(InfoKind::MacVtap));
        info.push(LinkInfo::Data(InfoData::MacVtap(vec![InfoMacVtap::Mode(
            mode,
        )])));
    } else {
        info.push(LinkInfo::Kind(InfoKind::MacVlan));
        info.push(LinkInfo::Data(InfoData::MacVlan(vec![InfoMacVlan::Mode(
            mode,
        )])));
    }
}
