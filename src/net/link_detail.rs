//! What a link message says beyond the summary in [`Link`](super::link::Link): every
//! counter, the device's limits and queues, its alias and alternative names, and its kind's
//! parameters, as `ip -s -d link` reads them.

use netlink_packet_core::Nla;
use netlink_packet_route::link::{
    AfSpecInet6, AfSpecUnspec, BridgeId, InfoBridge, InfoBridgePort, InfoData, InfoMacVlan,
    InfoMacVtap, InfoPortData, InfoTun, InfoVxlan, LinkAttribute, LinkInfo, Prop,
};

/// The 64-bit interface counters (IFLA_STATS64), all of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// `rx_packets`, as the kernel names it.
    pub rx_packets: u64,
    /// `tx_packets`, as the kernel names it.
    pub tx_packets: u64,
    /// `rx_bytes`, as the kernel names it.
    pub rx_bytes: u64,
    /// `tx_bytes`, as the kernel names it.
    pub tx_bytes: u64,
    /// `rx_errors`, as the kernel names it.
    pub rx_errors: u64,
    /// `tx_errors`, as the kernel names it.
    pub tx_errors: u64,
    /// `rx_dropped`, as the kernel names it.
    pub rx_dropped: u64,
    /// `tx_dropped`, as the kernel names it.
    pub tx_dropped: u64,
    /// `multicast`, as the kernel names it.
    pub multicast: u64,
    /// `collisions`, as the kernel names it.
    pub collisions: u64,
    /// `rx_length_errors`, as the kernel names it.
    pub rx_length_errors: u64,
    /// `rx_over_errors`, as the kernel names it.
    pub rx_over_errors: u64,
    /// `rx_crc_errors`, as the kernel names it.
    pub rx_crc_errors: u64,
    /// `rx_frame_errors`, as the kernel names it.
    pub rx_frame_errors: u64,
    /// `rx_fifo_errors`, as the kernel names it.
    pub rx_fifo_errors: u64,
    /// `rx_missed_errors`, as the kernel names it.
    pub rx_missed_errors: u64,
    /// `tx_aborted_errors`, as the kernel names it.
    pub tx_aborted_errors: u64,
    /// `tx_carrier_errors`, as the kernel names it.
    pub tx_carrier_errors: u64,
    /// `tx_fifo_errors`, as the kernel names it.
    pub tx_fifo_errors: u64,
    /// `tx_heartbeat_errors`, as the kernel names it.
    pub tx_heartbeat_errors: u64,
    /// `tx_window_errors`, as the kernel names it.
    pub tx_window_errors: u64,
    /// `rx_compressed`, as the kernel names it.
    pub rx_compressed: u64,
    /// `tx_compressed`, as the kernel names it.
    pub tx_compressed: u64,
    /// `rx_nohandler`, as the kernel names it.
    pub rx_nohandler: u64,
}

/// A kind's own parameters (IFLA_INFO_DATA), for the kinds this module reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum KindData {
    /// No IFLA_INFO_DATA.
    #[default]
    Absent,
    /// A macvlan's or macvtap's: MACVLAN_MODE_* bits, MACVLAN_FLAG_* bits, broadcast queue.
    Macvlan {
        /// `mode`, as the kernel names it.
        mode: Option<u32>,
        /// `flags`, as the kernel names it.
        flags: Option<u16>,
        /// `bc_queue_len`, as the kernel names it.
        bc_queue_len: Option<u32>,
        /// `bc_queue_len_used`, as the kernel names it.
        bc_queue_len_used: Option<u32>,
        /// Source-mode MAC lists, and anything else not read here.
        more: bool,
    },
    /// A VXLAN's.
    Vxlan(Box<VxlanData>),
    /// A bridge's.
    Bridge(Box<BridgeData>),
    /// A tun or tap device's.
    Tun(TunData),
    /// Parameters of a kind this module does not read.
    Unread,
}

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

