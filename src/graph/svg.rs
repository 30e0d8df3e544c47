//! `graph --format svg` and `--format html`: the picture, drawn from [`super::layout`].
//! Namespaces are boxes, devices boxes inside them (green when up, grey and dashed when
//! down, a bridge blue with its ports under it), veth pairs curves labelled with both ends.
//! Hovering a device shows everything known about it; the HTML page holds the same SVG
//! inline and a table of the devices, with no script and nothing fetched.

use super::layout::{layout, title_line, Layout, CHAR_W, DEV_H, MARGIN, SMALL_CHAR_W};
use super::{kind_word, peer_text, shown_addresses, state_word, veth_pairs};
use crate::net::topology::{Device, NsView, Topology};
use crate::xml::escape as esc;
use std::fmt::Write;

fn mac_text(mac: &[u8]) -> String {
    mac.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Everything about a device, for its hover text.
fn details(ns: &NsView, d: &Device) -> String {
    let mut lines = vec![
        format!("{}/{} (ifindex {})", ns.name, d.name, d.ifindex),
        format!("{} {}, state {}", kind_word(d), state_word(d), d.operstate),
    ];
    if let Some(m) = &d.master {
        lines.push(format!("port of {m}"));
    }
    if let Some(p) = peer_text(ns, d) {
        lines.push(format!("veth peer {p}"));
    }
    if let Some(mac) = &d.mac {
        lines.push(format!("mac {}", mac_text(mac)));
    }
    for a in &d.addresses {
        lines.push(format!("inet {}", a.prefix));
    }
    lines.join("\n")
}

const STYLE: &str = ".ns rect{fill:#fafafa;stroke:#546e7a;stroke-width:1.5}\
.dev rect{stroke-width:1.5}.dev.up rect{fill:#e8f5e9;stroke:#2e7d32}\
.dev.up.bridge rect{fill:#e3f2fd;stroke:#1565c0}\
.dev.down rect{fill:#f5f5f5;stroke:#9e9e9e;stroke-dasharray:4 3}\
.dev:hover rect{stroke-width:3}.dev.down text{fill:#757575}\
.veth{fill:none;stroke:#6a1b9a;stroke-width:2}.port{fill:none;stroke:#1565c0;stroke-width:2}\
.lost{fill:none;stroke:#9e9e9e;stroke-width:1.5;stroke-dasharray:3 3}\
.label{font-size:10px;fill:#4a148c;paint-order:stroke;stroke:#fff;stroke-width:4px}\
.addr{font-size:10px;fill:#37474f}.title{font-size:13px;font-weight:bold}\
.inode{font-size:10px;fill:#78909c}";

/// The `<svg>` element alone.
pub fn svg(topo: &Topology) -> String {
    let l = layout(topo);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" font-family=\"monospace\" font-size=\"12\">\n<style>{STYLE}</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        w = l.width,
        h = l.height
    );
    for (i, ns) in topo.namespaces.iter().enumerate() {
        namespace(&mut out, &l, i, ns);
    }
    links(&mut out, topo, &l);
    out.push_str("</svg>\n");
    out
}

fn namespace(out: &mut String, l: &Layout, i: usize, ns: &NsView) {
    let b = &l.namespaces[i];
    let _ = writeln!(
        out,
        "<g class=\"ns\" id=\"ns{i}\"><title>namespace {} net:[{}]</title>\n<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"10\"/>\n<text class=\"title\" x=\"{:.1}\" y=\"{:.1}\">{}</text><text class=\"inode\" x=\"{:.1}\" y=\"{:.1}\">net:[{}]</text></g>",
        esc(&ns.name),
        ns.inode,
        b.x,
        b.y,
        b.w,
        b.h,
        b.x + 14.0,
        b.y + 21.0,
        esc(&ns.name),
        b.x + 14.0 + (ns.name.chars().count() as f64 + 2.0) * CHAR_W,
        b.y + 21.0,
        ns.inode
    );
    for db in &b.devices {
        let d = &ns.links[db.dev];
        let mut class = format!("dev {}", state_word(d));
        if d.is_bridge() {
            class.push_str(" bridge");
        }
        let _ = writeln!(
            out,
            "<g class=\"{class}\" id=\"d{i}_{}\"><title>{}</title>\n<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{DEV_H}\" rx=\"5\"/>\n<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{}\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            db.dev,
            esc(&details(ns, d)),
            db.x,
            db.y,
            db.w,
            db.x + db.w - 9.0,
            db.y + 9.0,
            if d.up { "#43a047" } else { "#e53935" },
            db.x + 8.0,
            db.y + 16.0,
            esc(&title_line(d))
        );
        let addrs = shown_addresses(d);
        if !addrs.is_empty() {
            let _ = writeln!(
                out,
                "<text class=\"addr\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                db.x + 8.0,
                db.y + 31.0,
                esc(&addrs.join("  "))
            );
        }
        out.push_str("</g>\n");
    }
}

/// Ports to their bridges, veth pairs, and veths whose peer is not shown.
fn links(out: &mut String, topo: &Topology, l: &Layout) {
    ports(out, topo, l);
    pairs(out, topo, l);
}

