//! Addresses as iproute2 6.1's `print_addrinfo` prints them: under their link, one a line
//! with `-o`, and in `-br`'s last column.

use super::links::{self, Record};
use super::printer::{Color, Printer};
use super::NsNames;
use super::{details, stats};
use crate::net::addr::Address;
use crate::net::link::Link;
use crate::syntax::ast::{IpFamily, OutputOpts};
use std::net::IpAddr;

/// IFA_F_* names by bit, as iproute2 6.1 prints them.
const IFA_FLAG_NAMES: [&str; 12] = [
    "secondary",
    "nodad",
    "optimistic",
    "dadfailed",
    "home",
    "deprecated",
    "tentative",
    "permanent",
    "mngtmpaddr",
    "noprefixroute",
    "autojoin",
    "stable-privacy",
];
const IFA_F_PERMANENT: u32 = 0x80;
const IFA_F_DEPRECATED: u32 = 0x20;

/// Whether an address is of the family `-4`/`-6` asked for.
pub(super) fn of_family(a: &Address, family: Option<IpFamily>) -> bool {
    match family {
        None => true,
        Some(IpFamily::V4) => a.prefix.addr.is_ipv4(),
        Some(IpFamily::V6) => a.prefix.addr.is_ipv6(),
    }
}

fn color(a: &Address) -> Color {
    match a.prefix.addr {
        IpAddr::V4(_) => Color::Inet,
        IpAddr::V6(_) => Color::Inet6,
    }
}

fn flags(p: &mut Printer, a: &Address) {
    let mut rest = a.flags;
    for (bit, name) in IFA_FLAG_NAMES.iter().enumerate() {
        let mask = 1u32 << bit;
        if mask == IFA_F_PERMANENT {
            if rest & mask == 0 {
                p.flag("dynamic", "dynamic ");
            }
        } else if rest & mask != 0 {
            let name = match (*name, a.prefix.addr.is_ipv6()) {
                ("secondary", true) => "temporary",
                (n, _) => n,
            };
            p.flag(name, &format!("{name} "));
        }
        rest &= !mask;
    }
    if rest != 0 {
        p.num("ifa_flags", rest, &format!("flags {rest:02x} "));
    }
}

/// The local address and its prefix length (all that `-br` prints).
fn local(p: &mut Printer, a: &Address) {
    let local = a.prefix.addr.to_string();
    p.colored(color(a), "local", &local, &local);
    if let Some(peer) = a.peer {
        p.fp(" peer ");
        let peer = peer.to_string();
        p.colored(color(a), "address", &peer, &peer);
    }
    p.num("prefixlen", a.prefix.len, &format!("/{} ", a.prefix.len));
}

/// One address: `    inet 10.1.1.1/24 brd 10.1.1.255 scope global d0` and its lifetimes.
/// With `-o`, after `2: d0`.
pub(super) fn addr(p: &mut Printer, a: &Address, dev: &str, oneline: bool) {
    if oneline {
        if p.is_json() {
            p.jnum("index", a.index);
            p.jstr("dev", dev);
        } else {
            p.fp(&format!("{}: {dev}", a.index));
        }
    }
    let family = if a.prefix.addr.is_ipv4() {
        "inet"
    } else {
        "inet6"
    };
    p.str("family", family, &format!("    {family} "));
    local(p, a);
    if let Some(b) = a.broadcast {
        p.fp("brd ");
        let b = b.to_string();
        p.colored(color(a), "broadcast", &b, &format!("{b} "));
    }
    let scope = crate::net::route::scope_name(a.scope);
    p.str("scope", &scope, &format!("scope {scope} "));
    flags(p, a);
    // The kernel labels every IPv4 address (its device's name by default).
    let label = a
        .label
        .as_deref()
        .or(a.prefix.addr.is_ipv4().then_some(dev));
    if let Some(label) = label {
        p.str("label", label, label);
    }
    p.nl();
    p.fp("       valid_lft ");
    lifetime(p, "valid_life_time", a.valid_lft, false);
    p.fp(" preferred_lft ");
    let deprecated = a.flags & IFA_F_DEPRECATED != 0;
    lifetime(p, "preferred_life_time", a.preferred_lft, deprecated);
    p.fp("\n");
}

fn lifetime(p: &mut Printer, key: &str, t: Option<u32>, signed: bool) {
    match t {
        None | Some(u32::MAX) => {
            p.jnum(key, u32::MAX);
            p.fp("forever");
        }
        // A deprecated address's preferred lifetime is printed signed.
        Some(s) if signed => p.num(key, s as i32, &format!("{}sec", s as i32)),
        Some(s) => p.num(key, s, &format!("{s}sec")),
    }
}

/// A link and its addresses as `ip addr show` prints them.
pub(super) fn link_addrs(
    p: &mut Printer,
    l: &Link,
    links: &[Link],
    addrs: &[&Address],
    names: &NsNames,
    opts: &OutputOpts,
    dump: bool,
) {
    let family = opts.family;
    let inet6 = family == Some(IpFamily::V6) && dump;
    p.open_obj(None);
    links::head(
        p,
        l,
        links,
        names,
        Record::Addr {
            link_layer: family.is_none() || opts.details,
            inet6,
        },
    );
    if opts.details {
        details::details(p, l, links, false);
        links::alias(p, l);
    }
    // IPv6's own link dump has no alternative names, nor counters.
    if !inet6 {
        links::altnames(p, l, opts);
    }
    p.fp("\n");
    p.open_arr(Some("addr_info"));
    for a in addrs {
        p.open_obj(None);
        addr(p, a, &l.name, false);
        p.close_obj();
    }
    p.close_arr();
    if let (true, false, Some(c)) = (opts.stats > 0, inet6, &l.detail.counters) {
        stats::stats(p, c, l.detail.carrier_changes, opts.stats);
        p.nl();
    }
    p.close_obj();
}

/// `ip -o addr`: one line an address, no link records.
pub(super) fn oneline(p: &mut Printer, l: &Link, addrs: &[&Address]) {
    p.open_obj(None);
    p.open_arr(Some("addr_info"));
    for a in addrs {
        p.open_obj(None);
        addr(p, a, &l.name, true);
        p.close_obj();
    }
    p.close_arr();
    p.close_obj();
}

/// `ip -br addr`: name, state, then each address.
pub(super) fn brief(p: &mut Printer, l: &Link, links: &[Link], addrs: &[&Address]) {
    p.open_obj(None);
    links::brief_head(p, l, links);
    p.open_arr(Some("addr_info"));
    for a in addrs {
        p.open_obj(None);
        local(p, a);
        p.close_obj();
    }
    p.close_arr();
    p.fp("\n");
    p.close_obj();
}
