//! Listings in iproute2's familiar shapes (`ip link`, `ip addr`).

use crate::net::addr::Address;
use crate::net::link::Link;
use crate::net::{Namespaces, Ns};
use std::collections::HashMap;
use std::fmt::Write;
use std::net::IpAddr;

/// The names of the namespaces that links' IFLA_LINK_NETNSID values point to.
pub struct NsNames(HashMap<i32, String>);

impl NsNames {
    pub fn resolve(net: &mut Namespaces, ns: &Ns, links: &[Link]) -> Self {
        let mut names = HashMap::new();
        for id in links.iter().filter_map(|l| l.link_netnsid) {
            if let std::collections::hash_map::Entry::Vacant(e) = names.entry(id) {
                // An nsid with no /run/netns name is printed as a number, as ip does.
                if let Ok(Some(name)) = net.name_of_nsid(ns, id) {
                    e.insert(name);
                }
            }
        }
        NsNames(names)
    }
}

const IFF_UP: u32 = 0x1;
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

fn flags(l: &Link, links: &[Link]) -> String {
    let mut names = Vec::new();
    if l.flags & IFF_UP != 0 && l.flags & IFF_RUNNING == 0 {
        names.push("NO-CARRIER");
    }
    names.extend(
        FLAG_NAMES
            .iter()
            .filter(|(bit, _)| l.flags & bit != 0)
            .map(|(_, name)| *name),
    );
    // M-DOWN: the device this one sits on (a veth's peer here) is down.
    if let (Some(peer), None) = (l.link, l.link_netnsid) {
        if links
            .iter()
            .any(|p| p.index == peer && p.flags & IFF_UP == 0)
        {
            names.push("M-DOWN");
        }
    }
    format!("<{}>", names.join(","))
}

/// `3: veth0@veth1:` or `3: veth0@if7:` when the peer lives in another namespace.
pub(super) fn title(l: &Link, links: &[Link]) -> String {
    let at = match (l.link, l.link_netnsid) {
        (Some(i), None) if i != 0 && i != l.index => links
            .iter()
            .find(|p| p.index == i)
            .map(|p| format!("@{}", p.name))
            .unwrap_or_else(|| format!("@if{i}")),
        (Some(i), Some(_)) if i != 0 => format!("@if{i}"),
        _ => String::new(),
    };
    format!("{}: {}{at}: {}", l.index, l.name, flags(l, links))
}

fn common(l: &Link, links: &[Link], mode: bool) -> String {
    let mut out = format!("{} mtu {}", title(l, links), l.mtu);
    if let Some(q) = &l.qdisc {
        let _ = write!(out, " qdisc {q}");
    }
    if let Some(m) = l.master {
        match links.iter().find(|p| p.index == m) {
            Some(p) => {
                let _ = write!(out, " master {}", p.name);
            }
            None => {
                let _ = write!(out, " master if{m}");
            }
        }
    }
    let _ = write!(out, " state {}", l.operstate);
    if mode {
        out.push_str(" mode DEFAULT");
    }
    match l.group {
        0 => out.push_str(" group default"),
        g => {
            let _ = write!(out, " group {g}");
        }
    }
    let _ = writeln!(out, " qlen {}", l.txqlen);
    out
}

