//! The kernel's neighbour tables (ARP for IPv4, NDISC for IPv6), as `ip -s ntable` shows them.
//! Each is one table for every namespace of the machine: past `gc_thresh3` entries updated in
//! the last five seconds, the kernel refuses new neighbours ("neighbor table overflow") and
//! their packets are dropped. A big lab that reaches everything at once meets this limit.

use netlink_packet_route::neighbour_table::{NeighbourTableAttribute, NeighbourTableMessage};
use netlink_packet_route::RouteNetlinkMessage;

use super::error::Result;
use super::netlink::RouteSocket;

/// One neighbour table's size, limit and overflow count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// `arp_cache` or `ndisc_cache`.
    pub name: String,
    /// gc_thresh3: the most entries the table holds.
    pub thresh3: u32,
    /// Entries now, for all namespaces.
    pub entries: u32,
    /// How often a new entry was refused because the table was full.
    pub table_fulls: u64,
}

/// The ARP and NDISC tables, read over the socket's namespace (their numbers are global).
pub fn tables(sock: &mut RouteSocket) -> Result<Vec<Table>> {
    let answers = sock.dump(RouteNetlinkMessage::GetNeighbourTable(
        NeighbourTableMessage::default(),
    ))?;
    let mut tables: Vec<Table> = Vec::new();
    for answer in answers {
        let RouteNetlinkMessage::NewNeighbourTable(msg) = answer else {
            continue;
        };
        let mut t = Table::default();
        for attr in msg.attributes {
            match attr {
                NeighbourTableAttribute::Name(n) => t.name = n,
                NeighbourTableAttribute::Threshold3(v) => t.thresh3 = v,
                NeighbourTableAttribute::Config(c) => t.entries = c.entries,
                NeighbourTableAttribute::Stats(s) => t.table_fulls = s.table_fulls,
                _ => {}
            }
        }
        // The dump also lists each device's parameters under the table's name: keep one.
        if t.thresh3 > 0 && !tables.iter().any(|x| x.name == t.name) {
            tables.push(t);
        }
    }
    Ok(tables)
}
