//! Routes over RTM_*ROUTE: list, add (and replace, change, append), delete, IPv4 and IPv6.

use std::net::IpAddr;

use netlink_packet_core::{NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use netlink_packet_route::route::{
    RouteAddress, RouteAttribute, RouteFlags, RouteHeader, RouteMessage, RouteMetric,
    RoutePreference, RouteProtocol, RouteScope, RouteType,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

use super::addr::Prefix;
use super::error::Result;
use super::netlink::RouteSocket;
pub use super::nexthop::NextHop;

/// RT_TABLE_MAIN: the table `ip route` shows and changes.
pub const TABLE_MAIN: u32 = 254;
/// RTPROT_BOOT: what iproute2 marks routes added by hand with.
const RTPROT_BOOT: u8 = 3;
/// RT_SCOPE_LINK: a destination reached directly on the link, without a gateway.
const RT_SCOPE_LINK: u8 = 253;
/// RT_SCOPE_NOWHERE: in a delete request, "any scope".
const RT_SCOPE_NOWHERE: u8 = 255;
/// RTN_UNICAST: an ordinary route.
const RTN_UNICAST: u8 = 1;
/// RTN_LOCAL: an address of this host.
const RTN_LOCAL: u8 = 2;
/// RT_SCOPE_HOST: this host only.
const RT_SCOPE_HOST: u8 = 254;
/// RTM_F_CLONED: a cache entry, not a route of the table.
const RTM_F_CLONED: u32 = 0x200;
/// RTNH_F_ONLINK in a route's flags.
const RTNH_F_ONLINK: u32 = 0x4;

/// The address family of a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// IPv4 (AF_INET).
    V4,
    /// IPv6 (AF_INET6).
    V6,
}

impl Family {
    /// The family of an address.
    pub fn of(addr: &IpAddr) -> Family {
        match addr {
            IpAddr::V4(_) => Family::V4,
            IpAddr::V6(_) => Family::V6,
        }
    }

    fn netlink(self) -> AddressFamily {
        match self {
            Family::V4 => AddressFamily::Inet,
            Family::V6 => AddressFamily::Inet6,
        }
    }

    /// The length of a host prefix: 32 or 128.
    pub fn host_len(self) -> u8 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }
}

/// A route as the kernel reports it (RTM_NEWROUTE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// IPv4 or IPv6.
    pub family: Family,
    /// The destination network; `None` with `dst_len` 0 is the default route.
    pub dst: Option<IpAddr>,
    /// The destination prefix length.
    pub dst_len: u8,
    /// The next hop (RTA_GATEWAY).
    pub gateway: Option<IpAddr>,
    /// The output device's ifindex (RTA_OIF).
    pub oif: Option<u32>,
    /// The preferred source address (RTA_PREFSRC).
    pub prefsrc: Option<IpAddr>,
    /// The metric (RTA_PRIORITY).
    pub metric: Option<u32>,
    /// The routing table (RTA_TABLE, or the header's byte).
    pub table: u32,
    /// RTPROT_*: who added it (2 kernel, 3 boot, 4 static, ...).
    pub protocol: u8,
    /// RT_SCOPE_*: 0 universe, 253 link, 254 host, ...
    pub scope: u8,
    /// RTN_*: 1 unicast, 2 local, 3 broadcast, ...
    pub kind: u8,
    /// RTNH_F_* and RTM_F_* bits (linkdown, onlink, cloned, ...).
    pub flags: u32,
    /// The IPv6 router preference (RTA_PREF): 0 medium, 1 high, 3 low.
    pub pref: Option<u8>,
    /// The path MTU of the route (RTAX_MTU).
    pub mtu: Option<u32>,
    /// The hops of a multipath route (RTA_MULTIPATH).
    pub nexthops: Vec<NextHop>,
}