fn mac(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn link_layer(l: &Link, names: &NsNames) -> String {
    let kind = match l.link_type {
        1 => "ether".to_string(),
        772 => "loopback".to_string(),
        65534 => "none".to_string(),
        n => format!("[{n}]"),
    };
    let mut out = format!("    link/{kind}");
    if let Some(a) = &l.mac {
        let _ = write!(out, " {}", mac(a));
    }
    if let Some(b) = &l.broadcast {
        let _ = write!(out, " brd {}", mac(b));
    }
    if let Some(id) = l.link_netnsid {
        match names.0.get(&id) {
            Some(name) => {
                let _ = write!(out, " link-netns {name}");
            }
            None => {
                let _ = write!(out, " link-netnsid {id}");
            }
        }
    }
    out.push('\n');
    out
}

/// One link as `ip link show` prints it.
pub fn link(l: &Link, links: &[Link], names: &NsNames) -> String {
    common(l, links, true) + &link_layer(l, names) + &names_lines(l, true)
}

/// `    alias TEXT` (`ip link` only) and one `    altname NAME` line each, as iproute2 prints
/// them after the link layer.
fn names_lines(l: &Link, with_alias: bool) -> String {
    let mut out = String::new();
    if let (true, Some(alias)) = (with_alias, &l.alias) {
        let _ = writeln!(out, "    alias {alias}");
    }
    for name in &l.altnames {
        let _ = writeln!(out, "    altname {name}");
    }
    out
}

fn lifetime(t: Option<u32>) -> String {
    match t {
        None | Some(u32::MAX) => "forever".into(),
        Some(s) => format!("{s}sec"),
    }
}

/// One link and its addresses as `ip addr show` prints them.
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

/// An address's flags as iproute2 prints them, each followed by a blank: `dynamic` for one
/// that is not permanent, `temporary` for an IPv6 secondary.
fn addr_flags(a: &Address) -> String {
    let mut out = String::new();
    let mut flags = a.flags;
    for (bit, name) in IFA_FLAG_NAMES.iter().enumerate() {
        let mask = 1u32 << bit;
        if name == &"permanent" {
            if flags & mask == 0 {
                out.push_str("dynamic ");
            }
        } else if flags & mask != 0 {
            let name = match (name, a.prefix.addr.is_ipv6()) {
                (&"secondary", true) => "temporary",
                _ => name,
            };
            let _ = write!(out, "{name} ");
        }
        flags &= !mask;
    }
    if flags != 0 {
        let _ = write!(out, "flags {flags:02x} ");
    }
    out
}

pub fn addr(l: &Link, links: &[Link], addrs: &[Address], names: &NsNames) -> String {
    addr_of_family(l, links, addrs, names, AddrHeader::Full)
}

/// What `addr show` prints above a link's addresses, as iproute2 chooses by its selectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddrHeader {
    /// The link line and the link-layer line: no selector of addresses.
    Full,
    /// The link line only: a family, or `to PREFIX`.
    Family,
    /// The link line of an IPv6 link dump (`ip -6 addr`): no qdisc, master or group.
    Inet6,
    /// Nothing: `label PATTERN`.
    Bare,
}

/// As [`addr`], under the header iproute2's selectors leave.
pub fn addr_of_family(
    l: &Link,
    links: &[Link],
    addrs: &[Address],
    names: &NsNames,
    header: AddrHeader,
) -> String {
    let mut out = match header {
        AddrHeader::Full => {
            common(l, links, false) + &link_layer(l, names) + &names_lines(l, false)
        }
        AddrHeader::Family => common(l, links, false),
        AddrHeader::Inet6 => format!(
            "{} mtu {} state {} qlen {}\n",
            title(l, links),
            l.mtu,
            l.operstate,
            l.txqlen
        ),
        AddrHeader::Bare => String::new(),
    };
    for a in addrs.iter().filter(|a| a.index == l.index) {
        let family = match a.prefix.addr {
            IpAddr::V4(_) => "inet",
            IpAddr::V6(_) => "inet6",
        };
        let _ = write!(out, "    {family} {}", a.prefix);
        if let Some(b) = a.broadcast {
            let _ = write!(out, " brd {b}");
        }
        // Every word ends in a blank, as iproute2 prints them: `inet6` lines end in one.
        let _ = write!(out, " scope {} ", crate::net::route::scope_name(a.scope));
        out.push_str(&addr_flags(a));
        if a.prefix.addr.is_ipv4() {
            out.push_str(a.label.as_deref().unwrap_or(&l.name));
        }
        let _ = writeln!(
            out,
            "\n       valid_lft {} preferred_lft {}",
            lifetime(a.valid_lft),
            lifetime(a.preferred_lft)
        );
    }
    out
}