/// A bridge's parameters as the kernel reports them: numbers and timers (in hundredths of a
/// second) by their IFLA_BR_* names in lower case (`forward_delay`, `hello_timer`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BridgeData {
    /// Numeric parameters by name.
    pub nums: std::collections::HashMap<&'static str, u64>,
    /// The bridge's own id.
    pub bridge_id: Option<BridgeIdent>,
    /// The root bridge's id.
    pub root_id: Option<BridgeIdent>,
    /// The group address.
    pub group_addr: Option<[u8; 6]>,
    /// The group forwarding mask.
    pub group_fwd_mask: Option<u16>,
    /// IFLA_BR_MULTI_BOOLOPT: `no_linklocal_learn` and `mcast_vlan_snooping`, where the
    /// mask has them.
    pub no_ll_learn: Option<bool>,
    /// See `no_ll_learn`.
    pub mcast_vlan_snooping: Option<bool>,
    /// Parameters not read here are present (VLAN filtering's, a querier's state).
    pub more: bool,
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

/// A bridge id: the priority and the bridge's MAC address.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BridgeIdent {
    /// The priority.
    pub priority: u16,
    /// The MAC address.
    pub address: [u8; 6],
}

/// A bridge port's parameters as the kernel reports them. Timers in hundredths of a second.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BridgePortData {
    /// BR_STATE_*.
    pub state: Option<u8>,
    /// STP priority.
    pub priority: Option<u16>,
    /// STP path cost.
    pub cost: Option<u32>,
    /// Hairpin mode.
    pub hairpin: Option<bool>,
    /// BPDU guard.
    pub guard: Option<bool>,
    /// Root block (protect).
    pub root_block: Option<bool>,
    /// Multicast fast leave.
    pub fast_leave: Option<bool>,
    /// MAC learning.
    pub learning: Option<bool>,
    /// Unicast flooding.
    pub flood: Option<bool>,
    /// The STP port id.
    pub port_id: Option<u16>,
    /// The STP port number.
    pub port_no: Option<u16>,
    /// The designated port.
    pub designated_port: Option<u16>,
    /// The designated cost.
    pub designated_cost: Option<u16>,
    /// The designated bridge.
    pub bridge_id: Option<BridgeIdent>,
    /// The designated root.
    pub root_id: Option<BridgeIdent>,
    /// The hold timer.
    pub hold_timer: Option<u64>,
    /// The message age timer.
    pub message_age_timer: Option<u64>,
    /// The forward delay timer.
    pub forward_delay_timer: Option<u64>,
    /// Topology change acknowledged.
    pub topology_change_ack: Option<bool>,
    /// Configuration pending.
    pub config_pending: Option<bool>,
    /// Proxy ARP.
    pub proxy_arp: Option<bool>,
    /// Proxy ARP for Wi-Fi.
    pub proxy_arp_wifi: Option<bool>,
    /// MDB_RTR_TYPE_*.
    pub multicast_router: Option<u8>,
    /// Multicast flooding.
    pub mcast_flood: Option<bool>,
    /// Broadcast flooding.
    pub bcast_flood: Option<bool>,
    /// Multicast to unicast.
    pub mcast_to_unicast: Option<bool>,
    /// Neighbour suppression.
    pub neigh_suppress: Option<bool>,
    /// The group forwarding mask.
    pub group_fwd_mask: Option<u16>,
    /// VLAN tunnelling.
    pub vlan_tunnel: Option<bool>,
    /// Isolated.
    pub isolated: Option<bool>,
    /// Locked.
    pub locked: Option<bool>,
    /// A backup port or MRP state is set: not read here.
    pub more: bool,
}

