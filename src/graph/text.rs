//! `graph`: a tree per namespace, its devices, bridges with their ports under them.

use super::{kind_word, ordered, peer_text, shown_addresses, state_word};
use crate::net::topology::Topology;
use std::fmt::Write;

/// ```text
/// root  net:[4026531840]
/// ├── br0  bridge up  10.0.0.1/24
/// │   └── v1  veth up  ⇄ h1/e1
/// └── lo  loopback up  127.0.0.1/8 ::1/128
/// ```
pub fn render(topo: &Topology) -> String {
    let mut out = String::new();
    for ns in &topo.namespaces {
        let _ = writeln!(out, "{}  net:[{}]", ns.name, ns.inode);
        let rows = ordered(ns);
        for (k, (d, depth)) in rows.iter().enumerate() {
            // Whether another row follows at this depth (or shallower) decides the branch.
            let last_at = |depth: usize, from: usize| {
                rows[from + 1..]
                    .iter()
                    .take_while(|(_, d2)| *d2 >= depth)
                    .all(|(_, d2)| *d2 > depth)
            };
            let mut line = String::new();
            if *depth == 1 {
                // The bridge's own branch continues while top-level rows follow.
                line.push_str(if last_at(0, k) { "    " } else { "│   " });
            }
            line.push_str(if last_at(*depth, k) {
                "└── "
            } else {
                "├── "
            });
            let _ = write!(line, "{}  {} {}", d.name, kind_word(d), state_word(d));
            if let Some(m) = &d.master {
                if *depth == 0 {
                    let _ = write!(line, "  master {m}");
                }
            }
            let addrs = shown_addresses(d);
            if !addrs.is_empty() {
                let _ = write!(line, "  {}", addrs.join(" "));
            }
            if let Some(p) = peer_text(ns, d) {
                let _ = write!(line, "  ⇄ {p}");
            }
            let _ = writeln!(out, "{line}");
        }
    }
    out
}
