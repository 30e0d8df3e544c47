//! Bridge ports as `bridge link` lists them: an AF_BRIDGE dump of RTM_NEWLINK, whose
//! IFLA_PROTINFO holds each port's STP state, priority and cost.

use netlink_packet_core::Nla;
use netlink_packet_route::link::{LinkAttribute, LinkProtoInfoBridge};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

use super::error::Result;
use super::link::message;
use super::netlink::RouteSocket;

/// IFLA_BRPORT_STATE, IFLA_BRPORT_PRIORITY and IFLA_BRPORT_COST inside a bridge port's
/// IFLA_PROTINFO (the crate leaves them undecoded).
const IFLA_BRPORT_STATE: u16 = 1;
const IFLA_BRPORT_PRIORITY: u16 = 2;
const IFLA_BRPORT_COST: u16 = 3;

/// A port of a bridge, as `bridge link` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BridgePort {
    /// The port's ifindex.
    pub index: u32,
    /// The port's name.
    pub name: String,
    /// The bridge's ifindex.
    pub master: u32,
    /// BR_STATE_*: 0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking.
    pub state: u8,
    /// The STP port priority.
    pub priority: u16,
    /// The STP path cost.
    pub cost: u32,
    /// IFF_* bits of the port.
    pub flags: u32,
    /// The port's MTU.
    pub mtu: u32,
}

/// The bridge ports of the socket's namespace, as `bridge link` lists them (an AF_BRIDGE dump).
pub fn ports(sock: &mut RouteSocket) -> Result<Vec<BridgePort>> {
    let mut msg = message(0);
    msg.header.interface_family = AddressFamily::Bridge;
    let answers = sock.dump(RouteNetlinkMessage::GetLink(msg))?;
    let mut ports = Vec::new();
    for answer in answers {
        let RouteNetlinkMessage::NewLink(msg) = answer else {
            continue;
        };
        let mut port = BridgePort {
            index: msg.header.index,
            name: String::new(),
            master: 0,
            state: 0,
            priority: 0,
            cost: 0,
            flags: msg.header.flags.bits(),
            mtu: 0,
        };
        for attr in msg.attributes {
            match attr {
                LinkAttribute::IfName(name) => port.name = name,
                LinkAttribute::Controller(master) => port.master = master,
                LinkAttribute::Mtu(mtu) => port.mtu = mtu,
                LinkAttribute::ProtoInfoBridge(infos) => {
                    for info in infos {
                        let LinkProtoInfoBridge::Other(nla) = info else {
                            continue;
                        };
                        let mut value = vec![0; nla.value_len()];
                        nla.emit_value(&mut value);
                        match nla.kind() {
                            IFLA_BRPORT_STATE => port.state = value.first().copied().unwrap_or(0),
                            IFLA_BRPORT_PRIORITY => port.priority = ne_u16(&value),
                            IFLA_BRPORT_COST => port.cost = ne_u32(&value),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        ports.push(port);
    }
    Ok(ports)
}

fn ne_u16(bytes: &[u8]) -> u16 {
    bytes
        .get(..2)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u16::from_ne_bytes)
}

fn ne_u32(bytes: &[u8]) -> u32 {
    bytes
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_ne_bytes)
}
