//! A link as iproute2 6.1's `print_linkinfo` prints it: the full record of `ip link` and
//! `ip addr`, and the brief one of `-br`.

use super::printer::{Color, Printer};
use super::{details, stats, NsNames};
use crate::net::link::Link;
use crate::syntax::ast::OutputOpts;

const IFF_UP: u32 = 0x1;
const IFF_POINTOPOINT: u32 = 0x10;
const IFF_RUNNING: u32 = 0x40;

/// iproute2's flag names, in its order.
const FLAG_NAMES: &[(u32, &str)] = &[
    (0x8, "LOOPBACK"),
    (0x2, "BROADCAST"),
    (0x10, "POINTOPOINT"),
    (0x1000, "MULTICAST"),
    (0x80, "NOARP"),
    (0x200, "ALLMULTI"),
    (0x100, "PROMISC"),
    (0x400, "MASTER"),
    (0x800, "SLAVE"),
    (0x4, "DEBUG"),
    (0x8000, "DYNAMIC"),
    (0x4000, "AUTOMEDIA"),
    (0x2000, "PORTSEL"),
    (0x20, "NOTRAILERS"),
    (0x1, "UP"),
    (0x10000, "LOWER_UP"),
    (0x20000, "DORMANT"),
    (0x40000, "ECHO"),
];

/// Which record: `ip link` prints the link mode, `ip addr` does not; a family filter
/// (`ip -4 addr`) leaves out the link layer, and `ip -6 addr` reads IPv6's own link dump,
/// which has no qdisc, master or group.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Record {
    Link,
    Addr { link_layer: bool, inet6: bool },
}

/// `ll_index_to_name`: a local device's name, or `ifN`.
fn name_of(index: u32, links: &[Link]) -> String {
    links
        .iter()
        .find(|l| l.index == index)
        .map_or_else(|| format!("if{index}"), |l| l.name.clone())
}

/// `print_name_and_link`: `veth0@veth1`, `veth0@if7` or `name@NONE`, and whether the device
/// below is down (M-DOWN).
fn name_and_link(p: &mut Printer, l: &Link, links: &[Link], width: Option<usize>) -> bool {
    let mut name = l.name.clone();
    let mut m_down = false;
    if let Some(iflink) = l.link {
        if iflink == 0 {
            p.jnull("link");
            name.push_str("@NONE");
        } else if l.link_netnsid.is_some() {
            p.jnum("link_index", iflink);
            name = format!("{name}@if{iflink}");
        } else {
            let below = name_of(iflink, links);
            p.jstr("link", &below);
            name = format!("{name}@{below}");
            // An unknown index has no flags, so it reads as down.
            m_down = links
                .iter()
                .find(|d| d.index == iflink)
                .is_none_or(|d| d.flags & IFF_UP == 0);
        }
    }
    let text = match width {
        Some(w) => format!("{name:<w$} "),
        None => format!("{name}: "),
    };
    p.colored(Color::Ifname, "ifname", &l.name, &text);
    m_down
}

/// `<BROADCAST,MULTICAST,UP,LOWER_UP> `, or the JSON array `flags`.
fn link_flags(p: &mut Printer, flags: u32, m_down: bool) {
    p.open_arr(Some("flags"));
    p.fp("<");
    let mut names: Vec<String> = Vec::new();
    if flags & IFF_UP != 0 && flags & IFF_RUNNING == 0 {
        names.push("NO-CARRIER".into());
    }
    let mut rest = flags & !IFF_RUNNING;
    for (bit, name) in FLAG_NAMES {
        if rest & bit != 0 {
            rest &= !bit;
            names.push((*name).into());
        }
    }
    if rest != 0 {
        names.push(format!("{rest:x}"));
    }
    if m_down {
        names.push("M-DOWN".into());
    }
    for (i, n) in names.iter().enumerate() {
        let text = if i == 0 { n.clone() } else { format!(",{n}") };
        p.elem(n, &text);
    }
    p.close_arr();
    p.fp("> ");
}

fn operstate(p: &mut Printer, state: &str, width: Option<usize>) {
    let color = match state {
        "UP" => Some(Color::OperUp),
        "DOWN" => Some(Color::OperDown),
        _ => None,
    };
    let text = match width {
        Some(w) => format!("{state:<w$} "),
        None => {
            p.fp("state ");
            format!("{state} ")
        }
    };
    match color {
        Some(c) => p.colored(c, "operstate", state, &text),
        None => p.str("operstate", state, &text),
    }
}

