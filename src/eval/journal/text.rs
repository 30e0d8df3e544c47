//! A journal entry as one line of text: a kind, then `key=value` words. Values are
//! `%`-escaped so that names with spaces (namespace names may hold them) keep a line one
//! entry of words; `forget` lines cancel the entry before them.

mod objects;

use super::{At, Entry, LinkAt};
use crate::net::Ns;
use crate::net::NsId;
use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;

/// A line being written.
struct Line(String);

impl Line {
    fn new(kind: &str) -> Self {
        Line(kind.to_string())
    }

    fn text(&mut self, key: &str, value: &str) {
        self.0.push_str(&format!(" {key}={}", esc(value)));
    }

    fn num(&mut self, key: &str, value: impl Display) {
        self.text(key, &value.to_string());
    }

    /// A value that may be absent: absent values are left out.
    fn opt(&mut self, key: &str, value: Option<impl Display>) {
        if let Some(v) = value {
            self.num(key, v);
        }
    }

    fn ns(&mut self, key: &str, ns: &Ns) {
        match ns {
            // Bare: a name's '@' is always escaped, so this cannot be a name.
            Ns::Root => self.0.push_str(&format!(" {key}=@root")),
            Ns::Named(n) => self.text(key, n),
        }
    }

    fn finish(self) -> String {
        self.0
    }
}

/// A line read back; values are kept as written, unescaped when read.
struct Fields {
    raw: HashMap<String, String>,
}

impl Fields {
    /// The kind and the fields of `line`; `None` if it is not a line of this form.
    fn parse(line: &str) -> Option<(String, Fields)> {
        let mut words = line.split(' ');
        let kind = words.next()?.to_string();
        let mut map = HashMap::new();
        for w in words {
            let (k, v) = w.split_once('=')?;
            map.insert(k.to_string(), v.to_string());
        }
        Some((kind, Fields { raw: map }))
    }

    fn text(&self, key: &str) -> Option<String> {
        self.raw.get(key).map(|v| unesc(v))
    }

    /// A field that must be there and parse.
    pub fn get<T: FromStr>(&self, key: &str) -> Option<T> {
        self.text(key)?.parse().ok()
    }

    /// A field that may be absent (`Some(None)`), but must parse when present.
    pub fn opt<T: FromStr>(&self, key: &str) -> Option<Option<T>> {
        match self.text(key) {
            None => Some(None),
            Some(v) => v.parse().ok().map(Some),
        }
    }

