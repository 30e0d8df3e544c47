//! Bridge ports as iproute2 6.1's `bridge link` prints them.

use super::links;
use super::printer::Printer;
use crate::net::bridge::BridgePort;
use crate::net::link::Link;

/// The names `bridge` gives BR_STATE_* values.
fn port_state(state: u8) -> Option<&'static str> {
    [
        "disabled",
        "listening",
        "learning",
        "forwarding",
        "blocking",
    ]
    .get(usize::from(state))
    .copied()
}

/// One port, trailing blank included: `4: veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu
/// 1500 master br0 state forwarding priority 32 cost 2 `.
///
/// Unlike iproute2, a port whose veth peer lives in another namespace is shown `veth0@ifN`
/// (`link_index` in JSON), as `ip link` shows it: the kernel's bridge dump leaves out the
/// peer's namespace, and `bridge` then names whatever local device has that ifindex.
pub(super) fn port(p: &mut Printer, port: &BridgePort, l: &Link, all: &[Link]) {
    p.open_obj(None);
    links::title(p, l, all);
    p.num("mtu", port.mtu, &format!("mtu {} ", port.mtu));
    let master = all
        .iter()
        .find(|m| m.index == port.master)
        .map_or_else(|| format!("if{}", port.master), |m| m.name.clone());
    p.str("master", &master, &format!("master {master} "));
    match port_state(port.state) {
        Some(s) => p.str("state", s, &format!("state {s} ")),
        None => p.num("state", port.state, &format!("state ({}) ", port.state)),
    }
    p.num(
        "priority",
        port.priority,
        &format!("priority {} ", port.priority),
    );
    p.num("cost", port.cost, &format!("cost {} ", port.cost));
    p.fp("\n");
    p.close_obj();
}
