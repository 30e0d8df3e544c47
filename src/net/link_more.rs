//! What `ip link set` changes besides state, master and MTU: hardware addresses, alias,
//! flags, queue length, group and a bridge's options, in the same single RTM_NEWLINK; and
//! alternative names (RTM_NEWLINKPROP / RTM_DELLINKPROP).

use netlink_packet_core::DefaultNla;
use netlink_packet_route::link::{
    InfoBridge, InfoData, InfoKind, LinkAttribute, LinkFlags, LinkInfo, Prop,
};
use netlink_packet_route::RouteNetlinkMessage;

use super::error::{NetError, Result};
use super::link::{change_message, message, set, BridgeOpt, LinkChange};
use super::netlink::RouteSocket;

/// IFLA_IFALIAS: sent without a trailing NUL, as iproute2 sends it (an empty one removes it).
const IFLA_IFALIAS: u16 = 20;

/// IFF_NOARP: `arp off`.
pub const IFF_NOARP: u32 = 0x80;
/// IFF_PROMISC: `promisc on`.
pub const IFF_PROMISC: u32 = 0x100;
/// IFF_ALLMULTI: `allmulticast on`.
pub const IFF_ALLMULTI: u32 = 0x200;
/// IFF_MULTICAST: `multicast on`.
pub const IFF_MULTICAST: u32 = 0x1000;

/// Attributes of one `ip link set` beyond [`LinkChange`]; `None` and empty leave them alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkMore {
    /// The hardware address.
    pub address: Option<Vec<u8>>,
    /// The hardware broadcast address.
    pub broadcast: Option<Vec<u8>>,
    /// The alias; empty removes it.
    pub alias: Option<String>,
    /// IFF_* bits to change.
    pub mask: u32,
    /// Their new values.
    pub flags: u32,
    /// The transmit queue length.
    pub txqlen: Option<u32>,
    /// The device group.
    pub group: Option<u32>,
    /// `type bridge` and its options: the link must be a bridge.
    pub bridge: Option<Vec<BridgeOpt>>,
}

impl LinkMore {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == LinkMore::default()
    }
}

/// `change` and `more` to link `index` in one request, as `ip link set` sends them.
pub fn change_more(
    sock: &mut RouteSocket,
    index: u32,
    change: LinkChange,
    more: &LinkMore,
) -> Result<()> {
    let mut msg = change_message(index, change);
    if more.mask != 0 {
        let up = LinkFlags::Up.bits();
        let mask = msg.header.change_mask.bits() & up | more.mask;
        let flags = msg.header.flags.bits() & up | more.flags & more.mask;
        msg.header.change_mask = LinkFlags::from_bits_retain(mask);
        msg.header.flags = LinkFlags::from_bits_retain(flags);
    }
    if let Some(a) = &more.address {
        msg.attributes.push(LinkAttribute::Address(a.clone()));
    }
    if let Some(b) = &more.broadcast {
        msg.attributes.push(LinkAttribute::Broadcast(b.clone()));
    }
    if let Some(alias) = &more.alias {
        msg.attributes.push(LinkAttribute::Other(DefaultNla::new(
            IFLA_IFALIAS,
            alias.as_bytes().to_vec(),
        )));
    }
    if let Some(q) = more.txqlen {
        msg.attributes.push(LinkAttribute::TxQueueLen(q));
    }
    if let Some(g) = more.group {
        msg.attributes.push(LinkAttribute::Group(g));
    }
    if let Some(opts) = &more.bridge {
        let mut info = vec![LinkInfo::Kind(InfoKind::Bridge)];
        if !opts.is_empty() {
            let data = opts.iter().map(|o| o.info()).collect();
            info.push(LinkInfo::Data(InfoData::Bridge(data)));
        }
        msg.attributes.push(LinkAttribute::LinkInfo(info));
    }
    set(sock, msg)
}

/// Adds (`add`) or removes alternative names of link `index`, all in one request.
pub fn altnames(sock: &mut RouteSocket, index: u32, add: bool, names: &[String]) -> Result<()> {
    let mut msg = message(index);
    msg.attributes.push(LinkAttribute::PropList(
        names.iter().map(|n| Prop::AltIfName(n.clone())).collect(),
    ));
    let msg = if add {
        RouteNetlinkMessage::NewLinkProp(msg)
    } else {
        RouteNetlinkMessage::DelLinkProp(msg)
    };
    sock.request(msg, 0)
}