impl Route {
    pub(super) fn from_message(msg: RouteMessage) -> Option<Route> {
        let family = match msg.header.address_family {
            AddressFamily::Inet => Family::V4,
            AddressFamily::Inet6 => Family::V6,
            _ => return None,
        };
        let mut route = Route {
            family,
            dst: None,
            dst_len: msg.header.destination_prefix_length,
            gateway: None,
            oif: None,
            prefsrc: None,
            metric: None,
            table: u32::from(msg.header.table),
            protocol: msg.header.protocol.into(),
            scope: msg.header.scope.into(),
            kind: msg.header.kind.into(),
            flags: msg.header.flags.bits(),
            pref: None,
            mtu: None,
            nexthops: vec![],
        };
        for attr in msg.attributes {
            match attr {
                RouteAttribute::Destination(a) => route.dst = ip(a),
                RouteAttribute::Gateway(a) => route.gateway = ip(a),
                RouteAttribute::PrefSource(a) => route.prefsrc = ip(a),
                RouteAttribute::Oif(i) => route.oif = Some(i),
                RouteAttribute::Priority(m) => route.metric = Some(m),
                RouteAttribute::Table(t) => route.table = t,
                RouteAttribute::Preference(p) => route.pref = Some(p.into()),
                RouteAttribute::Metrics(m) => {
                    route.mtu = m.iter().find_map(|m| match m {
                        RouteMetric::Mtu(v) => Some(*v),
                        _ => None,
                    })
                }
                RouteAttribute::MultiPath(hops) => {
                    route.nexthops = hops.iter().map(NextHop::from_netlink).collect()
                }
                _ => {}
            }
        }
        Some(route)
    }

    /// Whether this is a cache entry rather than a route of its table.
    pub fn is_cloned(&self) -> bool {
        self.flags & RTM_F_CLONED != 0
    }
}

pub(super) fn ip(a: RouteAddress) -> Option<IpAddr> {
    match a {
        RouteAddress::Inet(v4) => Some(IpAddr::V4(v4)),
        RouteAddress::Inet6(v6) => Some(IpAddr::V6(v6)),
        _ => None,
    }
}

pub(super) fn address(a: IpAddr) -> RouteAddress {
    match a {
        IpAddr::V4(v4) => RouteAddress::Inet(v4),
        IpAddr::V6(v6) => RouteAddress::Inet6(v6),
    }
}

/// What to add or delete: the fields of `ip route add|del`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteSpec {
    /// IPv4 or IPv6.
    pub family: Family,
    /// The destination; `None` is the default route.
    pub dst: Option<Prefix>,
    /// `via ADDR`.
    pub gateway: Option<IpAddr>,
    /// `dev DEV`, as an ifindex.
    pub oif: Option<u32>,
    /// `src ADDR`.
    pub prefsrc: Option<IpAddr>,
    /// `metric N`.
    pub metric: Option<u32>,
    /// `table`, `proto`, `scope`, the route type, `onlink` and `mtu`.
    pub extra: RouteExtra,
    /// `nexthop ...`: the hops of a multipath route, in place of a gateway and device.
    pub nexthops: Vec<NextHop>,
}

/// The less common fields of `ip route add|del`; each unset one is iproute2's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteExtra {
    /// RT_TABLE_*: main unless given.
    pub table: Option<u32>,
    /// RTPROT_*: boot unless given.
    pub protocol: Option<u8>,
    /// RT_SCOPE_*: as iproute2 picks it from the type and gateway unless given.
    pub scope: Option<u8>,
    /// RTN_*: unicast unless given (blackhole, unreachable, prohibit, local, throw).
    pub kind: Option<u8>,
    /// RTNH_F_ONLINK: the gateway is on the link even if no address says so.
    pub onlink: bool,
    /// `mtu N`: the path MTU (RTAX_MTU).
    pub mtu: Option<u32>,
}

/// What `ip route add` and its kin do with a route already there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// `add`: refuse it (EEXIST).
    #[default]
    Add,
    /// `replace`: replace it, or add one.
    Replace,
    /// `change`: replace it; ENOENT-like refusal if there is none.
    Change,
    /// `append`: add another after it.
    Append,
    /// `prepend`: add another before it.
    Prepend,
}

