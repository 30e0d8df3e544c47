//! A VXLAN's and a tun/tap device's parameters (IFLA_VXLAN_*, IFLA_TUN_*).

use netlink_packet_core::Nla;
use netlink_packet_route::link::{InfoTun, InfoVxlan};

/// A tun or tap device's parameters (IFLA_TUN_*).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TunData {
    /// The owner's user name, when the passwd database has one.
    pub owner_name: Option<String>,
    /// The group's name, when the group database has one.
    pub group_name: Option<String>,
    /// The owner's uid, if one is set.
    pub owner: Option<u32>,
    /// The group's gid, if one is set.
    pub group: Option<u32>,
    /// IFF_TUN (1) or IFF_TAP (2).
    pub kind: Option<u8>,
    /// Packet information header.
    pub pi: Option<bool>,
    /// Virtio net header.
    pub vnet_hdr: Option<bool>,
    /// Persistent.
    pub persist: Option<bool>,
    /// Several queues.
    pub multi_queue: Option<bool>,
    /// The queues attached.
    pub num_queues: Option<u32>,
    /// The queues disabled.
    pub num_disabled_queues: Option<u32>,
}

/// A VXLAN's parameters as the kernel reports them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VxlanData {
    /// The VNI.
    pub id: Option<u32>,
    /// The remote or multicast group (IFLA_VXLAN_GROUP or GROUP6).
    pub group: Option<std::net::IpAddr>,
    /// The source address.
    pub local: Option<std::net::IpAddr>,
    /// The underlay device's ifindex.
    pub link: Option<u32>,
    /// The UDP source port range.
    pub port_range: Option<(u16, u16)>,
    /// The UDP destination port.
    pub port: Option<u16>,
    /// Whether the FDB learns from traffic.
    pub learning: Option<bool>,
    /// ARP/ND proxying.
    pub proxy: bool,
    /// The TOS (1: inherit).
    pub tos: Option<u8>,
    /// The TTL (0: auto).
    pub ttl: Option<u8>,
    /// `ttl inherit`.
    pub ttl_inherit: bool,
    /// VXLAN_DF_*: 0 unset, 1 set, 2 inherit.
    pub df: Option<u8>,
    /// The FDB ageing time in seconds.
    pub ageing: Option<u32>,
    /// UDP checksums over IPv4.
    pub udp_csum: Option<bool>,
    /// Zero UDP checksums over IPv6, sent.
    pub udp_zero_csum6_tx: Option<bool>,
    /// Zero UDP checksums over IPv6, accepted.
    pub udp_zero_csum6_rx: Option<bool>,
    /// `external`: metadata from the packet (collect_metadata).
    pub external: bool,
    /// Options not read here are on (`gbp`, a flow label, `maxaddr`, ...).
    pub more: bool,
}

/// IFLA_TUN_*, which netlink-packet-route leaves raw.
pub(super) fn tun_data(items: &[InfoTun]) -> TunData {
    let mut t = TunData::default();
    for item in items {
        let InfoTun::Other(nla) = item else { continue };
        let mut value = vec![0u8; nla.value_len()];
        nla.emit_value(&mut value);
        let byte = value.first().map(|b| *b != 0);
        let word = <[u8; 4]>::try_from(value.as_slice())
            .ok()
            .map(u32::from_ne_bytes);
        match nla.kind() {
            // An unset owner or group is (uid_t)-1: not sent at all.
            1 => t.owner = word.filter(|&u| u != u32::MAX),
            2 => t.group = word.filter(|&g| g != u32::MAX),
            3 => t.kind = value.first().copied(),
            4 => t.pi = byte,
            5 => t.vnet_hdr = byte,
            6 => t.persist = byte,
            7 => t.multi_queue = byte,
            8 => t.num_queues = word,
            9 => t.num_disabled_queues = word,
            _ => {}
        }
    }
    // Named as `ip` names them, from the passwd and group databases.
    t.owner_name = t
        .owner
        .and_then(|u| nix::unistd::User::from_uid(u.into()).ok().flatten())
        .map(|u| u.name);
    t.group_name = t
        .group
        .and_then(|g| nix::unistd::Group::from_gid(g.into()).ok().flatten())
        .map(|g| g.name);
    t
}

pub(super) fn vxlan_data(items: &[InfoVxlan]) -> VxlanData {
    use std::net::IpAddr;
    let mut v = VxlanData::default();
    for item in items {
        match item {
            InfoVxlan::Id(n) => v.id = Some(*n),
            InfoVxlan::Group(a) => v.group = Some(IpAddr::V4(*a)),
            InfoVxlan::Group6(a) => v.group = Some(IpAddr::V6(*a)),
            InfoVxlan::Local(a) => v.local = Some(IpAddr::V4(*a)),
            InfoVxlan::Local6(a) => v.local = Some(IpAddr::V6(*a)),
            InfoVxlan::Link(n) => v.link = Some(*n),
            InfoVxlan::PortRange(r) => v.port_range = Some(*r),
            InfoVxlan::Port(n) => v.port = Some(*n),
            InfoVxlan::Learning(on) => v.learning = Some(*on),
            InfoVxlan::Proxy(on) => v.proxy = *on,
            InfoVxlan::CollectMetadata(on) => v.external = *on,
            InfoVxlan::Tos(n) => v.tos = Some(*n),
            InfoVxlan::Ttl(n) => v.ttl = Some(*n),
            InfoVxlan::TtlInherit(n) => v.ttl_inherit = *n != 0,
            InfoVxlan::TtlInheritFlag => v.ttl_inherit = true,
            InfoVxlan::Df(df) => v.df = Some(u8::from(*df)),
            InfoVxlan::Ageing(n) => v.ageing = Some(*n),
            InfoVxlan::UDPCsum(on) => v.udp_csum = Some(*on),
            InfoVxlan::UDPZeroCsumTX(on) => v.udp_zero_csum6_tx = Some(*on),
            InfoVxlan::UDPZeroCsumRX(on) => v.udp_zero_csum6_rx = Some(*on),
            InfoVxlan::Label(n) | InfoVxlan::Limit(n) => v.more |= *n != 0,
            InfoVxlan::Rsc(on)
            | InfoVxlan::L2Miss(on)
            | InfoVxlan::L3Miss(on)
            | InfoVxlan::RemCsumTX(on)
            | InfoVxlan::RemCsumRX(on)
            | InfoVxlan::Vnifilter(on) => v.more |= *on,
            InfoVxlan::Gbp | InfoVxlan::Gpe => v.more = true,
            // Newer than iproute2 6.1, which does not print them.
            _ => {}
        }
    }
    v
}
