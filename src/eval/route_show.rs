//! Routes as `ip route show` and `ip route get` print them (iproute2 6.1, byte for byte),
//! and the selectors of `route show|flush`.

use super::route_words::RouteFilter;
use crate::net::link::Link;
use crate::net::route::{self, Route};
use crate::net::route_get::Lookup;
use crate::syntax::ast::PrefixMatch;
use std::fmt::Write;
use std::net::IpAddr;

/// What a listing leaves out because its selectors say it already.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Omit {
    pub dev: bool,
    pub table: bool,
    pub proto: bool,
    pub scope: bool,
}

impl Omit {
    /// As iproute2 does for these selectors: a field every line would repeat is left out.
    pub fn for_filter(f: &RouteFilter, by_dev: bool) -> Omit {
        Omit {
            dev: by_dev,
            table: f.table.is_some(),
            proto: f.proto.is_some(),
            scope: f.scope.is_some(),
        }
    }
}

/// Whether the first `len` bits of `a` and `b` are the same.
fn same_bits(a: IpAddr, b: IpAddr, len: u8) -> bool {
    let (a, b, width) = match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (
            u128::from(u32::from(a)) << 96,
            u128::from(u32::from(b)) << 96,
            32,
        ),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        _ => return false,
    };
    let len = u32::from(len).min(width);
    len == 0 || (a ^ b) >> (128 - len) == 0
}

/// Whether `r` is one the filter selects (its family and device are chosen by the caller).
pub(super) fn selects(f: &RouteFilter, r: &Route, oif: Option<u32>) -> bool {
    if r.is_cloned()
        || f.table.is_some_and(|t| t != r.table)
        || f.proto.is_some_and(|p| p != r.protocol)
        || f.scope.is_some_and(|s| s != r.scope)
        || f.kind.is_some_and(|k| k != r.kind)
        || oif.is_some_and(|i| r.oif != Some(i))
    {
        return false;
    }
    let Some((how, p)) = f.prefix else {
        return true;
    };
    let dst = r.dst.unwrap_or(match r.family {
        route::Family::V4 => IpAddr::from([0u8; 4]),
        route::Family::V6 => IpAddr::from([0u8; 16]),
    });
    if route::Family::of(&p.addr) != r.family {
        return false;
    }
    let root = p.len <= r.dst_len && same_bits(dst, p.addr, p.len);
    let matched = r.dst_len <= p.len && same_bits(dst, p.addr, r.dst_len);
    match how {
        PrefixMatch::Root => root,
        PrefixMatch::Match => matched,
        PrefixMatch::Exact => root && matched,
    }
}

fn dev_name(links: &[Link], index: u32) -> String {
    links
        .iter()
        .find(|l| l.index == index)
        .map_or_else(|| format!("if{index}"), |l| l.name.clone())
}

/// iproute2's names of the tables it knows.
fn table_name(t: u32) -> String {
    match t {
        253 => "default".into(),
        254 => "main".into(),
        255 => "local".into(),
        n => n.to_string(),
    }
}

/// The destination, as ip prints it: a host without its length, `default`, or a prefix.
fn dst(out: &mut String, r: &Route) {
    match r.dst {
        Some(d) if r.dst_len == r.family.host_len() => {
            let _ = write!(out, "{d} ");
        }
        Some(d) => {
            let _ = write!(out, "{d}/{} ", r.dst_len);
        }
        None if r.dst_len != 0 => {
            let _ = write!(out, "0/{} ", r.dst_len);
        }
        None => out.push_str("default "),
    }
}

/// The words after the destination, up to the flags.
fn middle(out: &mut String, r: &Route, links: &[Link], omit: Omit) {
    if let Some(gw) = r.gateway {
        let _ = write!(out, "via {gw} ");
    }
    if let (Some(oif), false) = (r.oif, omit.dev) {
        let _ = write!(out, "dev {} ", dev_name(links, oif));
    }
    if r.table != route::TABLE_MAIN && !omit.table {
        let _ = write!(out, "table {} ", table_name(r.table));
    }
    if !r.is_cloned() {
        // RTPROT_BOOT and RT_SCOPE_UNIVERSE are the defaults ip does not print.
        if r.protocol != 3 && !omit.proto {
            let _ = write!(out, "proto {} ", route::protocol_name(r.protocol));
        }
        if r.scope != 0 && !omit.scope {
            let _ = write!(out, "scope {} ", route::scope_name(r.scope));
        }
    }
    if let Some(src) = r.prefsrc {
        let _ = write!(out, "src {src} ");
    }
    if let Some(m) = r.metric {
        let _ = write!(out, "metric {m} ");
    }
    for (bit, name) in route::FLAG_NAMES {
        if r.flags & bit != 0 {
            let _ = write!(out, "{name} ");
        }
    }
}

