//! A bridge port's parameters as iproute2 6.1's `bridge_slave_print_opt` prints them
//! (`ip -d link` of a port: `bridge_slave state forwarding priority 32 ...`).

use super::printer::Printer;
use crate::net::link_detail::{BridgeIdent, BridgePortData};

/// `8000.2:0:0:0:0:1`: the priority, then the MAC without leading zeros (ether_ntoa).
pub(super) fn bridge_id(id: &BridgeIdent) -> String {
    let mac: Vec<String> = id.address.iter().map(|b| format!("{b:x}")).collect();
    format!("{:04x}.{}", id.priority, mac.join(":"))
}

/// A timer in hundredths of a second: `   2.57` in text, `2.57` in JSON.
pub(super) fn timer(p: &mut Printer, key: &str, text: &str, t: u64) {
    let value = format!("{}.{:02}", t / 100, t % 100);
    p.num(key, &value, &format!("{text} {value:>7} "));
}

/// `%#llx` as C prints it: `0` for zero, `0x8001` otherwise.
pub(super) fn hex(n: u64) -> String {
    if n == 0 {
        "0".into()
    } else {
        format!("{n:#x}")
    }
}

/// The group forwarding mask's bits by name, as iproute2's `_bitmask2str`: `stp`, `lacp`,
/// `lldp`, or the bit in hex; `0x0` for none.
fn mask_names(mask: u16) -> String {
    let names: Vec<String> = (0..16)
        .filter(|bit| mask & (1 << bit) != 0)
        .map(|bit| match bit {
            0 => "stp".to_string(),
            2 => "lacp".to_string(),
            14 => "lldp".to_string(),
            b => format!("{:#x}", 1u32 << b),
        })
        .collect();
    if names.is_empty() {
        "0x0".into()
    } else {
        names.join(",")
    }
}

fn on_off(p: &mut Printer, key: &str, text: &str, value: Option<bool>) {
    if let Some(on) = value {
        let word = if on { "on" } else { "off" };
        p.num(key, on, &format!("{text} {word} "));
    }
}

pub(super) fn port(p: &mut Printer, b: &BridgePortData) {
    stp_state(p, b);
    on_off(p, "hairpin", "hairpin", b.hairpin);
    on_off(p, "guard", "guard", b.guard);
    on_off(p, "root_block", "root_block", b.root_block);
    on_off(p, "fastleave", "fastleave", b.fast_leave);
    on_off(p, "learning", "learning", b.learning);
    on_off(p, "flood", "flood", b.flood);
    stp_ids(p, b);
    stp_timers(p, b);
    on_off(p, "proxy_arp", "proxy_arp", b.proxy_arp);
    on_off(p, "proxy_arp_wifi", "proxy_arp_wifi", b.proxy_arp_wifi);
    multicast(p, b);
    on_off(p, "neigh_suppress", "neigh_suppress", b.neigh_suppress);
    if let Some(mask) = b.group_fwd_mask {
        let h = hex(mask.into());
        p.str("group_fwd_mask", &h, &format!("group_fwd_mask {h} "));
        let names = mask_names(mask);
        p.str(
            "group_fwd_mask_str",
            &names,
            &format!("group_fwd_mask_str {names} "),
        );
    }
    on_off(p, "vlan_tunnel", "vlan_tunnel", b.vlan_tunnel);
    on_off(p, "isolated", "isolated", b.isolated);
    on_off(p, "locked", "locked", b.locked);
}

/// The port's spanning tree state, priority and cost.
fn stp_state(p: &mut Printer, b: &BridgePortData) {
    if let Some(state) = b.state {
        match [
            "disabled",
            "listening",
            "learning",
            "forwarding",
            "blocking",
        ]
        .get(usize::from(state))
        {
            Some(name) => p.str("state", name, &format!("state {name} ")),
            None => p.num("state", state, &format!("state ({state}) ")),
        }
    }
    if let Some(n) = b.priority {
        p.num("priority", n, &format!("priority {n} "));
    }
    if let Some(n) = b.cost {
        p.num("cost", n, &format!("cost {n} "));
    }
}

/// The port's and its designated bridge's spanning tree identities.
fn stp_ids(p: &mut Printer, b: &BridgePortData) {
    if let Some(n) = b.port_id {
        let h = hex(n.into());
        p.str("id", &h, &format!("port_id {h} "));
    }
    if let Some(n) = b.port_no {
        let h = hex(n.into());
        p.str("no", &h, &format!("port_no {h} "));
    }
    if let Some(n) = b.designated_port {
        p.num("designated_port", n, &format!("designated_port {n} "));
    }
    if let Some(n) = b.designated_cost {
        p.num("designated_cost", n, &format!("designated_cost {n} "));
    }
    if let Some(id) = &b.bridge_id {
        let id = bridge_id(id);
        p.str("bridge_id", &id, &format!("designated_bridge {id} "));
    }
    if let Some(id) = &b.root_id {
        let id = bridge_id(id);
        p.str("root_id", &id, &format!("designated_root {id} "));
    }
}

/// The spanning tree timers and flags of the port.
fn stp_timers(p: &mut Printer, b: &BridgePortData) {
    if let Some(t) = b.hold_timer {
        timer(p, "hold_timer", "hold_timer", t);
    }
    if let Some(t) = b.message_age_timer {
        timer(p, "message_age_timer", "message_age_timer", t);
    }
    if let Some(t) = b.forward_delay_timer {
        timer(p, "forward_delay_timer", "forward_delay_timer", t);
    }
    if let Some(on) = b.topology_change_ack {
        let n = u8::from(on);
        p.num(
            "topology_change_ack",
            n,
            &format!("topology_change_ack {n} "),
        );
    }
    if let Some(on) = b.config_pending {
        let n = u8::from(on);
        p.num("config_pending", n, &format!("config_pending {n} "));
    }
}

/// The multicast router and flooding settings of the port.
fn multicast(p: &mut Printer, b: &BridgePortData) {
    if let Some(n) = b.multicast_router {
        p.num("multicast_router", n, &format!("mcast_router {n} "));
    }
    // Printed twice in text (as `fastleave` and `mcast_fast_leave`), once in JSON.
    if let Some(on) = b.fast_leave {
        p.fp(&format!(
            "mcast_fast_leave {} ",
            if on { "on" } else { "off" }
        ));
    }
    on_off(p, "mcast_flood", "mcast_flood", b.mcast_flood);
    on_off(p, "bcast_flood", "bcast_flood", b.bcast_flood);
    on_off(
        p,
        "mcast_to_unicast",
        "mcast_to_unicast",
        b.mcast_to_unicast,
    );
}
