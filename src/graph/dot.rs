//! `graph --format dot` (Graphviz) and `--format mermaid`: namespaces as clusters, devices
//! as nodes (bridges drawn apart), ports joined to their bridge, veth pairs as edges
//! labelled with both ends' names.

use super::{kind_word, shown_addresses, state_word, veth_pairs};
use crate::net::topology::{Device, Topology};
use std::fmt::Write;

/// A node id: namespace index and device index, safe in both languages.
fn id(ns: usize, dev: usize) -> String {
    format!("n{ns}_{dev}")
}

/// The lines of a device's label: name, kind and state, addresses.
fn label_lines(d: &Device) -> Vec<String> {
    let mut lines = vec![
        d.name.clone(),
        format!("{} {}", kind_word(d), state_word(d)),
    ];
    lines.extend(shown_addresses(d));
    lines
}

/// A DOT string literal.
fn dot_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The device index, within its namespace, of the bridge `d` is a port of.
fn bridge_of(topo: &Topology, ns: usize, d: &Device) -> Option<usize> {
    let m = d.master.as_deref()?;
    topo.namespaces[ns]
        .links
        .iter()
        .position(|b| b.name == m && b.is_bridge())
}

/// The end of a veth whose peer is in no namespace shown: an id and a label for it.
fn lost_peer(ns: usize, dev: usize, d: &Device) -> Option<(String, String)> {
    let p = d.peer.as_ref()?;
    p.name.is_none().then(|| {
        (
            format!("lost{ns}_{dev}"),
            format!("if{}\\n(not shown)", p.ifindex),
        )
    })
}

pub fn dot(topo: &Topology) -> String {
    let mut out = String::from(
        "graph vsh {\n  rankdir=LR;\n  compound=true;\n  node [shape=box, style=\"rounded,filled\", fontname=\"monospace\", fontsize=10];\n  edge [fontname=\"monospace\", fontsize=9];\n",
    );
    for (i, ns) in topo.namespaces.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{i} {{\n    label={};\n    style=rounded;",
            dot_str(&format!("{}  net:[{}]", ns.name, ns.inode))
        );
        for (k, d) in ns.links.iter().enumerate() {
            let fill = match (d.up, d.is_bridge()) {
                (false, _) => "#eeeeee",
                (true, true) => "#bbdefb",
                (true, false) => "#c8e6c9",
            };
            let style = if d.up {
                "rounded,filled"
            } else {
                "rounded,filled,dashed"
            };
            let shape = if d.is_bridge() { "box3d" } else { "box" };
            let _ = writeln!(
                out,
                "    {} [label={}, shape={shape}, style={}, fillcolor={}];",
                id(i, k),
                dot_str(&label_lines(d).join("\n")).replace('\n', "\\n"),
                dot_str(style),
                dot_str(fill)
            );
        }
        out.push_str("  }\n");
    }
    for (i, ns) in topo.namespaces.iter().enumerate() {
        for (k, d) in ns.links.iter().enumerate() {
            if let Some(b) = bridge_of(topo, i, d) {
                let _ = writeln!(
                    out,
                    "  {} -- {} [label=\"port\", style=bold];",
                    id(i, b),
                    id(i, k)
                );
            }
            if let Some((lost, label)) = lost_peer(i, k, d) {
                let _ = writeln!(
                    out,
                    "  {lost} [label=\"{label}\", shape=plaintext, style=\"\"];\n  {} -- {lost} [label={}];",
                    id(i, k),
                    dot_str(&d.name)
                );
            }
        }
    }
    for ((i, a), (j, b)) in veth_pairs(topo) {
        let (da, db) = (&topo.namespaces[i].links[a], &topo.namespaces[j].links[b]);
        let _ = writeln!(
            out,
            "  {} -- {} [label={}, color=\"#6a1b9a\", penwidth=2];",
            id(i, a),
            id(j, b),
            dot_str(&format!("{} ⇄ {}", da.name, db.name))
        );
    }
    out.push_str("}\n");
    out
}

/// A Mermaid label: quotes and angle brackets as entities, lines joined with `<br/>`.
fn mermaid_str(lines: &[String]) -> String {
    let text: Vec<String> = lines
        .iter()
        .map(|l| {
            l.replace('"', "#quot;")
                .replace('<', "#lt;")
                .replace('>', "#gt;")
        })
        .collect();
    format!("\"{}\"", text.join("<br/>"))
}

pub fn mermaid(topo: &Topology) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut down = Vec::new();
    let mut bridges = Vec::new();
    for (i, ns) in topo.namespaces.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph ns{i}[{}]",
            mermaid_str(std::slice::from_ref(&ns.name))
        );
        for (k, d) in ns.links.iter().enumerate() {
            let label = mermaid_str(&label_lines(d));
            // A bridge is drawn as a hexagon, a device as a rounded box.
            if d.is_bridge() {
                let _ = writeln!(out, "    {}{{{{{label}}}}}", id(i, k));
                bridges.push(id(i, k));
            } else {
                let _ = writeln!(out, "    {}({label})", id(i, k));
            }
            if !d.up {
                down.push(id(i, k));
            }
        }
        out.push_str("  end\n");
    }
    for (i, ns) in topo.namespaces.iter().enumerate() {
        for (k, d) in ns.links.iter().enumerate() {
            if let Some(b) = bridge_of(topo, i, d) {
                let _ = writeln!(out, "  {} ---|port| {}", id(i, b), id(i, k));
            }
            if let Some((lost, _)) = lost_peer(i, k, d) {
                let p = d.peer.as_ref().map_or(0, |p| p.ifindex);
                let _ = writeln!(
                    out,
                    "  {} --- {lost}[{}]",
                    id(i, k),
                    mermaid_str(&[format!("if{p}"), "(not shown)".into()])
                );
            }
        }
    }
    for ((i, a), (j, b)) in veth_pairs(topo) {
        let (da, db) = (&topo.namespaces[i].links[a], &topo.namespaces[j].links[b]);
        let _ = writeln!(
            out,
            "  {} <-->|{}| {}",
            id(i, a),
            mermaid_str(&[format!("{} ⇄ {}", da.name, db.name)]),
            id(j, b)
        );
    }
    out.push_str("  classDef down stroke-dasharray:4 4,fill:#eeeeee;\n");
    out.push_str("  classDef bridge fill:#bbdefb;\n");
    if !bridges.is_empty() {
        let _ = writeln!(out, "  class {} bridge", bridges.join(","));
    }
    if !down.is_empty() {
        let _ = writeln!(out, "  class {} down", down.join(","));
    }
    out
}