/// The alternative names in a link's IFLA_PROP_LIST.
pub(super) fn altnames_of(props: Vec<Prop>) -> Vec<String> {
    props
        .into_iter()
        .filter_map(|p| match p {
            Prop::AltIfName(name) => Some(name),
            _ => None,
        })
        .collect()
}

/// The current values of every bridge option vsh sets, of bridge `index`.
pub fn bridge_options(sock: &mut RouteSocket, index: u32) -> Result<Vec<BridgeOpt>> {
    let answer = sock.get(RouteNetlinkMessage::GetLink(message(index)))?;
    let RouteNetlinkMessage::NewLink(msg) = answer else {
        return Err(NetError::Malformed {
            what: "RTM_GETLINK answered with another message".into(),
        });
    };
    let mut opts = Vec::new();
    for attr in msg.attributes {
        let LinkAttribute::LinkInfo(infos) = attr else {
            continue;
        };
        for info in infos {
            let LinkInfo::Data(InfoData::Bridge(data)) = info else {
                continue;
            };
            opts.extend(data.into_iter().filter_map(|d| {
                Some(match d {
                    InfoBridge::StpState(s) => BridgeOpt::StpState(s.into()),
                    InfoBridge::ForwardDelay(t) => BridgeOpt::ForwardDelay(t),
                    InfoBridge::HelloTime(t) => BridgeOpt::HelloTime(t),
                    InfoBridge::MaxAge(t) => BridgeOpt::MaxAge(t),
                    InfoBridge::AgeingTime(t) => BridgeOpt::AgeingTime(t),
                    InfoBridge::Priority(p) => BridgeOpt::Priority(p),
                    InfoBridge::VlanFiltering(on) => BridgeOpt::VlanFiltering(on),
                    InfoBridge::VlanDefaultPvid(p) => BridgeOpt::VlanDefaultPvid(p),
                    InfoBridge::MulticastSnooping(on) => BridgeOpt::McastSnooping(on),
                    InfoBridge::MulticastQuerier(on) => BridgeOpt::McastQuerier(on),
                    _ => return None,
                })
            }));
        }
    }
    Ok(opts)
}

impl BridgeOpt {
    /// iproute2's name of the option and its value as a number, as the journal writes it.
    pub fn name_value(self) -> (&'static str, u32) {
        match self {
            BridgeOpt::StpState(v) => ("stp_state", v),
            BridgeOpt::ForwardDelay(v) => ("forward_delay", v),
            BridgeOpt::HelloTime(v) => ("hello_time", v),
            BridgeOpt::MaxAge(v) => ("max_age", v),
            BridgeOpt::AgeingTime(v) => ("ageing_time", v),
            BridgeOpt::Priority(v) => ("priority", v.into()),
            BridgeOpt::VlanFiltering(on) => ("vlan_filtering", on.into()),
            BridgeOpt::VlanDefaultPvid(v) => ("vlan_default_pvid", v.into()),
            BridgeOpt::McastSnooping(on) => ("mcast_snooping", on.into()),
            BridgeOpt::McastQuerier(on) => ("mcast_querier", on.into()),
        }
    }

    /// The option [`name_value`](Self::name_value) wrote.
    pub fn from_name_value(name: &str, v: u32) -> Option<BridgeOpt> {
        let small = || u16::try_from(v).ok();
        Some(match name {
            "stp_state" => BridgeOpt::StpState(v),
            "forward_delay" => BridgeOpt::ForwardDelay(v),
            "hello_time" => BridgeOpt::HelloTime(v),
            "max_age" => BridgeOpt::MaxAge(v),
            "ageing_time" => BridgeOpt::AgeingTime(v),
            "priority" => BridgeOpt::Priority(small()?),
            "vlan_filtering" => BridgeOpt::VlanFiltering(v != 0),
            "vlan_default_pvid" => BridgeOpt::VlanDefaultPvid(small()?),
            "mcast_snooping" => BridgeOpt::McastSnooping(v != 0),
            "mcast_querier" => BridgeOpt::McastQuerier(v != 0),
            _ => return None,
        })
    }

    /// Whether two options are the same option (whatever their values).
    pub fn same_key(self, other: BridgeOpt) -> bool {
        self.name_value().0 == other.name_value().0
    }
}
