//! A VXLAN's parameters as iproute2 6.1's `vxlan_print_opt` prints them (`ip -d link`).

use super::printer::Printer;
use crate::net::link::Link;
use crate::net::link_detail::VxlanData;
use std::net::IpAddr;

pub(super) fn vxlan(p: &mut Printer, v: &VxlanData, links: &[Link]) {
    endpoints(p, v, links);
    if let Some(learning) = v.learning {
        if p.is_json() {
            p.jnum("learning", learning);
        } else if !learning {
            p.fp("nolearning ");
        }
    }
    if v.proxy {
        p.flag("proxy", "proxy ");
    }
    ip_header(p, v);
    match v.ageing {
        Some(0) => p.num("ageing", 0, "ageing none "),
        Some(age) => p.num("ageing", age, &format!("ageing {age} ")),
        None => {}
    }
    checksums(p, v);
}

/// Who the tunnel talks to: its id, remote or group, local address, device and ports.
fn endpoints(p: &mut Printer, v: &VxlanData, links: &[Link]) {
    if v.external {
        p.flag("external", "external ");
    }
    if let Some(id) = v.id {
        p.num("id", id, &format!("id {id} "));
    }
    if let Some(g) = v.group.filter(|g| !g.is_unspecified()) {
        let key = match (g.is_multicast(), g) {
            (true, IpAddr::V4(_)) => "group",
            (true, IpAddr::V6(_)) => "group6",
            (false, IpAddr::V4(_)) => "remote",
            (false, IpAddr::V6(_)) => "remote6",
        };
        let word = if g.is_multicast() { "group" } else { "remote" };
        p.str(key, &g.to_string(), &format!("{word} {g} "));
    }
    if let Some(a) = v.local.filter(|a| !a.is_unspecified()) {
        let key = if a.is_ipv4() { "local" } else { "local6" };
        p.str(key, &a.to_string(), &format!("local {a} "));
    }
    if let Some(link) = v.link.filter(|&l| l != 0) {
        let dev = links
            .iter()
            .find(|l| l.index == link)
            .map_or_else(|| format!("if{link}"), |l| l.name.clone());
        p.str("link", &dev, &format!("dev {dev} "));
    }
    if let Some((low, high)) = v.port_range {
        p.open_obj(Some("port_range"));
        p.jnum("low", low);
        p.jnum("high", high);
        p.close_obj();
        p.fp(&format!("srcport {low} {high} "));
    }
    if let Some(port) = v.port {
        p.num("port", port, &format!("dstport {port} "));
    }
}

/// The outer IP header's tos, ttl and df.
fn ip_header(p: &mut Printer, v: &VxlanData) {
    match v.tos.unwrap_or(0) {
        0 => {}
        1 if !p.is_json() => p.fp("tos inherit "),
        t => p.str("tos", &format!("{t:#x}"), &format!("tos {t:#x} ")),
    }
    if v.ttl_inherit {
        p.fp("ttl inherit ");
    } else if let Some(ttl) = v.ttl {
        if ttl != 0 || p.is_json() {
            p.num("ttl", ttl, &format!("ttl {ttl} "));
        } else {
            p.fp("ttl auto ");
        }
    }
    match v.df {
        Some(0) => p.jstr("df", "unset"),
        Some(1) => p.str("df", "set", "df set "),
        Some(2) => p.str("df", "inherit", "df inherit "),
        _ => {}
    }
}

/// The UDP checksum settings.
fn checksums(p: &mut Printer, v: &VxlanData) {
    let csums = [
        ("udp_csum", "udpcsum ", v.udp_csum),
        ("udp_zero_csum6_tx", "udp6zerocsumtx ", v.udp_zero_csum6_tx),
        ("udp_zero_csum6_rx", "udp6zerocsumrx ", v.udp_zero_csum6_rx),
    ];
    for (key, text, value) in csums {
        if let Some(on) = value {
            if p.is_json() {
                p.jnum(key, on);
            } else {
                p.fp(&format!("{}{text}", if on { "" } else { "no" }));
            }
        }
    }
}