/// The details of one link. `None` where the kernel did not send the attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkDetail {
    /// `counters`, as the kernel names it.
    pub counters: Option<Counters>,
    /// `carrier_changes`, as the kernel names it.
    pub carrier_changes: Option<u32>,
    /// IF_LINK_MODE_*: 0 default, 1 dormant.
    pub link_mode: Option<u8>,
    /// `promiscuity`, as the kernel names it.
    pub promiscuity: Option<u32>,
    /// `allmulti`, as the kernel names it.
    pub allmulti: Option<u32>,
    /// `min_mtu`, as the kernel names it.
    pub min_mtu: Option<u32>,
    /// `max_mtu`, as the kernel names it.
    pub max_mtu: Option<u32>,
    /// IN6_ADDR_GEN_MODE_*, from IPv6's part of IFLA_AF_SPEC.
    pub addr_gen_mode: Option<u8>,
    /// `num_tx_queues`, as the kernel names it.
    pub num_tx_queues: Option<u32>,
    /// `num_rx_queues`, as the kernel names it.
    pub num_rx_queues: Option<u32>,
    /// `gso_max_size`, as the kernel names it.
    pub gso_max_size: Option<u32>,
    /// `gso_max_segs`, as the kernel names it.
    pub gso_max_segs: Option<u32>,
    /// `tso_max_size`, as the kernel names it.
    pub tso_max_size: Option<u32>,
    /// `tso_max_segs`, as the kernel names it.
    pub tso_max_segs: Option<u32>,
    /// `gro_max_size`, as the kernel names it.
    pub gro_max_size: Option<u32>,
    /// IFLA_IFALIAS.
    pub alias: Option<String>,
    /// IFLA_PROP_LIST's alternative names.
    pub altnames: Vec<String>,
    /// The kind's parameters.
    pub kind_data: KindData,
    /// IFLA_INFO_SLAVE_KIND: what the link is a port of ("bridge", "bond").
    pub port_kind: Option<String>,
    /// A bridge port's parameters (IFLA_INFO_SLAVE_DATA of a bridge port).
    pub bridge_port: Option<Box<BridgePortData>>,
    /// Attributes a physical device has (parent bus, port names, switch ids, VFs, XDP,
    /// protodown): not read here.
    pub unread: bool,
}

impl LinkDetail {
    /// The details among a link message's attributes.
    pub fn from_attrs(attrs: &[LinkAttribute]) -> LinkDetail {
        let mut d = LinkDetail::default();
        for attr in attrs {
            match attr {
                LinkAttribute::Stats64(s) => {
                    d.counters = Some(Counters {
                        rx_packets: s.rx_packets,
                        tx_packets: s.tx_packets,
                        rx_bytes: s.rx_bytes,
                        tx_bytes: s.tx_bytes,
                        rx_errors: s.rx_errors,
                        tx_errors: s.tx_errors,
                        rx_dropped: s.rx_dropped,
                        tx_dropped: s.tx_dropped,
                        multicast: s.multicast,
                        collisions: s.collisions,
                        rx_length_errors: s.rx_length_errors,
                        rx_over_errors: s.rx_over_errors,
                        rx_crc_errors: s.rx_crc_errors,
                        rx_frame_errors: s.rx_frame_errors,
                        rx_fifo_errors: s.rx_fifo_errors,
                        rx_missed_errors: s.rx_missed_errors,
                        tx_aborted_errors: s.tx_aborted_errors,
                        tx_carrier_errors: s.tx_carrier_errors,
                        tx_fifo_errors: s.tx_fifo_errors,
                        tx_heartbeat_errors: s.tx_heartbeat_errors,
                        tx_window_errors: s.tx_window_errors,
                        rx_compressed: s.rx_compressed,
                        tx_compressed: s.tx_compressed,
                        rx_nohandler: s.rx_nohandler,
                    })
                }
                LinkAttribute::CarrierChanges(n) => d.carrier_changes = Some(*n),
                LinkAttribute::Mode(m) => d.link_mode = Some(u8::from(*m)),
                LinkAttribute::Promiscuity(n) => d.promiscuity = Some(*n),
                LinkAttribute::AllMulticast(n) => d.allmulti = Some(*n),
                LinkAttribute::MinMtu(n) => d.min_mtu = Some(*n),
                LinkAttribute::MaxMtu(n) => d.max_mtu = Some(*n),
                LinkAttribute::NumTxQueues(n) => d.num_tx_queues = Some(*n),
                LinkAttribute::NumRxQueues(n) => d.num_rx_queues = Some(*n),
                LinkAttribute::GsoMaxSize(n) => d.gso_max_size = Some(*n),
                LinkAttribute::GsoMaxSegs(n) => d.gso_max_segs = Some(*n),
                LinkAttribute::TsoMaxSize(n) => d.tso_max_size = Some(*n),
                LinkAttribute::TsoMaxSegs(n) => d.tso_max_segs = Some(*n),
                LinkAttribute::GroMaxSize(n) => d.gro_max_size = Some(*n),
                LinkAttribute::IfAlias(a) => d.alias = Some(a.clone()),
                LinkAttribute::PropList(props) => {
                    d.altnames.extend(props.iter().filter_map(|p| match p {
                        Prop::AltIfName(n) => Some(n.clone()),
                        _ => None,
                    }))
                }
                LinkAttribute::AfSpecUnspec(specs) => {
                    for spec in specs {
                        if let AfSpecUnspec::Inet6(inet6) = spec {
                            for a in inet6 {
                                if let AfSpecInet6::AddrGenMode(m) = a {
                                    d.addr_gen_mode = Some(u8::from(m));
                                }
                            }
                        }
                    }
                }
                LinkAttribute::LinkInfo(infos) => {
                    for info in infos {
                        match info {
                            LinkInfo::Data(data) => d.kind_data = kind_data(data),
                            LinkInfo::PortKind(k) => d.port_kind = Some(k.to_string()),
                            LinkInfo::PortData(InfoPortData::BridgePort(items)) => {
                                d.bridge_port = Some(Box::new(bridge_port(items)))
                            }
                            _ => {}
                        }
                    }
                }
                LinkAttribute::PhysPortId(_)
                | LinkAttribute::PhysSwitchId(_)
                | LinkAttribute::PhysPortName(_)
                | LinkAttribute::ParentDevName(_)
                | LinkAttribute::ParentDevBusName(_)
                | LinkAttribute::VfInfoList(_)
                | LinkAttribute::ProtoDownReason(_) => d.unread = true,
                LinkAttribute::ProtoDown(on) if *on != 0 => d.unread = true,
                _ => {}
            }
        }
        d
    }
}

