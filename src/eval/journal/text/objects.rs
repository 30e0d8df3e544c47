//! The objects some entries carry (an address, a route, a neighbour, a tun device, a link's
//! attributes), as words of a line and back. The entry's own words (kind, link) come first.

use super::{Fields, Line};
use crate::eval::journal::Attrs;
use crate::net::addr::Address;
use crate::net::neighbours::Neighbour;
use crate::net::nexthop::NextHops;
use crate::net::route::{Family, Route, RouteExtra, RouteSpec};
use crate::net::tuntap::TunDevice;

pub(super) fn put_addr(line: &mut Line, addr: &Address) {
    line.opt("prefix", Some(addr.prefix));
    line.opt("peer", addr.peer);
    line.opt("brd", addr.broadcast);
    line.num("scope", addr.scope);
    line.opt("label", addr.label.as_ref());
    line.num("flags", addr.flags);
}

/// The address of link `index`.
pub(super) fn get_addr(f: &Fields, index: u32) -> Option<Address> {
    Some(Address {
        index,
        prefix: f.get("prefix")?,
        peer: f.opt("peer")?,
        broadcast: f.opt("brd")?,
        scope: f.get("scope")?,
        label: f.opt("label")?,
        flags: f.get("flags")?,
        valid_lft: None,
        preferred_lft: None,
    })
}

pub(super) fn put_route_spec(line: &mut Line, spec: &RouteSpec) {
    line.num("family", family_number(spec.family));
    line.opt("dst", spec.dst);
    line.opt("via", spec.gateway);
    line.opt("oif", spec.oif);
    line.opt("src", spec.prefsrc);
    line.opt("metric", spec.metric);
    line.opt("table", spec.extra.table);
    line.opt("proto", spec.extra.protocol);
    line.opt("scope", spec.extra.scope);
    line.opt("type", spec.extra.kind);
    line.opt("onlink", spec.extra.onlink.then_some(1));
    line.opt("mtu", spec.extra.mtu);
    line.opt(
        "nh",
        (!spec.nexthops.is_empty()).then(|| NextHops(spec.nexthops.clone())),
    );
}

pub(super) fn get_route_spec(f: &Fields) -> Option<RouteSpec> {
    Some(RouteSpec {
        family: family_of(f.get("family")?)?,
        dst: f.opt("dst")?,
        gateway: f.opt("via")?,
        oif: f.opt("oif")?,
        prefsrc: f.opt("src")?,
        metric: f.opt("metric")?,
        extra: RouteExtra {
            table: f.opt("table")?,
            protocol: f.opt("proto")?,
            scope: f.opt("scope")?,
            kind: f.opt("type")?,
            onlink: f.opt::<u8>("onlink")?.is_some(),
            mtu: f.opt("mtu")?,
        },
        nexthops: f.opt::<NextHops>("nh")?.unwrap_or_default().0,
    })
}

pub(super) fn put_route(line: &mut Line, r: &Route) {
    line.num("family", family_number(r.family));
    line.opt("dst", r.dst);
    line.num("dst_len", r.dst_len);
    line.opt("via", r.gateway);
    line.opt("oif", r.oif);
    line.opt("src", r.prefsrc);
    line.opt("metric", r.metric);
    line.num("table", r.table);
    line.num("proto", r.protocol);
    line.num("scope", r.scope);
    line.num("type", r.kind);
    line.num("flags", r.flags);
    line.opt("pref", r.pref);
    line.opt("mtu", r.mtu);
    line.opt(
        "nh",
        (!r.nexthops.is_empty()).then(|| NextHops(r.nexthops.clone())),
    );
}

pub(super) fn get_route(f: &Fields) -> Option<Route> {
    Some(Route {
        family: family_of(f.get("family")?)?,
        dst: f.opt("dst")?,
        dst_len: f.get("dst_len")?,
        gateway: f.opt("via")?,
        oif: f.opt("oif")?,
        prefsrc: f.opt("src")?,
        metric: f.opt("metric")?,
        table: f.get("table")?,
        protocol: f.get("proto")?,
        scope: f.get("scope")?,
        kind: f.get("type")?,
        flags: f.get("flags")?,
        pref: f.opt("pref")?,
        mtu: f.opt("mtu")?,
        nexthops: f.opt::<NextHops>("nh")?.unwrap_or_default().0,
    })
}