    fn ns(&self, key: &str) -> Option<Ns> {
        let v = self.raw.get(key)?;
        Some(if v == "@root" {
            Ns::Root
        } else {
            Ns::Named(unesc(v))
        })
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' | ' ' | '\n' | '\t' | '@' | '=' => out.push_str(&format!("%{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn unesc(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex: Vec<u8> = bytes.by_ref().take(2).collect();
            if let Some(n) = std::str::from_utf8(&hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(n);
            }
        } else {
            out.push(b);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A journal file's entries, with its `forget` lines applied.
pub(super) fn parse(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    for line in text.lines() {
        if line == "forget" {
            entries.pop();
        } else if let Some(e) = decode(line) {
            entries.push(e);
        }
    }
    entries
}

fn put_at(line: &mut Line, prefix: &str, at: &At) {
    line.ns(&format!("{prefix}ns"), &at.ns);
    line.num(&format!("{prefix}id"), at.id.0);
}

fn put_link(line: &mut Line, l: &LinkAt) {
    put_at(line, "", &l.at);
    line.num("index", l.index);
    line.text("name", &l.name);
}

/// A new line of `kind` about link `l`.
fn link_line(kind: &str, l: &LinkAt) -> Line {
    let mut line = Line::new(kind);
    put_link(&mut line, l);
    line
}

pub(super) fn encode(e: &Entry) -> String {
    let mut line;
    match e {
        Entry::Netns { name, id } | Entry::NetnsDeleted { name, id } => {
            line = Line::new(match e {
                Entry::Netns { .. } => "netns",
                _ => "netns-deleted",
            });
            line.text("name", name);
            line.num("id", id.0);
        }
        Entry::Link(l) | Entry::Peer(l) | Entry::LinkDeleted(l) => {
            line = link_line(
                match e {
                    Entry::Link(_) => "link",
                    Entry::Peer(_) => "peer",
                    _ => "link-deleted",
                },
                l,
            );
        }
        Entry::Addr { link, prefix } => {
            line = link_line("addr", link);
            line.opt("prefix", Some(prefix));
        }
        Entry::AddrSaved { link, addr } => {
            line = link_line("addr-saved", link);
            objects::put_addr(&mut line, addr);
        }
        Entry::Route { at, spec } => {
            line = Line::new("route");
            put_at(&mut line, "", at);
            objects::put_route_spec(&mut line, spec);
        }
        Entry::RouteSaved { at, route } => {
            line = Line::new("route-saved");
            put_at(&mut line, "", at);
            objects::put_route(&mut line, route);
        }
        Entry::Attrs { link, before } => {
            line = link_line("attrs", link);
            objects::put_attrs(&mut line, before);
        }
        Entry::Move { link, to, to_index } => {
            line = link_line("move", link);
            put_at(&mut line, "to_", to);
            line.num("to_index", *to_index);
        }
        Entry::Rename { link, to } => {
            line = link_line("rename", link);
            line.text("to", to);
        }
        Entry::Neigh { link, dst, proxy } => {
            line = link_line("neigh", link);
            line.num("dst", dst);
            line.opt("proxy", proxy.then_some(1));
        }
        Entry::NeighSaved { link, neigh } => {
            line = link_line("neigh-saved", link);
            objects::put_neigh(&mut line, neigh);
        }
        Entry::TunSaved { link, dev } => {
            line = link_line("tun-saved", link);
            objects::put_tun(&mut line, dev);
        }
    }
    line.finish()
}

fn get_at(f: &Fields, prefix: &str) -> Option<At> {
    Some(At {
        ns: f.ns(&format!("{prefix}ns"))?,
        id: NsId(f.get(&format!("{prefix}id"))?),
    })
}

fn get_link(f: &Fields) -> Option<LinkAt> {
    Some(LinkAt {
        at: get_at(f, "")?,
        index: f.get("index")?,
        name: f.text("name")?,
    })
}

fn decode(text: &str) -> Option<Entry> {
    let (kind, f) = Fields::parse(text)?;
    Some(match kind.as_str() {
        "netns" => Entry::Netns {
            name: f.text("name")?,
            id: NsId(f.get("id")?),
        },
        "netns-deleted" => Entry::NetnsDeleted {
            name: f.text("name")?,
            id: NsId(f.get("id")?),
        },
        "link" => Entry::Link(get_link(&f)?),
        "peer" => Entry::Peer(get_link(&f)?),
        "link-deleted" => Entry::LinkDeleted(get_link(&f)?),
        "addr" => Entry::Addr {
            link: get_link(&f)?,
            prefix: f.get("prefix")?,
        },
        "addr-saved" => {
            let link = get_link(&f)?;
            Entry::AddrSaved {
                addr: objects::get_addr(&f, link.index)?,
                link,
            }
        }
        "route" => Entry::Route {
            at: get_at(&f, "")?,
            spec: objects::get_route_spec(&f)?,
        },
        "route-saved" => Entry::RouteSaved {
            at: get_at(&f, "")?,
            route: objects::get_route(&f)?,
        },
        "attrs" => Entry::Attrs {
            link: get_link(&f)?,
            before: objects::get_attrs(&f)?,
        },
        "move" => Entry::Move {
            link: get_link(&f)?,
            to: get_at(&f, "to_")?,
            to_index: f.get("to_index")?,
        },
        "rename" => Entry::Rename {
            link: get_link(&f)?,
            to: f.text("to")?,
        },
        "neigh" => Entry::Neigh {
            link: get_link(&f)?,
            dst: f.get("dst")?,
            proxy: f.opt::<u8>("proxy")?.is_some(),
        },
        "tun-saved" => {
            let link = get_link(&f)?;
            Entry::TunSaved {
                dev: objects::get_tun(&f, link.index, &link.name)?,
                link,
            }
        }
        "neigh-saved" => {
            let link = get_link(&f)?;
            Entry::NeighSaved {
                neigh: objects::get_neigh(&f, link.index)?,
                link,
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::journal::Attrs;
    use crate::net::addr::Address;
    use crate::net::neighbours::Neighbour;
    use crate::net::route::{Family, Route, RouteExtra, RouteSpec};
    use crate::net::tuntap::TunDevice;

    fn at(ns: &str, id: u64) -> At {
        At::test(ns, id)
    }

    fn link(ns: &str, index: u32, name: &str) -> LinkAt {
        LinkAt::test(ns, 7, index, name)
    }

    #[test]
    fn entries_round_trip_through_text() {
        let entries = [
            Entry::Netns {
                name: "my lab@1%=".into(),
                id: NsId(4096),
            },
            Entry::NetnsDeleted {
                name: "red".into(),
                id: NsId(1),
            },
            Entry::Link(link("root", 3, "veth0")),
            Entry::LinkDeleted(link("red", 9, "b r")),
            Entry::Peer(link("red", 2, "veth1")),
            Entry::Addr {
                link: link("red", 2, "veth1"),
                prefix: "2001:db8::1/64".parse().unwrap(),
            },
            Entry::AddrSaved {
                link: link("root", 4, "v0"),
                addr: Address {
                    index: 4,
                    prefix: "10.1.1.1/24".parse().unwrap(),
                    peer: None,
                    broadcast: Some("10.1.1.255".parse().unwrap()),
                    scope: 0,
                    label: Some("v0:1".into()),
                    flags: 0x80,
                    valid_lft: None,
                    preferred_lft: None,
                },
            },
            Entry::Route {
                at: at("root", 1),
                spec: RouteSpec {
                    family: Family::V4,
                    dst: Some("10.2.0.0/24".parse().unwrap()),
                    gateway: Some("10.1.1.1".parse().unwrap()),
                    oif: None,
                    prefsrc: None,
                    metric: Some(7),
                    extra: RouteExtra {
                        table: Some(100),
                        kind: Some(6),
                        onlink: true,
                        mtu: Some(1400),
                        ..RouteExtra::default()
                    },
                    nexthops: vec![],
                },
            },
            Entry::RouteSaved {
                at: at("red", 2),
                route: Route {
                    family: Family::V6,
                    dst: None,
                    dst_len: 0,
                    gateway: Some("2001:db8::2".parse().unwrap()),
                    oif: Some(3),
                    prefsrc: None,
                    metric: Some(1024),
                    table: 254,
                    protocol: 3,
                    scope: 0,
                    kind: 1,
                    flags: 0,
                    pref: Some(0),
                    mtu: None,
                    nexthops: vec![
                        crate::net::route::NextHop {
                            gateway: Some("2001:db8::2".parse().unwrap()),
                            oif: 3,
                            weight: 2,
                            flags: 0,
                        },
                        crate::net::route::NextHop {
                            gateway: None,
                            oif: 4,
                            weight: 1,
                            flags: 4,
                        },
                    ],
                },
            },
            Entry::Attrs {
                link: link("root", 5, "br0"),
                before: Attrs {
                    up: Some(true),
                    mtu: None,
                    master: Some(0),
                    ..Attrs::default()
                },
            },
            Entry::Attrs {
                link: link("root", 6, "d0"),
                before: Attrs {
                    address: Some(vec![2, 0, 0, 0, 0, 0xaa]),
                    broadcast: Some(vec![]),
                    alias: Some("uplink to the lab".into()),
                    flags: Some((0x1180, 0x80)),
                    txqlen: Some(1000),
                    group: Some(0),
                    bridge: vec![
                        crate::net::link::BridgeOpt::StpState(0),
                        crate::net::link::BridgeOpt::VlanFiltering(true),
                    ],
                    altnames: Some(vec!["uplink0".into(), "eth-0.1".into()]),
                    ..Attrs::default()
                },
            },
            Entry::Attrs {
                link: link("root", 6, "d0"),
                before: Attrs {
                    alias: Some(String::new()),
                    altnames: Some(vec![]),
                    ..Attrs::default()
                },
            },
            Entry::Move {
                link: link("root", 5, "v1"),
                to: at("red", 9),
                to_index: 2,
            },
            Entry::Rename {
                link: link("root", 5, "a"),
                to: "b".into(),
            },
            Entry::TunSaved {
                link: link("red", 6, "tap0"),
                dev: TunDevice {
                    index: 6,
                    name: "tap0".into(),
                    flags: 0x1802,
                    owner: Some(1000),
                    group: None,
                },
            },
            Entry::Neigh {
                link: link("root", 0, ""),
                dst: "10.1.1.50".parse().unwrap(),
                proxy: true,
            },
            Entry::NeighSaved {
                link: link("red", 4, "v0"),
                neigh: Neighbour {
                    index: 4,
                    dst: "2001:db8::5".parse().unwrap(),
                    lladdr: Some(vec![2, 0, 0, 0, 0, 0xab]),
                    state: 0x80,
                    flags: 0x80,
                    refcnt: 0,
                },
            },
        ];
        for e in entries {
            assert_eq!(decode(&encode(&e)), Some(e));
        }
    }

    #[test]
    fn forget_lines_cancel_the_entries_before_them() {
        let made = Entry::Netns {
            name: "a".into(),
            id: NsId(1),
        };
        let text = format!("{}\n{}\nforget\n", encode(&made), encode(&made));
        assert_eq!(parse(&text), [made]);
    }
}
