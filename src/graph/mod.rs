//! Pictures of a [`Topology`]: a text tree, JSON, Graphviz DOT, Mermaid, and an SVG (or an
//! HTML page holding it) that vsh lays out itself. Knows nothing of the language or the
//! kernel: a topology in, text out.

mod dot;
mod json;
mod layout;
mod svg;
mod text;

use crate::net::topology::{Device, NsView, Topology};

/// How `graph` prints the topology.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Dot,
    Mermaid,
    Svg,
    Html,
}

impl Format {
    /// What `--format` accepts, for error messages.
    pub const EXPECTED: &'static str = "a format: text, json, dot, mermaid, svg or html";

    /// The format called `name` (`--format NAME`).
    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "text" => Format::Text,
            "json" => Format::Json,
            "dot" => Format::Dot,
            "mermaid" => Format::Mermaid,
            "svg" => Format::Svg,
            "html" => Format::Html,
            _ => return None,
        })
    }

    /// The format a file name's extension asks for (`-o lab.svg`), if it names one.
    pub fn of_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => Format::Text,
            "json" => Format::Json,
            "dot" | "gv" => Format::Dot,
            "mmd" | "mermaid" => Format::Mermaid,
            "svg" => Format::Svg,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }
}

/// The topology in `format`.
pub fn render(topo: &Topology, format: Format) -> String {
    match format {
        Format::Text => text::render(topo),
        Format::Json => json::render(topo),
        Format::Dot => dot::dot(topo),
        Format::Mermaid => dot::mermaid(topo),
        Format::Svg => svg::svg(topo),
        Format::Html => svg::html(topo),
    }
}

/// RT_SCOPE_LINK: fe80:: addresses, which every IPv6 link has; pictures leave them out.
const SCOPE_LINK: u8 = 253;

/// The addresses a picture shows: all but link-local ones.
fn shown_addresses(d: &Device) -> Vec<String> {
    d.addresses
        .iter()
        .filter(|a| a.scope != SCOPE_LINK)
        .map(|a| a.prefix.to_string())
        .collect()
}

/// What a device is, in a word: its kind, `loopback`, or `device`.
fn kind_word(d: &Device) -> &str {
    match &d.kind {
        Some(kind) => kind,
        None if d.loopback => "loopback",
        None => "device",
    }
}

fn state_word(d: &Device) -> &'static str {
    if d.up {
        "up"
    } else {
        "down"
    }
}

/// How the other end of a veth is named from `here`: `NAME` in the same namespace,
/// `NS/NAME` in another, `ifN (in a namespace not shown)` when its namespace is unknown.
fn peer_text(here: &NsView, d: &Device) -> Option<String> {
    let p = d.peer.as_ref()?;
    Some(match (&p.netns, &p.name) {
        (Some(ns), Some(name)) if *ns == here.name => name.clone(),
        (Some(ns), Some(name)) => format!("{ns}/{name}"),
        (Some(ns), None) => format!("{ns}/if{}", p.ifindex),
        _ => format!("if{} (in a namespace not shown)", p.ifindex),
    })
}

/// The devices of a namespace in the order pictures list them: each bridge followed by its
/// ports, then the other devices, loopback last; with each one's depth (1 for a port).
fn ordered(ns: &NsView) -> Vec<(&Device, usize)> {
    let mut out = Vec::with_capacity(ns.links.len());
    let is_port_of_shown_bridge = |d: &Device| {
        d.master
            .as_deref()
            .is_some_and(|m| ns.device(m).is_some_and(Device::is_bridge))
    };
    for d in ns.links.iter().filter(|d| d.is_bridge()) {
        if is_port_of_shown_bridge(d) {
            continue;
        }
        out.push((d, 0));
        out.extend(ns.ports(&d.name).map(|p| (p, 1)));
    }
    out.extend(
        ns.links
            .iter()
            .filter(|d| !d.is_bridge() && !d.loopback && !is_port_of_shown_bridge(d))
            .map(|d| (d, 0)),
    );
    out.extend(
        ns.links
            .iter()
            .filter(|d| d.loopback && !is_port_of_shown_bridge(d))
            .map(|d| (d, 0)),
    );
    // Whatever a rule above missed (a bridge enslaved to a bridge) still appears.
    for d in &ns.links {
        if !out.iter().any(|(o, _)| std::ptr::eq(*o, d)) {
            out.push((d, 0));
        }
    }
    out
}

/// A veth pair, found once: (namespace index, device index) of each end.
type Pair = ((usize, usize), (usize, usize));

/// Every veth pair whose two ends are both shown, once each.
fn veth_pairs(topo: &Topology) -> Vec<Pair> {
    let mut pairs = Vec::new();
    for (i, ns) in topo.namespaces.iter().enumerate() {
        for (a, d) in ns.links.iter().enumerate() {
            let Some(p) = &d.peer else { continue };
            let Some(j) = p
                .netns
                .as_ref()
                .and_then(|n| topo.namespaces.iter().position(|x| x.name == *n))
            else {
                continue;
            };
            let Some(b) = topo.namespaces[j]
                .links
                .iter()
                .position(|x| x.ifindex == p.ifindex)
            else {
                continue;
            };
            if (i, a) < (j, b) {
                pairs.push(((i, a), (j, b)));
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests;