pub(super) fn put_neigh(line: &mut Line, neigh: &Neighbour) {
    line.num("dst", neigh.dst);
    line.opt("lladdr", neigh.lladdr.as_ref().map(|l| hex(l)));
    line.num("state", neigh.state);
    line.num("flags", neigh.flags);
}

/// The neighbour on link `index`.
pub(super) fn get_neigh(f: &Fields, index: u32) -> Option<Neighbour> {
    Some(Neighbour {
        index,
        dst: f.get("dst")?,
        lladdr: match f.text("lladdr") {
            Some(h) => Some(unhex(&h)?),
            None => None,
        },
        state: f.get("state")?,
        flags: f.get("flags")?,
        refcnt: 0,
    })
}

pub(super) fn put_tun(line: &mut Line, dev: &TunDevice) {
    line.num("flags", dev.flags);
    line.opt("owner", dev.owner);
    line.opt("group", dev.group);
}

/// The tun device that is link `index` named `name`.
pub(super) fn get_tun(f: &Fields, index: u32, name: &str) -> Option<TunDevice> {
    Some(TunDevice {
        index,
        name: name.to_string(),
        flags: f.get("flags")?,
        owner: f.opt("owner")?,
        group: f.opt("group")?,
    })
}

/// The attributes a change touched.
pub(super) fn put_attrs(line: &mut Line, a: &Attrs) {
    line.opt("up", a.up.map(u8::from));
    line.opt("mtu", a.mtu);
    line.opt("master", a.master);
    if let Some(hw) = &a.address {
        line.text("hw", &hex(hw));
    }
    if let Some(brd) = &a.broadcast {
        line.text("hwbrd", &hex(brd));
    }
    if let Some(alias) = &a.alias {
        line.text("alias", alias);
    }
    if let Some((mask, flags)) = a.flags {
        line.num("flagmask", mask);
        line.num("flags", flags);
    }
    line.opt("txqlen", a.txqlen);
    line.opt("group", a.group);
    if !a.bridge.is_empty() {
        let opts: Vec<String> = a
            .bridge
            .iter()
            .map(|o| {
                let (name, value) = o.name_value();
                format!("{name}:{value}")
            })
            .collect();
        line.text("bridge", &opts.join("/"));
    }
    if let Some(names) = &a.altnames {
        // `/` is in no interface name.
        line.text("altnames", &names.join("/"));
    }
}

/// A link-layer address as hex digits, two a byte.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

pub(super) fn get_attrs(f: &Fields) -> Option<Attrs> {
    let flags = match (f.opt("flagmask")?, f.opt("flags")?) {
        (Some(mask), Some(flags)) => Some((mask, flags)),
        _ => None,
    };
    let bridge = match f.text("bridge") {
        None => vec![],
        Some(t) => t
            .split('/')
            .map(|kv| {
                let (k, v) = kv.split_once(':')?;
                crate::net::link::BridgeOpt::from_name_value(k, v.parse().ok()?)
            })
            .collect::<Option<Vec<_>>>()?,
    };
    Some(Attrs {
        up: f.opt::<u8>("up")?.map(|u| u != 0),
        mtu: f.opt("mtu")?,
        master: f.opt("master")?,
        address: f
            .text("hw")
            .map(|t| unhex(&t))
            .map_or(Some(None), |b| b.map(Some))?,
        broadcast: f
            .text("hwbrd")
            .map(|t| unhex(&t))
            .map_or(Some(None), |b| b.map(Some))?,
        alias: f.text("alias"),
        flags,
        txqlen: f.opt("txqlen")?,
        group: f.opt("group")?,
        bridge,
        altnames: f.text("altnames").map(|t| {
            t.split('/')
                .filter(|n| !n.is_empty())
                .map(String::from)
                .collect()
        }),
    })
}

fn family_number(f: Family) -> u8 {
    match f {
        Family::V4 => 4,
        Family::V6 => 6,
    }
}

fn family_of(n: u8) -> Option<Family> {
    match n {
        4 => Some(Family::V4),
        6 => Some(Family::V6),
        _ => None,
    }
}