impl Mode {
    /// The NLM_F_* flags iproute2 sends for the verb.
    fn flags(self) -> u16 {
        match self {
            // Create, never touch one that is there.
            Mode::Add => NLM_F_CREATE | NLM_F_EXCL,
            // Create, or replace the first that matches.
            Mode::Replace => NLM_F_CREATE | NLM_F_REPLACE,
            // Replace only: the route must exist.
            Mode::Change => NLM_F_REPLACE,
            // Create after the others of the same destination.
            Mode::Append => NLM_F_CREATE | NLM_F_APPEND,
            // Create before them.
            Mode::Prepend => NLM_F_CREATE,
        }
    }
}

/// The request iproute2 builds for `ip route add` (`add` true) or `ip route del`.
fn message(spec: &RouteSpec, add: bool) -> RouteMessage {
    let mut msg = RouteMessage::default();
    msg.header.address_family = spec.family.netlink();
    msg.header.table = RouteHeader::RT_TABLE_MAIN;
    let x = spec.extra;
    if let Some(table) = x.table {
        // Tables past 255 only fit the attribute.
        msg.header.table = u8::try_from(table).unwrap_or(RouteHeader::RT_TABLE_UNSPEC);
        msg.attributes.push(RouteAttribute::Table(table));
    }
    if add {
        msg.header.protocol = RouteProtocol::from(x.protocol.unwrap_or(RTPROT_BOOT));
        let kind = x.kind.unwrap_or(RTN_UNICAST);
        msg.header.kind = RouteType::from(kind);
        // As iproute2 decides: host scope for local routes, link scope for a unicast route
        // without a gateway, universe otherwise.
        msg.header.scope = RouteScope::from(x.scope.unwrap_or(match kind {
            RTN_LOCAL => RT_SCOPE_HOST,
            RTN_UNICAST
                if spec.gateway.is_none() && spec.nexthops.iter().all(|h| h.gateway.is_none()) =>
            {
                RT_SCOPE_LINK
            }
            _ => 0,
        }));
    } else {
        // Protocol and type unspecified, scope nowhere: match the route whatever they are.
        msg.header.scope = RouteScope::from(x.scope.unwrap_or(RT_SCOPE_NOWHERE));
        if let Some(p) = x.protocol {
            msg.header.protocol = RouteProtocol::from(p);
        }
        if let Some(k) = x.kind {
            msg.header.kind = RouteType::from(k);
        }
    }
    if x.onlink {
        msg.header.flags |= RouteFlags::Onlink;
    }
    if let Some(dst) = spec.dst {
        msg.header.destination_prefix_length = dst.len;
        msg.attributes
            .push(RouteAttribute::Destination(address(dst.addr)));
    }
    if let Some(gw) = spec.gateway {
        msg.attributes.push(RouteAttribute::Gateway(address(gw)));
    }
    if let Some(oif) = spec.oif {
        msg.attributes.push(RouteAttribute::Oif(oif));
    }
    if let Some(src) = spec.prefsrc {
        msg.attributes
            .push(RouteAttribute::PrefSource(address(src)));
    }
    if let Some(metric) = spec.metric {
        msg.attributes.push(RouteAttribute::Priority(metric));
    }
    if let Some(mtu) = x.mtu {
        msg.attributes
            .push(RouteAttribute::Metrics(vec![RouteMetric::Mtu(mtu)]));
    }
    if !spec.nexthops.is_empty() {
        msg.attributes.push(RouteAttribute::MultiPath(
            spec.nexthops.iter().map(|h| h.to_netlink()).collect(),
        ));
    }
    msg
}

/// Every route of `family` in the socket's namespace, all tables, cache entries included.
pub fn list(sock: &mut RouteSocket, family: Family) -> Result<Vec<Route>> {
    let mut msg = RouteMessage::default();
    msg.header.address_family = family.netlink();
    let answers = sock.dump(RouteNetlinkMessage::GetRoute(msg))?;
    Ok(answers
        .into_iter()
        .filter_map(|answer| match answer {
            RouteNetlinkMessage::NewRoute(msg) => Route::from_message(msg),
            _ => None,
        })
        .collect())
}