/// Ports to their bridges, and a stub for each veth whose peer is not shown.
fn ports(out: &mut String, topo: &Topology, l: &Layout) {
    for (i, ns) in topo.namespaces.iter().enumerate() {
        for db in &l.namespaces[i].devices {
            let d = &ns.links[db.dev];
            let bridge = d.master.as_deref().and_then(|m| {
                ns.links
                    .iter()
                    .position(|x| x.name == m && x.is_bridge())
                    .and_then(|k| l.device(i, k))
            });
            if let Some(bb) = bridge {
                let x = bb.x + 12.0;
                let _ = writeln!(
                    out,
                    "<path class=\"port\" d=\"M{x:.1},{:.1} V{:.1} H{:.1}\"/>",
                    bb.y + DEV_H,
                    db.y + DEV_H / 2.0,
                    db.x
                );
            }
            if let Some(p) = d.peer.as_ref().filter(|p| p.name.is_none()) {
                let (x, y) = (db.x + db.w, db.y + DEV_H / 2.0);
                let _ = writeln!(
                    out,
                    "<path class=\"lost\" d=\"M{x:.1},{y:.1} h40\"/><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\">if{} (not shown)</text>",
                    x + 44.0,
                    y + 4.0,
                    p.ifindex
                );
            }
        }
    }
}

/// Each veth pair, a labelled curve between its ends.
fn pairs(out: &mut String, topo: &Topology, l: &Layout) {
    for ((i, a), (j, b)) in veth_pairs(topo) {
        let (Some(ba), Some(bb)) = (l.device(i, a), l.device(j, b)) else {
            continue;
        };
        let (ca, cb) = (l.namespaces[i].column, l.namespaces[j].column);
        let (na, nb) = (
            &topo.namespaces[i].links[a].name,
            &topo.namespaces[j].links[b].name,
        );
        // Left end first; in one column, both ends leave from the right side.
        let ((x1, y1, n1), (x2, y2, n2)) = if ca == cb {
            (
                (ba.x + ba.w, ba.y + DEV_H / 2.0, na),
                (bb.x + bb.w, bb.y + DEV_H / 2.0, nb),
            )
        } else if ca < cb {
            (
                (ba.x + ba.w, ba.y + DEV_H / 2.0, na),
                (bb.x, bb.y + DEV_H / 2.0, nb),
            )
        } else {
            (
                (bb.x + bb.w, bb.y + DEV_H / 2.0, nb),
                (ba.x, ba.y + DEV_H / 2.0, na),
            )
        };
        let (c1, c2) = if ca == cb {
            let far = x1.max(x2) + 70.0;
            ((far, y1), (far, y2))
        } else {
            let mid = (x1 + x2) / 2.0;
            ((mid, y1), (mid, y2))
        };
        // The curve's midpoint, B(1/2) of the cubic Bézier.
        let mx = (x1 + 3.0 * c1.0 + 3.0 * c2.0 + x2) / 8.0;
        let my = (y1 + 3.0 * c1.1 + 3.0 * c2.1 + y2) / 8.0;
        let label = format!("{n1} ⇄ {n2}");
        let lx = mx - label.chars().count() as f64 * SMALL_CHAR_W / 2.0;
        let _ = writeln!(
            out,
            "<g class=\"pair\"><title>veth pair {} ⇄ {}</title><path class=\"veth\" d=\"M{x1:.1},{y1:.1} C{:.1},{:.1} {:.1},{:.1} {x2:.1},{y2:.1}\"/><text class=\"label\" x=\"{lx:.1}\" y=\"{:.1}\">{}</text></g>",
            esc(&format!("{}/{na}", topo.namespaces[i].name)),
            esc(&format!("{}/{nb}", topo.namespaces[j].name)),
            c1.0,
            c1.1,
            c2.0,
            c2.1,
            my - 4.0,
            esc(&label)
        );
    }
}

/// A whole HTML page: a heading, the SVG inline, and a table of every device.
pub fn html(topo: &Topology) -> String {
    let devices: usize = topo.namespaces.iter().map(|n| n.links.len()).sum();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>vsh graph</title>\n<style>body{{font-family:sans-serif;margin:{MARGIN}px;color:#263238}}\
table{{border-collapse:collapse;margin-top:1em;font-family:monospace;font-size:12px}}\
td,th{{border:1px solid #cfd8dc;padding:2px 8px;text-align:left}}tr.down{{color:#9e9e9e}}</style>\n</head>\n<body>\n<h1>vsh graph</h1>\n<p>{} namespaces, {devices} devices. Hover over a device for its details.</p>\n",
        topo.namespaces.len()
    );
    out.push_str(&svg(topo));
    out.push_str("<table>\n<tr><th>namespace</th><th>device</th><th>kind</th><th>state</th><th>master</th><th>peer</th><th>addresses</th></tr>\n");
    for ns in &topo.namespaces {
        for d in &ns.links {
            let _ = writeln!(
                out,
                "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                state_word(d),
                esc(&ns.name),
                esc(&d.name),
                esc(kind_word(d)),
                state_word(d),
                esc(d.master.as_deref().unwrap_or("")),
                esc(&peer_text(ns, d).unwrap_or_default()),
                esc(&shown_addresses(d).join(" "))
            );
        }
    }
    out.push_str("</table>\n</body>\n</html>\n");
    out
}