/// The end of a route: its MTU, the incoming device of a lookup, preference and hops, then
/// the newline.
fn end(out: &mut String, r: &Route, iif: Option<u32>, links: &[Link]) {
    if let Some(mtu) = r.mtu {
        let _ = write!(out, "mtu {mtu} ");
    }
    if let Some(iif) = iif {
        let _ = write!(out, "iif {} ", dev_name(links, iif));
    }
    if let Some(p) = r.pref {
        let _ = write!(out, "pref {}", route::pref_name(p));
    }
    for h in &r.nexthops {
        out.push_str("\n\tnexthop ");
        if let Some(gw) = h.gateway {
            let _ = write!(out, "via {gw} ");
        }
        if h.oif != 0 {
            let _ = write!(out, "dev {} ", dev_name(links, h.oif));
        }
        let _ = write!(out, "weight {} ", h.weight);
        for (bit, name) in route::FLAG_NAMES {
            if u32::from(h.flags) & bit != 0 {
                let _ = write!(out, "{name} ");
            }
        }
    }
    out.push('\n');
}

/// One route as `ip route show` prints it, trailing space included.
pub(super) fn line(r: &Route, links: &[Link], omit: Omit) -> String {
    let mut out = String::new();
    // RTN_UNICAST is the one type ip leaves unsaid.
    if r.kind != 1 {
        let _ = write!(out, "{} ", route::type_name(r.kind));
    }
    dst(&mut out, r);
    middle(&mut out, r, links, omit);
    end(&mut out, r, None, links);
    out
}

/// The RTCF_* bits of an IPv4 cache entry, in the order iproute2 prints them.
const CACHE_FLAGS: &[(u32, &str)] = &[
    (0x8000_0000, "local"),
    (0x4000_0000, "reject"),
    (0x2000_0000, "mc"),
    (0x1000_0000, "brd"),
    (0x0800_0000, "dst-nat"),
    (0x0080_0000, "src-nat"),
    (0x0040_0000, "masq"),
    (0x0002_0000, "dst-direct"),
    (0x0400_0000, "src-direct"),
    (0x0004_0000, "redirected"),
    (0x0100_0000, "redirect"),
    (0x0020_0000, "fastroute"),
    (0x0001_0000, "notify"),
    (0x0008_0000, "proxy"),
];

/// The answer of `ip route get`, as iproute2 prints it.
pub(super) fn lookup(l: &Lookup, links: &[Link]) -> String {
    let r = &l.route;
    let mut out = String::new();
    if r.kind != 1 {
        let _ = write!(out, "{} ", route::type_name(r.kind));
    }
    dst(&mut out, r);
    if let Some((src, len)) = l.src {
        if len == r.family.host_len() {
            let _ = write!(out, "from {src} ");
        } else {
            let _ = write!(out, "from {src}/{len} ");
        }
    }
    // iproute2 names no table in a lookup's answer.
    let omit = Omit {
        table: true,
        ..Omit::default()
    };
    // The cache bits are not route flags.
    let flags = r.flags;
    let bare = Route {
        flags: flags & 0xffff,
        ..r.clone()
    };
    middle(&mut out, &bare, links, omit);
    if let Some(uid) = l.uid {
        let _ = write!(out, "uid {uid} ");
    }
    if r.is_cloned() && r.family == route::Family::V4 {
        out.push_str("\n    cache ");
        let mut rest = flags & !0xffff;
        if rest != 0 {
            out.push('<');
            for (bit, name) in CACHE_FLAGS {
                if rest & bit != 0 {
                    rest &= !bit;
                    let _ = write!(out, "{name}{}", if rest != 0 { "," } else { "> " });
                }
            }
            if rest != 0 {
                let _ = write!(out, "{rest:#x}> ");
            }
        }
    }
    if l.expires != 0 {
        let _ = write!(out, "expires {}sec ", l.expires);
    }
    if l.error != 0 {
        let _ = write!(out, "error {} ", l.error as i32);
    }
    end(&mut out, &bare, l.iif, links);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_select_as_root_match_and_exact() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(same_bits(ip("10.5.1.1"), ip("10.5.0.0"), 16));
        assert!(!same_bits(ip("10.5.1.1"), ip("10.6.0.0"), 16));
        assert!(same_bits(ip("10.5.1.1"), ip("192.0.2.1"), 0));
        assert!(same_bits(ip("2001:db8::1"), ip("2001:db8::"), 64));
        assert!(!same_bits(ip("2001:db8::1"), ip("10.0.0.1"), 0));
    }
}