/// Add a route to the main table; an existing one is a [`super::NetError::Kernel`] with
/// EEXIST, an unreachable gateway one with ENETUNREACH and the kernel's explanation.
pub fn add(sock: &mut RouteSocket, spec: &RouteSpec) -> Result<()> {
    set(sock, spec, Mode::Add)
}

/// `ip route add|replace|change|append|prepend`: the route, and what to do with one there.
pub fn set(sock: &mut RouteSocket, spec: &RouteSpec, mode: Mode) -> Result<()> {
    sock.request(
        RouteNetlinkMessage::NewRoute(message(spec, true)),
        mode.flags(),
    )
}

/// Add `r` back as it was listed (table, protocol, scope, type, gateway, device, source,
/// metric, preference). For undo: a route a run deleted, or lost with an address or a move.
pub fn restore(sock: &mut RouteSocket, r: &Route) -> Result<()> {
    // NLM_F_CREATE|NLM_F_EXCL: a route already there (EEXIST) is not replaced.
    sock.request(
        RouteNetlinkMessage::NewRoute(listed(r)),
        NLM_F_CREATE | NLM_F_EXCL,
    )
}

/// Delete `r` as it was listed, as `ip route flush` sends a dumped route back.
pub fn remove(sock: &mut RouteSocket, r: &Route) -> Result<()> {
    sock.request(RouteNetlinkMessage::DelRoute(listed(r)), 0)
}

/// The message of a listed route, every field as the kernel gave it.
fn listed(r: &Route) -> RouteMessage {
    let mut msg = RouteMessage::default();
    msg.header.address_family = r.family.netlink();
    msg.header.destination_prefix_length = r.dst_len;
    msg.header.protocol = RouteProtocol::from(r.protocol);
    msg.header.scope = RouteScope::from(r.scope);
    msg.header.kind = RouteType::from(r.kind);
    // Only the flags one asks for (onlink); the kernel's own (linkdown, offload) it refuses.
    msg.header.flags = RouteFlags::from_bits_retain(r.flags & RTNH_F_ONLINK);
    // Tables past 255 only fit the attribute.
    msg.header.table = u8::try_from(r.table).unwrap_or(RouteHeader::RT_TABLE_UNSPEC);
    msg.attributes.push(RouteAttribute::Table(r.table));
    if let Some(dst) = r.dst {
        msg.attributes
            .push(RouteAttribute::Destination(address(dst)));
    }
    if let Some(gw) = r.gateway {
        msg.attributes.push(RouteAttribute::Gateway(address(gw)));
    }
    if let Some(oif) = r.oif {
        msg.attributes.push(RouteAttribute::Oif(oif));
    }
    if let Some(src) = r.prefsrc {
        msg.attributes
            .push(RouteAttribute::PrefSource(address(src)));
    }
    if let Some(metric) = r.metric {
        msg.attributes.push(RouteAttribute::Priority(metric));
    }
    if let Some(p) = r.pref {
        msg.attributes
            .push(RouteAttribute::Preference(RoutePreference::from(p)));
    }
    if let Some(mtu) = r.mtu {
        msg.attributes
            .push(RouteAttribute::Metrics(vec![RouteMetric::Mtu(mtu)]));
    }
    if !r.nexthops.is_empty() {
        msg.attributes.push(RouteAttribute::MultiPath(
            r.nexthops
                .iter()
                .map(|h| {
                    NextHop {
                        // The kernel's own hop flags (linkdown, dead) are not asked for.
                        flags: h.flags & super::nexthop::RTNH_F_ONLINK,
                        ..*h
                    }
                    .to_netlink()
                })
                .collect(),
        ));
    }
    msg
}

