//! What a link message says beyond the summary in [`Link`](super::link::Link): every
//! counter, the device's limits and queues, its alias and alternative names, and its kind's
//! parameters, as `ip -s -d link` reads them.

use netlink_packet_route::link::{
    AfSpecInet6, AfSpecUnspec, InfoData, InfoMacVlan, InfoMacVtap, InfoPortData, LinkAttribute,
    LinkInfo, Stats64,
};

mod bridge;
mod tunnels;

use bridge::{bridge_data, bridge_port};
pub use bridge::{BridgeData, BridgeIdent, BridgePortData};
use tunnels::{tun_data, vxlan_data};
pub use tunnels::{TunData, VxlanData};

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
                LinkAttribute::Stats64(s) => d.counters = Some(counters(s)),
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
                LinkAttribute::AfSpecUnspec(specs) => {
                    if let Some(m) = addr_gen_mode(specs) {
                        d.addr_gen_mode = Some(m);
                    }
                }
                LinkAttribute::LinkInfo(infos) => d.link_info(infos),
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

    /// IFLA_LINKINFO: the kind's parameters, and the port kind and its own.
    fn link_info(&mut self, infos: &[LinkInfo]) {
        for info in infos {
            match info {
                LinkInfo::Data(data) => self.kind_data = kind_data(data),
                LinkInfo::PortKind(k) => self.port_kind = Some(k.to_string()),
                LinkInfo::PortData(InfoPortData::BridgePort(items)) => {
                    self.bridge_port = Some(Box::new(bridge_port(items)))
                }
                _ => {}
            }
        }
    }
}

/// The counters of IFLA_STATS64.
fn counters(s: &Stats64) -> Counters {
    Counters {
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
    }
}

/// The IPv6 address generation mode of IFLA_AF_SPEC, the last one given.
fn addr_gen_mode(specs: &[AfSpecUnspec]) -> Option<u8> {
    let mut mode = None;
    for spec in specs {
        if let AfSpecUnspec::Inet6(inet6) = spec {
            for a in inet6 {
                if let AfSpecInet6::AddrGenMode(m) = a {
                    mode = Some(u8::from(m));
                }
            }
        }
    }
    mode
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
