//! `graph --format json`: the documented schema, one link a line.
//!
//! `{"namespaces": [{"name", "id", "links": [{"name", "ifindex", "kind", "up", "master",
//! "addresses", "peer": {"netns", "name", "ifindex"} | null}]}]}`

use crate::net::topology::{Device, Topology};
use std::fmt::Write;

/// A JSON string literal.
pub(super) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn opt_string(s: Option<&str>) -> String {
    s.map_or_else(|| "null".into(), string)
}

fn link(d: &Device) -> String {
    let addresses: Vec<String> = d
        .addresses
        .iter()
        .map(|a| string(&a.prefix.to_string()))
        .collect();
    let peer = match &d.peer {
        None => "null".to_string(),
        Some(p) => format!(
            "{{\"netns\": {}, \"name\": {}, \"ifindex\": {}}}",
            opt_string(p.netns.as_deref()),
            opt_string(p.name.as_deref()),
            p.ifindex
        ),
    };
    format!(
        "{{\"name\": {}, \"ifindex\": {}, \"kind\": {}, \"up\": {}, \"master\": {}, \"addresses\": [{}], \"peer\": {}}}",
        string(&d.name),
        d.ifindex,
        opt_string(d.kind.as_deref()),
        d.up,
        opt_string(d.master.as_deref()),
        addresses.join(", "),
        peer
    )
}

pub fn render(topo: &Topology) -> String {
    let mut out = String::from("{\n  \"namespaces\": [");
    for (i, ns) in topo.namespaces.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        let _ = write!(
            out,
            "    {{\n      \"name\": {},\n      \"id\": {},\n      \"links\": [",
            string(&ns.name),
            ns.inode
        );
        for (k, d) in ns.links.iter().enumerate() {
            out.push_str(if k == 0 { "\n" } else { ",\n" });
            let _ = write!(out, "        {}", link(d));
        }
        out.push_str(if ns.links.is_empty() {
            "]"
        } else {
            "\n      ]"
        });
        out.push_str("\n    }");
    }
    out.push_str(if topo.namespaces.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}
