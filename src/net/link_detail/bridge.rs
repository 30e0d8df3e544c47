//! A bridge's and a bridge port's parameters (IFLA_BR_*, IFLA_BRPORT_*).

use netlink_packet_route::link::{BridgeId, InfoBridge, InfoBridgePort};

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

pub(super) fn bridge_data(items: &[InfoBridge]) -> BridgeData {
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

pub(super) fn bridge_port(items: &[InfoBridgePort]) -> BridgePortData {
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
