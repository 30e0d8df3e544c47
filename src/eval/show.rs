//! Listings byte for byte as iproute2 6.1 prints them (`ip link`, `ip addr`, `ip route`,
//! `ip netns`, `bridge link`), in its default text and with its output options (`-j`, `-p`,
//! `-br`, `-o`, `-s`, `-d`, `-c`). Pure functions from the dumped state to text: the
//! evaluator dumps, these format, and the caller prints.

mod addrs;
mod bridge;
mod bridge_port;
mod details;
mod links;
mod ports;
mod printer;
mod routes;
mod stats;
mod vxlan;

use crate::net::addr::Address;
use crate::net::bridge::BridgePort;
use crate::net::link::Link;
use crate::net::netns::NetnsEntry;
use crate::net::route::Route;
use crate::net::{Namespaces, Ns};
use crate::syntax::ast::{OutputOpts, Word};
use printer::Printer;
use std::collections::HashMap;

/// The output options of the `ip` or `bridge` line being run, the line itself (run as the
/// real program when vsh cannot print what it asks), and the namespace it was written in.
#[derive(Clone, Debug)]
pub struct Shown {
    pub opts: OutputOpts,
    pub argv: Vec<Word>,
    pub ns: Ns,
}

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

/// Whether `ip -d link` would print each of these links as iproute2 does: a kind whose
/// parameters vsh does not read must run the real `ip` instead.
pub fn details_printable(shown: &[&Link]) -> bool {
    shown.iter().all(|l| details::printable(l))
}

/// `ip [OPTIONS] link show`: `shown` of all the namespace's `links`.
pub fn links(shown: &[&Link], links: &[Link], names: &NsNames, opts: &OutputOpts) -> String {
    let mut p = Printer::new(opts);
    p.begin_list();
    for l in shown {
        if opts.brief {
            links::brief_link(&mut p, l, links);
        } else {
            links::link(&mut p, l, links, names, opts);
        }
    }
    p.end_list();
    p.finish()
}

/// `ip [OPTIONS] addr show`: `shown` of all the namespace's `links`, each with its addresses
/// of the family asked for. With a family, a link with no such address is left out. `dump`:
/// the listing was of every device (iproute2 then reads `-6`'s links from IPv6's own dump,
/// which says less than the one device it asks for with `dev`). `up`: running devices only;
/// as iproute2, JSON still has an empty object for each other one.
pub fn addrs(
    shown: &[&Link],
    links: &[Link],
    all: &[Address],
    names: &NsNames,
    opts: &OutputOpts,
    dump: bool,
    up: bool,
) -> String {
    let mut p = Printer::new(opts);
    p.begin_list();
    for l in shown {
        let mine: Vec<&Address> = all
            .iter()
            .filter(|a| a.index == l.index && addrs::of_family(a, opts.family))
            .collect();
        if opts.family.is_some() && mine.is_empty() {
            continue;
        }
        if up && !l.is_up() {
            p.open_obj(None);
            p.close_obj();
            continue;
        }
        if opts.brief {
            addrs::brief(&mut p, l, links, &mine);
        } else if opts.oneline {
            addrs::oneline(&mut p, l, &mine);
        } else {
            addrs::link_addrs(&mut p, l, links, &mine, names, opts, dump);
        }
    }
    p.end_list();
    p.finish()
}

/// `addr show label PATTERN`: the addresses alone, as iproute2 prints what a label selects.
pub fn addr_lines(shown: &[&Link], all: &[Address], opts: &OutputOpts) -> String {
    let mut p = Printer::new(opts);
    p.begin_list();
    for l in shown {
        for a in all.iter().filter(|a| a.index == l.index) {
            p.open_obj(None);
            addrs::addr(&mut p, a, &l.name, false);
            p.close_obj();
        }
    }
    p.end_list();
    p.finish()
}

/// `ip -j [-p] route show`: the routes (of the listing's own choosing) as JSON. `dev`: the
/// listing was of one device, which is then left unsaid.
pub fn routes_json(routes: &[&Route], links: &[Link], dev: bool, opts: &OutputOpts) -> String {
    let mut p = Printer::new(opts);
    p.begin_list();
    for r in routes {
        routes::route(&mut p, r, links, !dev, true);
    }
    p.end_list();
    p.finish()
}

/// `ip [-j] netns list`: `name (id: N)`. Without /run/netns, iproute2 prints nothing at
/// all, not even JSON's `[]`.
pub fn netns(entries: &[NetnsEntry], dir_exists: bool, opts: &OutputOpts) -> String {
    let mut p = Printer::new(opts);
    if !dir_exists {
        return String::new();
    }
    p.begin_list();
    for e in entries {
        p.open_obj(None);
        p.str("name", &e.name, &e.name);
        if let Some(id) = e.id {
            p.num("id", id, &format!(" (id: {id})"));
        }
        p.fp("\n");
        p.close_obj();
    }
    p.end_list();
    p.finish()
}

/// `bridge [-j] link`: each port with its link.
pub fn bridge_ports(ports: &[(&BridgePort, &Link)], links: &[Link], opts: &OutputOpts) -> String {
    let mut p = Printer::new(opts);
    p.begin_list();
    for (port, l) in ports {
        ports::port(&mut p, port, l, links);
    }
    p.end_list();
    p.finish()
}