/// IFLA_TUN_*, which netlink-packet-route leaves raw.
fn tun_data(items: &[InfoTun]) -> TunData {
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

fn bridge_data(items: &[InfoBridge]) -> BridgeData {
    let mut b = BridgeData::default();
    for item in items {
        let (key, value): (&'static str, u64) = match item {
            InfoBridge::ForwardDelay(n) => ("forward_delay", (*n).into()),
            InfoBridge::HelloTime(n) => ("hello_time", (*n).into()),
            InfoBridge::MaxAge(n) => ("max_age", (*n).into()),
            InfoBridge::AgeingTime(n) => ("ageing_time", (*n).into()),
            InfoBridge::StpState(s) => ("stp_state", u32::from(*s).into()),
            InfoBridge::Priority(n) => ("priority", (*n).into()),
            InfoBridge::VlanFiltering(on) => ("vlan_filtering", (*on).into()),
            InfoBridge::RootPort(n) => ("root_port", (*n).into()),
            InfoBridge::RootPathCost(n) => ("root_path_cost", (*n).into()),
            InfoBridge::TopologyChange(n) => ("topology_change", (*n).into()),
            InfoBridge::TopologyChangeDetected(n) => ("topology_change_detected", (*n).into()),
            InfoBridge::HelloTimer(t) => ("hello_timer", *t),
            InfoBridge::TcnTimer(t) => ("tcn_timer", *t),
            InfoBridge::TopologyChangeTimer(t) => ("topology_change_timer", *t),
            InfoBridge::GcTimer(t) => ("gc_timer", *t),
            InfoBridge::MulticastSnooping(on) => ("mcast_snooping", (*on).into()),
            InfoBridge::MulticastRouter(t) => ("mcast_router", u8::from(*t).into()),
            InfoBridge::MulticastQueryUseIfaddr(on) => ("mcast_query_use_ifaddr", (*on).into()),
            InfoBridge::MulticastQuerier(on) => ("mcast_querier", (*on).into()),
            InfoBridge::MulticastHashElasticity(n) => ("mcast_hash_elasticity", (*n).into()),
            InfoBridge::MulticastHashMax(n) => ("mcast_hash_max", (*n).into()),
            InfoBridge::MulticastLastMemberCount(n) => ("mcast_last_member_cnt", (*n).into()),
            InfoBridge::MulticastStartupQueryCount(n) => ("mcast_startup_query_cnt", (*n).into()),
            InfoBridge::MulticastLastMemberInterval(t) => ("mcast_last_member_intvl", *t),
            InfoBridge::MulticastMembershipInterval(t) => ("mcast_membership_intvl", *t),
            InfoBridge::MulticastQuerierInterval(t) => ("mcast_querier_intvl", *t),
            InfoBridge::MulticastQueryInterval(t) => ("mcast_query_intvl", *t),
            InfoBridge::MulticastQueryResponseInterval(t) => ("mcast_query_response_intvl", *t),
            InfoBridge::MulticastStartupQueryInterval(t) => ("mcast_startup_query_intvl", *t),
            InfoBridge::MulticastStatsEnabled(on) => ("mcast_stats_enabled", (*on).into()),
            InfoBridge::MulticastIgmpVersion(n) => ("mcast_igmp_version", (*n).into()),
            InfoBridge::MulticastMldVersion(n) => ("mcast_mld_version", (*n).into()),
            InfoBridge::NfCallIpTables(on) => ("nf_call_iptables", (*on).into()),
            InfoBridge::NfCallIp6Tables(on) => ("nf_call_ip6tables", (*on).into()),
            InfoBridge::NfCallArpTables(on) => ("nf_call_arptables", (*on).into()),
            InfoBridge::BridgeId(id) => {
                b.bridge_id = Some(bridge_ident(id));
                continue;
            }
            InfoBridge::RootId(id) => {
                b.root_id = Some(bridge_ident(id));
                continue;
            }
            InfoBridge::GroupAddr(a) => {
                b.group_addr = Some(*a);
                continue;
            }
            InfoBridge::GroupFwdMask(m) => {
                b.group_fwd_mask = Some(*m);
                continue;
            }
            InfoBridge::MultiBoolOpt(o) => {
                let (value, mask) = (o.value.bits(), o.mask.bits());
                // BR_BOOLOPT_NO_LL_LEARN is bit 0, BR_BOOLOPT_MCAST_VLAN_SNOOPING bit 1.
                b.no_ll_learn = (mask & 1 != 0).then_some(value & 1 != 0);
                b.mcast_vlan_snooping = (mask & 2 != 0).then_some(value & 2 != 0);
                continue;
            }
            InfoBridge::MulticastQuerierState(s) => {
                b.more |= !s.is_empty();
                continue;
            }
            InfoBridge::VlanProtocol(_)
            | InfoBridge::VlanDefaultPvid(_)
            | InfoBridge::VlanStatsEnabled(_)
            | InfoBridge::VlanStatsPerPort(_) => {
                b.more = true;
                continue;
            }
            // Newer than iproute2 6.1, which does not print them.
            _ => continue,
        };
        b.nums.insert(key, value);
    }
    b
}

fn bridge_ident(id: &BridgeId) -> BridgeIdent {
    BridgeIdent {
        priority: id.priority,
        address: id.address,
    }
}

fn bridge_port(items: &[InfoBridgePort]) -> BridgePortData {
    let mut b = BridgePortData::default();
    for item in items {
        match item {
            InfoBridgePort::State(s) => b.state = Some(u8::from(*s)),
            InfoBridgePort::Priority(n) => b.priority = Some(*n),
            InfoBridgePort::Cost(n) => b.cost = Some(*n),
            InfoBridgePort::HairpinMode(on) => b.hairpin = Some(*on),
            InfoBridgePort::Guard(on) => b.guard = Some(*on),
            InfoBridgePort::Protect(on) => b.root_block = Some(*on),
            InfoBridgePort::FastLeave(on) => b.fast_leave = Some(*on),
            InfoBridgePort::Learning(on) => b.learning = Some(*on),
            InfoBridgePort::UnicastFlood(on) => b.flood = Some(*on),
            InfoBridgePort::PortId(n) => b.port_id = Some(*n),
            InfoBridgePort::PortNumber(n) => b.port_no = Some(*n),
            InfoBridgePort::DesignatedPort(n) => b.designated_port = Some(*n),
            InfoBridgePort::DesignatedCost(n) => b.designated_cost = Some(*n),
            InfoBridgePort::BridgeId(id) => b.bridge_id = Some(bridge_ident(id)),
            InfoBridgePort::RootId(id) => b.root_id = Some(bridge_ident(id)),
            InfoBridgePort::HoldTimer(t) => b.hold_timer = Some(*t),
            InfoBridgePort::MessageAgeTimer(t) => b.message_age_timer = Some(*t),
            InfoBridgePort::ForwardDelayTimer(t) => b.forward_delay_timer = Some(*t),
            InfoBridgePort::TopologyChangeAck(on) => b.topology_change_ack = Some(*on),
            InfoBridgePort::ConfigPending(on) => b.config_pending = Some(*on),
            InfoBridgePort::ProxyARP(on) => b.proxy_arp = Some(*on),
            InfoBridgePort::ProxyARPWifi(on) => b.proxy_arp_wifi = Some(*on),
            InfoBridgePort::MulticastRouter(t) => b.multicast_router = Some(u8::from(*t)),
            InfoBridgePort::MulticastFlood(on) => b.mcast_flood = Some(*on),
            InfoBridgePort::BroadcastFlood(on) => b.bcast_flood = Some(*on),
            InfoBridgePort::MulticastToUnicast(on) => b.mcast_to_unicast = Some(*on),
            InfoBridgePort::NeighSupress(on) => b.neigh_suppress = Some(*on),
            InfoBridgePort::GroupFwdMask(n) => b.group_fwd_mask = Some(*n),
            InfoBridgePort::VlanTunnel(on) => b.vlan_tunnel = Some(*on),
            InfoBridgePort::Isolated(on) => b.isolated = Some(*on),
            InfoBridgePort::Locked(on) => b.locked = Some(*on),
            InfoBridgePort::BackupPort(_) => b.more = true,
            InfoBridgePort::MrpRingOpen(on) | InfoBridgePort::MrpInOpen(on) => b.more |= *on,
            // Newer than iproute2 6.1, which does not print them.
            _ => {}
        }
    }
    b
}

fn vxlan_data(items: &[InfoVxlan]) -> VxlanData {
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

fn kind_data(data: &InfoData) -> KindData {
    let mut m = MacvlanData::default();
    match data {
        InfoData::Vxlan(items) => return KindData::Vxlan(Box::new(vxlan_data(items))),
        InfoData::Bridge(items) => return KindData::Bridge(Box::new(bridge_data(items))),
        InfoData::Tun(items) => return KindData::Tun(tun_data(items)),
        InfoData::MacVlan(items) => {
            for item in items {
                match item {
                    InfoMacVlan::Mode(v) => m.mode = Some(u32::from(*v)),
                    InfoMacVlan::Flags(f) => m.flags = Some(f.bits()),
                    InfoMacVlan::BcQueueLen(n) => m.bc = Some(*n),
                    InfoMacVlan::BcQueueLenUsed(n) => m.used = Some(*n),
                    _ => m.more = true,
                }
            }
        }
        InfoData::MacVtap(items) => {
            for item in items {
                match item {
                    InfoMacVtap::Mode(v) => m.mode = Some(u32::from(*v)),
                    InfoMacVtap::Flags(f) => m.flags = Some(f.bits()),
                    InfoMacVtap::BcQueueLen(n) => m.bc = Some(*n),
                    InfoMacVtap::BcQueueLenUsed(n) => m.used = Some(*n),
                    _ => m.more = true,
                }
            }
        }
        _ => return KindData::Unread,
    }
    KindData::Macvlan {
        mode: m.mode,
        flags: m.flags,
        bc_queue_len: m.bc,
        bc_queue_len_used: m.used,
        more: m.more,
    }
}

#[derive(Default)]
struct MacvlanData {
    /// `mode`, as the kernel names it.
    mode: Option<u32>,
    /// `flags`, as the kernel names it.
    flags: Option<u16>,
    bc: Option<u32>,
    used: Option<u32>,
    more: bool,
}