/// Whether `r` is one a person or a program put there, which undo must give back if a run
/// took it away: not the kernel's own (made with an address, a link-local, the local table),
/// nor a cache entry.
pub fn is_configured(r: &Route) -> bool {
    const RTPROT_KERNEL: u8 = 2;
    const RT_TABLE_LOCAL: u32 = 255;
    r.protocol != RTPROT_KERNEL && r.table != RT_TABLE_LOCAL && !r.is_cloned()
}

/// Delete the first route of the main table that matches `spec` (ESRCH if none does).
pub fn del(sock: &mut RouteSocket, spec: &RouteSpec) -> Result<()> {
    sock.request(RouteNetlinkMessage::DelRoute(message(spec, false)), 0)
}

/// iproute2's names for RTPROT_* values.
pub fn protocol_name(p: u8) -> String {
    match p {
        0 => "unspec".into(),
        1 => "redirect".into(),
        2 => "kernel".into(),
        3 => "boot".into(),
        4 => "static".into(),
        8 => "gated".into(),
        9 => "ra".into(),
        10 => "mrt".into(),
        11 => "zebra".into(),
        12 => "bird".into(),
        13 => "dnrouted".into(),
        14 => "xorp".into(),
        15 => "ntk".into(),
        16 => "dhcp".into(),
        18 => "keepalived".into(),
        42 => "babel".into(),
        186 => "bgp".into(),
        187 => "isis".into(),
        188 => "ospf".into(),
        189 => "rip".into(),
        192 => "eigrp".into(),
        n => n.to_string(),
    }
}

/// iproute2's names for RT_SCOPE_* values.
pub fn scope_name(s: u8) -> String {
    match s {
        0 => "global".into(),
        200 => "site".into(),
        253 => "link".into(),
        254 => "host".into(),
        255 => "nowhere".into(),
        n => n.to_string(),
    }
}

/// iproute2's names for RTN_* values.
pub fn type_name(t: u8) -> String {
    match t {
        0 => "none".into(),
        1 => "unicast".into(),
        2 => "local".into(),
        3 => "broadcast".into(),
        4 => "anycast".into(),
        5 => "multicast".into(),
        6 => "blackhole".into(),
        7 => "unreachable".into(),
        8 => "prohibit".into(),
        9 => "throw".into(),
        10 => "nat".into(),
        11 => "xresolve".into(),
        n => n.to_string(),
    }
}

/// iproute2's words for RTNH_F_* / RTM_F_* flags, in the order it prints them.
pub const FLAG_NAMES: &[(u32, &str)] = &[
    (0x1, "dead"),
    (0x4, "onlink"),
    (0x2, "pervasive"),
    (0x8, "offload"),
    (0x100, "notify"),
    (0x10, "linkdown"),
    (0x20, "unresolved"),
    (0x4000, "rt_offload"),
    (0x8000, "rt_trap"),
    (0x2000_0000, "rt_offload_failed"),
];

/// iproute2's names for IPv6 router preferences.
pub fn pref_name(p: u8) -> String {
    match p {
        0 => "medium".into(),
        1 => "high".into(),
        3 => "low".into(),
        n => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_and_del_requests_as_iproute2_builds_them() {
        let spec = RouteSpec {
            family: Family::V4,
            dst: "10.9.0.0/16".parse().ok(),
            gateway: None,
            oif: Some(4),
            prefsrc: None,
            metric: Some(7),
            extra: RouteExtra::default(),
            nexthops: vec![],
        };
        let add = message(&spec, true);
        assert_eq!(u8::from(add.header.scope), RT_SCOPE_LINK);
        assert_eq!(u8::from(add.header.protocol), RTPROT_BOOT);
        assert_eq!(add.header.destination_prefix_length, 16);
        assert!(add.attributes.contains(&RouteAttribute::Priority(7)));
        let del = message(&spec, false);
        assert_eq!(u8::from(del.header.scope), RT_SCOPE_NOWHERE);
        assert_eq!(u8::from(del.header.protocol), 0);
        let via = RouteSpec {
            gateway: "10.1.1.1".parse().ok(),
            ..spec
        };
        assert_eq!(message(&via, true).header.scope, RouteScope::Universe);
    }
}
