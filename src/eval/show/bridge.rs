//! A bridge's parameters as iproute2 6.1's `bridge_print_opt` prints them (`ip -d link`).

use super::bridge_port::{bridge_id, hex, timer};
use super::printer::Printer;
use crate::net::link_detail::BridgeData;

/// A parameter: the kernel's name, iproute2's JSON key and text word, and whether it is a
/// timer (hundredths of a second, printed `%7.2f`).
struct Param(&'static str, &'static str, &'static str, bool);

const BEFORE_IDS: &[Param] = &[
    Param("forward_delay", "forward_delay", "forward_delay", false),
    Param("hello_time", "hello_time", "hello_time", false),
    Param("max_age", "max_age", "max_age", false),
    Param("ageing_time", "ageing_time", "ageing_time", false),
    Param("stp_state", "stp_state", "stp_state", false),
    Param("priority", "priority", "priority", false),
    Param("vlan_filtering", "vlan_filtering", "vlan_filtering", false),
];

const AFTER_IDS: &[Param] = &[
    Param("root_port", "root_port", "root_port", false),
    Param("root_path_cost", "root_path_cost", "root_path_cost", false),
    Param(
        "topology_change",
        "topology_change",
        "topology_change",
        false,
    ),
    Param(
        "topology_change_detected",
        "topology_change_detected",
        "topology_change_detected",
        false,
    ),
    Param("hello_timer", "hello_timer", "hello_timer", true),
    Param("tcn_timer", "tcn_timer", "tcn_timer", true),
    Param(
        "topology_change_timer",
        "topology_change_timer",
        "topology_change_timer",
        true,
    ),
    Param("gc_timer", "gc_timer", "gc_timer", true),
];

const MULTICAST: &[Param] = &[
    Param("mcast_router", "mcast_router", "mcast_router", false),
    Param(
        "mcast_query_use_ifaddr",
        "mcast_query_use_ifaddr",
        "mcast_query_use_ifaddr",
        false,
    ),
    Param("mcast_querier", "mcast_querier", "mcast_querier", false),
    Param(
        "mcast_hash_elasticity",
        "mcast_hash_elasticity",
        "mcast_hash_elasticity",
        false,
    ),
    Param("mcast_hash_max", "mcast_hash_max", "mcast_hash_max", false),
    Param(
        "mcast_last_member_cnt",
        "mcast_last_member_cnt",
        "mcast_last_member_count",
        false,
    ),
    Param(
        "mcast_startup_query_cnt",
        "mcast_startup_query_cnt",
        "mcast_startup_query_count",
        false,
    ),
    Param(
        "mcast_last_member_intvl",
        "mcast_last_member_intvl",
        "mcast_last_member_interval",
        false,
    ),
    Param(
        "mcast_membership_intvl",
        "mcast_membership_intvl",
        "mcast_membership_interval",
        false,
    ),
    Param(
        "mcast_querier_intvl",
        "mcast_querier_intvl",
        "mcast_querier_interval",
        false,
    ),
    Param(
        "mcast_query_intvl",
        "mcast_query_intvl",
        "mcast_query_interval",
        false,
    ),
    Param(
        "mcast_query_response_intvl",
        "mcast_query_response_intvl",
        "mcast_query_response_interval",
        false,
    ),
    Param(
        "mcast_startup_query_intvl",
        "mcast_startup_query_intvl",
        "mcast_startup_query_interval",
        false,
    ),
    Param(
        "mcast_stats_enabled",
        "mcast_stats_enabled",
        "mcast_stats_enabled",
        false,
    ),
    Param(
        "mcast_igmp_version",
        "mcast_igmp_version",
        "mcast_igmp_version",
        false,
    ),
    Param(
        "mcast_mld_version",
        "mcast_mld_version",
        "mcast_mld_version",
        false,
    ),
    Param(
        "nf_call_iptables",
        "nf_call_iptables",
        "nf_call_iptables",
        false,
    ),
    Param(
        "nf_call_ip6tables",
        "nf_call_ip6tables",
        "nf_call_ip6tables",
        false,
    ),
    Param(
        "nf_call_arptables",
        "nf_call_arptables",
        "nf_call_arptables",
        false,
    ),
];

fn params(p: &mut Printer, b: &BridgeData, list: &[Param]) {
    for Param(kernel, key, text, is_timer) in list {
        if let Some(&v) = b.nums.get(kernel) {
            if *is_timer {
                timer(p, key, text, v);
            } else {
                p.num(key, v, &format!("{text} {v} "));
            }
        }
    }
}

pub(super) fn bridge(p: &mut Printer, b: &BridgeData) {
    params(p, b, BEFORE_IDS);
    if let Some(id) = &b.bridge_id {
        let id = bridge_id(id);
        p.str("bridge_id", &id, &format!("bridge_id {id} "));
    }
    if let Some(id) = &b.root_id {
        let id = bridge_id(id);
        p.str("root_id", &id, &format!("designated_root {id} "));
    }
    params(p, b, AFTER_IDS);
    if let Some(mask) = b.group_fwd_mask {
        let h = hex(mask.into());
        p.str("group_fwd_mask", &h, &format!("group_fwd_mask {h} "));
    }
    if let Some(a) = b.group_addr {
        let a: Vec<String> = a.iter().map(|x| format!("{x:02x}")).collect();
        let a = a.join(":");
        p.str("group_addr", &a, &format!("group_address {a} "));
    }
    if let Some(&v) = b.nums.get("mcast_snooping") {
        p.num("mcast_snooping", v, &format!("mcast_snooping {v} "));
    }
    if let Some(on) = b.no_ll_learn {
        let v = u8::from(on);
        p.num("no_linklocal_learn", v, &format!("no_linklocal_learn {v} "));
    }
    if let Some(on) = b.mcast_vlan_snooping {
        let v = u8::from(on);
        p.num(
            "mcast_vlan_snooping",
            v,
            &format!("mcast_vlan_snooping {v} "),
        );
    }
    params(p, b, MULTICAST);
}
