//! `ip -d link`: a link's limits, queues and kind, as iproute2 6.1 prints them after the
//! link layer. Only for kinds whose parameters vsh prints as iproute2 does (`printable`).

use super::printer::Printer;
use super::{bridge, bridge_port, vxlan};
use crate::net::link::Link;
use crate::net::link_detail::{KindData, TunData};

/// Kinds iproute2 prints no parameters for.
const PLAIN_KINDS: &[&str] = &["veth", "ifb", "dummy", "nlmon", "vcan"];

/// Whether vsh prints this link's details exactly as iproute2 does: not for kinds (or ports
/// of kinds) whose parameters it does not read, nor for physical devices' extras.
pub(super) fn printable(l: &Link) -> bool {
    let d = &l.detail;
    let kind_ok = match l.kind.as_deref() {
        None => true,
        Some(k) if PLAIN_KINDS.contains(&k) => true,
        Some("macvlan" | "macvtap") => match &d.kind_data {
            KindData::Absent => true,
            KindData::Macvlan { more, .. } => !more,
            KindData::Unread | KindData::Vxlan(_) | KindData::Bridge(_) | KindData::Tun(_) => false,
        },
        Some("vxlan") => matches!(&d.kind_data, KindData::Vxlan(v) if !v.more),
        Some("bridge") => matches!(&d.kind_data, KindData::Bridge(b) if !b.more),
        Some("tun") => matches!(&d.kind_data, KindData::Tun(_)),
        Some(_) => false,
    };
    let port_ok = match (d.port_kind.as_deref(), &d.bridge_port) {
        (None, _) => true,
        (Some("bridge"), Some(b)) => !b.more && l.kind.is_some(),
        _ => false,
    };
    kind_ok && port_ok && !d.unread
}

/// The details on the link-layer line and the kind's line after it. `ip addr` leaves out
/// the IPv6 address generation mode (`do_link`).
pub(super) fn details(p: &mut Printer, l: &Link, links: &[Link], do_link: bool) {
    let d = &l.detail;
    if let Some(n) = d.promiscuity {
        p.num("promiscuity", n, &format!(" promiscuity {n} "));
    }
    if let Some(n) = d.allmulti {
        p.num("allmulti", n, &format!(" allmulti {n} "));
    }
    if let Some(n) = d.min_mtu {
        p.num("min_mtu", n, &format!("minmtu {n} "));
    }
    if let Some(n) = d.max_mtu {
        p.num("max_mtu", n, &format!("maxmtu {n} "));
    }
    if let Some(kind) = &l.kind {
        linkinfo(p, l, kind, links);
    }
    if let Some(m) = d.addr_gen_mode.filter(|_| do_link) {
        let mode = match m {
            0 => "eui64".to_string(),
            1 => "none".to_string(),
            2 => "stable_secret".to_string(),
            3 => "random".to_string(),
            n => format!("{n:#04x}"),
        };
        p.str(
            "inet6_addr_gen_mode",
            &mode,
            &format!("addrgenmode {mode} "),
        );
    }
    let queues = [
        ("num_tx_queues", "numtxqueues", d.num_tx_queues),
        ("num_rx_queues", "numrxqueues", d.num_rx_queues),
        ("gso_max_size", "gso_max_size", d.gso_max_size),
        ("gso_max_segs", "gso_max_segs", d.gso_max_segs),
        ("tso_max_size", "tso_max_size", d.tso_max_size),
        ("tso_max_segs", "tso_max_segs", d.tso_max_segs),
        ("gro_max_size", "gro_max_size", d.gro_max_size),
    ];
    for (key, name, value) in queues {
        if let Some(n) = value {
            p.num(key, n, &format!("{name} {n} "));
        }
    }
}

/// The `linkinfo` object: the kind and its parameters, and the port kind and its own.
fn linkinfo(p: &mut Printer, l: &Link, kind: &str, links: &[Link]) {
    let d = &l.detail;
    p.open_obj(Some("linkinfo"));
    p.nl();
    p.str("info_kind", kind, &format!("    {kind} "));
    match &d.kind_data {
        KindData::Macvlan { .. } | KindData::Absent if matches!(kind, "macvlan" | "macvtap") => {
            p.open_obj(Some("info_data"));
            macvlan(p, &d.kind_data);
            p.close_obj();
        }
        KindData::Tun(t) => {
            p.open_obj(Some("info_data"));
            tun(p, t);
            p.close_obj();
        }
        KindData::Bridge(b) => {
            p.open_obj(Some("info_data"));
            bridge::bridge(p, b);
            p.close_obj();
        }
        KindData::Vxlan(v) => {
            p.open_obj(Some("info_data"));
            vxlan::vxlan(p, v, links);
            p.close_obj();
        }
        _ => {}
    }
    if let (Some(port_kind), Some(b)) = (&d.port_kind, &d.bridge_port) {
        p.nl();
        p.str(
            "info_slave_kind",
            port_kind,
            &format!("    {port_kind}_slave "),
        );
        p.open_obj(Some("info_slave_data"));
        bridge_port::port(p, b);
        p.close_obj();
    }
    p.close_obj();
}

/// iplink_macvlan.c's `macvlan_print_opt`.
fn macvlan(p: &mut Printer, data: &KindData) {
    let KindData::Macvlan {
        mode: Some(mode),
        flags,
        bc_queue_len,
        bc_queue_len_used,
        ..
    } = data
    else {
        return;
    };
    let name = match mode {
        1 => "private",
        2 => "vepa",
        4 => "bridge",
        8 => "passthru",
        16 => "source",
        _ => "unknown",
    };
    p.str("mode", name, &format!("mode {name} "));
    let flags = flags.unwrap_or(0);
    if flags & 1 != 0 {
        p.flag("nopromisc", "nopromisc ");
    }
    if flags & 2 != 0 {
        p.flag("nodst", "nodst ");
    }
    if let Some(n) = bc_queue_len {
        p.num("bcqueuelen", n, &format!("bcqueuelen {n} "));
    }
    if let Some(n) = bc_queue_len_used {
        p.num("usedbcqueuelen", n, &format!("usedbcqueuelen {n} "));
    }
}

/// iplink_tuntap.c's `tun_print_opt`.
fn tun(p: &mut Printer, t: &TunData) {
    if let Some(kind) = t.kind {
        let name = match kind {
            1 => "tun".to_string(),
            2 => "tap".to_string(),
            n => format!("UNKNOWN:{n}"),
        };
        p.str("type", &name, &format!("type {name} "));
    }
    let on_off = |p: &mut Printer, key: &str, value: Option<bool>| {
        if let Some(on) = value {
            p.num(
                key,
                on,
                &format!("{key} {} ", if on { "on" } else { "off" }),
            );
        }
    };
    on_off(p, "pi", t.pi);
    on_off(p, "vnet_hdr", t.vnet_hdr);
    if let Some(mq) = t.multi_queue {
        p.jnum("multi_queue", mq);
        if mq {
            p.fp("multi_queue ");
            if let Some(n) = t.num_queues {
                p.num("numqueues", n, &format!("numqueues {n} "));
            }
            if let Some(n) = t.num_disabled_queues {
                p.num("numdisabled", n, &format!("numdisabled {n} "));
            }
        }
    }
    on_off(p, "persist", t.persist);
    for (key, id, name) in [
        ("user", t.owner, &t.owner_name),
        ("group", t.group, &t.group_name),
    ] {
        match (id, name) {
            (Some(_), Some(name)) => p.str(key, name, &format!("{key} {name} ")),
            (Some(id), None) => p.num(key, id, &format!("{key} {id} ")),
            _ => {}
        }
    }
}