fn mac(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn link_type(t: u16) -> String {
    match t {
        1 => "ether".into(),
        772 => "loopback".into(),
        65534 => "none".into(),
        768 => "ipip".into(),
        776 => "sit".into(),
        778 => "gre".into(),
        823 => "gre6".into(),
        n => format!("[{n}]"),
    }
}

/// `3: veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> `: what `ip link` and `bridge link`
/// start a record with.
pub(super) fn title(p: &mut Printer, l: &Link, links: &[Link]) {
    p.num("ifindex", l.index, &format!("{}: ", l.index));
    let m_down = name_and_link(p, l, links, None);
    link_flags(p, l.flags, m_down);
}

/// The record up to its link-layer line (without the final newline): what `ip link` and
/// `ip addr` print before their extras.
pub(super) fn head(p: &mut Printer, l: &Link, links: &[Link], names: &NsNames, record: Record) {
    title(p, l, links);
    p.num("mtu", l.mtu, &format!("mtu {} ", l.mtu));
    let inet6 = matches!(record, Record::Addr { inet6: true, .. });
    if let Some(q) = l.qdisc.as_ref().filter(|_| !inet6) {
        p.str("qdisc", q, &format!("qdisc {q} "));
    }
    if let Some(m) = l.master.filter(|_| !inet6) {
        let master = name_of(m, links);
        p.str("master", &master, &format!("master {master} "));
    }
    operstate(p, &l.operstate, None);
    if record == Record::Link {
        let mode = match l.detail.link_mode {
            Some(1) => "DORMANT".to_string(),
            Some(0) | None => "DEFAULT".to_string(),
            Some(n) => format!("{n}"),
        };
        p.str("linkmode", &mode, &format!("mode {mode} "));
    }
    let group = match l.group {
        0 => "default".to_string(),
        g => g.to_string(),
    };
    if !inet6 {
        p.str("group", &group, &format!("group {group} "));
    }
    if l.txqlen != 0 {
        p.num("txqlen", l.txqlen, &format!("qlen {}", l.txqlen));
    }
    if matches!(
        record,
        Record::Addr {
            link_layer: false,
            ..
        }
    ) {
        return;
    }
    p.nl();
    let kind = link_type(l.link_type);
    p.str("link_type", &kind, &format!("    link/{kind} "));
    if let Some(a) = &l.mac {
        let a = mac(a);
        p.colored(Color::Mac, "address", &a, &a);
    }
    if let Some(b) = &l.broadcast {
        if l.flags & IFF_POINTOPOINT != 0 {
            p.fp(" peer ");
            p.flag("link_pointtopoint", "");
        } else {
            p.fp(" brd ");
        }
        let b = mac(b);
        p.colored(Color::Mac, "broadcast", &b, &b);
    }
    if let Some(id) = l.link_netnsid {
        if p.is_json() {
            p.jnum("link_netnsid", id);
        } else {
            match names.0.get(&id) {
                Some(name) => p.fp(&format!(" link-netns {name}")),
                None if id >= 0 => p.fp(&format!(" link-netnsid {id}")),
                None => p.fp(" link-netnsid unknown"),
            }
        }
    }
}

/// One link as `ip link show` prints it: with `-d` its details, with `-s` its counters.
pub(super) fn link(p: &mut Printer, l: &Link, links: &[Link], names: &NsNames, opts: &OutputOpts) {
    p.open_obj(None);
    head(p, l, links, names, Record::Link);
    if opts.details {
        details::details(p, l, links, true);
    }
    alias(p, l);
    if let (true, Some(c)) = (opts.stats > 0, &l.detail.counters) {
        p.nl();
        stats::stats(p, c, l.detail.carrier_changes, opts.stats);
    }
    altnames(p, l, opts);
    p.fp("\n");
    p.close_obj();
}

/// `    alias TEXT`, on a line of its own.
pub(super) fn alias(p: &mut Printer, l: &Link) {
    if let Some(alias) = &l.alias {
        p.nl();
        p.str("ifalias", alias, &format!("    alias {alias}"));
    }
}

/// `    altname NAME`, a line each: the end of every full record.
pub(super) fn altnames(p: &mut Printer, l: &Link, opts: &OutputOpts) {
    if !l.altnames.is_empty() {
        p.open_arr(Some("altnames"));
        for name in &l.altnames {
            let sl = if opts.oneline { "\\" } else { "\n" };
            p.fp(&format!("{sl}    altname "));
            p.elem(name, name);
        }
        p.close_arr();
    }
}

/// `ip -br link`: `v0@v1            UP             02:00:00:00:00:01 <BROADCAST,...> `.
pub(super) fn brief_link(p: &mut Printer, l: &Link, links: &[Link]) {
    p.open_obj(None);
    brief_head(p, l, links);
    if let Some(a) = &l.mac {
        let a = mac(a);
        p.colored(Color::Mac, "address", &a, &format!("{a} "));
    }
    let m_down = brief_mdown(l, links);
    link_flags(p, l.flags, m_down);
    p.fp("\n");
    p.close_obj();
}

/// The name and state columns of `-br`.
pub(super) fn brief_head(p: &mut Printer, l: &Link, links: &[Link]) {
    name_and_link(p, l, links, Some(16));
    operstate(p, &l.operstate, Some(14));
}

fn brief_mdown(l: &Link, links: &[Link]) -> bool {
    match (l.link, l.link_netnsid) {
        (Some(i), None) if i != 0 => links
            .iter()
            .find(|d| d.index == i)
            .is_none_or(|d| d.flags & IFF_UP == 0),
        _ => false,
    }
}
