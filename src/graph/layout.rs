//! Where each namespace box and device box goes in the picture: a simple layered layout.
//!
//! Namespaces joined by veth pairs form a graph. Each connected part (a band of its own, one
//! under the other; namespaces joined to none come last, four to a row) is walked breadth-first
//! from its hub (the namespace with the most pairs to others, usually the one holding the
//! bridge), and each step away is a column, left to right. Within a column, namespaces are
//! sorted by the mean position of their neighbours in the column before (the barycenter
//! heuristic), which keeps most veth lines from crossing. Inside a namespace box, devices
//! are stacked: each bridge with its ports indented under it, then the rest.

use super::{kind_word, ordered, shown_addresses, state_word, veth_pairs, Pair};
use crate::net::topology::{Device, NsView, Topology};

/// Height of a device box: a name line and an address line.
pub const DEV_H: f64 = 38.0;
const DEV_GAP: f64 = 10.0;
/// Room above the first device for the namespace's title.
const NS_HEAD: f64 = 34.0;
const NS_PAD: f64 = 14.0;
const NS_GAP: f64 = 30.0;
/// Room between columns for the veth lines and their labels.
const COL_GAP: f64 = 190.0;
const PORT_INDENT: f64 = 26.0;
pub const MARGIN: f64 = 20.0;
/// Widths of a character at the picture's two monospace font sizes (12 and 10 px).
pub const CHAR_W: f64 = 7.3;
pub const SMALL_CHAR_W: f64 = 6.1;

/// A device's box.
pub struct DevBox {
    /// The device's index in its namespace's links.
    pub dev: usize,
    pub x: f64,
    pub y: f64,
    pub w: f64,
}

/// A namespace's box and its devices'.
pub struct NsBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Which column it is in.
    pub column: usize,
    pub devices: Vec<DevBox>,
}

/// The whole picture: one box per namespace, in the topology's order.
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub namespaces: Vec<NsBox>,
}

impl Layout {
    /// The box of device `dev` of namespace `ns`.
    pub fn device(&self, ns: usize, dev: usize) -> Option<&DevBox> {
        self.namespaces[ns].devices.iter().find(|d| d.dev == dev)
    }
}

/// The first line of a device box: name, kind, state.
pub fn title_line(d: &Device) -> String {
    format!("{}  {} {}", d.name, kind_word(d), state_word(d))
}

fn device_width(d: &Device) -> f64 {
    let title = title_line(d).chars().count() as f64 * CHAR_W;
    let addrs = shown_addresses(d).join("  ").chars().count() as f64 * SMALL_CHAR_W;
    (title.max(addrs) + 24.0).max(130.0)
}

/// A band: the columns of one connected part, each a list of namespace indices in drawing
/// order.
type Band = Vec<Vec<usize>>;

/// The bands, top to bottom: each part joined by veth pairs (the root's first), then every
/// namespace joined to none, side by side in one last band.
fn bands(topo: &Topology) -> Vec<Band> {
    let n = topo.namespaces.len();
    let pairs = veth_pairs(topo);
    let mut adj = vec![Vec::new(); n];
    for &((i, _), (j, _)) in &pairs {
        if i != j {
            adj[i].push(j);
            adj[j].push(i);
        }
    }
    let rows = device_rows(topo);
    let mut depth = vec![usize::MAX; n];
    let mut bands = Vec::new();
    let mut alone = Vec::new();
    for start in 0..n {
        if depth[start] != usize::MAX {
            continue;
        }
        if adj[start].is_empty() {
            depth[start] = 0;
            alone.push(vec![start]);
            continue;
        }
        // The part `start` is in, then its hub.
        let part = part_of(start, &adj);
        let hub = part
            .iter()
            .copied()
            .max_by_key(|&i| (adj[i].len(), std::cmp::Reverse(i)))
            .unwrap_or(start);
        depth[hub] = 0;
        let mut columns: Band = Vec::new();
        let mut queue = std::collections::VecDeque::from([hub]);
        while let Some(i) = queue.pop_front() {
            if columns.len() <= depth[i] {
                columns.resize(depth[i] + 1, Vec::new());
            }
            columns[depth[i]].push(i);
            for &m in &adj[i] {
                if depth[m] == usize::MAX {
                    depth[m] = depth[i] + 1;
                    queue.push_back(m);
                }
            }
        }
        order_columns(&mut columns, &pairs, &rows);
        bands.push(columns);
    }
    // Four to a row, so that many lone namespaces do not make the picture wide.
    bands.extend(alone.chunks(4).map(<[_]>::to_vec));
    bands
}

/// Each device's row in its namespace's box, for ordering by where lines leave.
fn device_rows(topo: &Topology) -> Vec<Vec<usize>> {
    topo.namespaces
        .iter()
        .map(|ns| {
            let order = ordered(ns);
            (0..ns.links.len())
                .map(|k| {
                    order
                        .iter()
                        .position(|(d, _)| std::ptr::eq(*d, &ns.links[k]))
                        .unwrap_or(k)
                })
                .collect()
        })
        .collect()
}

/// The namespaces joined to `start` by veth pairs, directly or not, `start` first.
fn part_of(start: usize, adj: &[Vec<usize>]) -> Vec<usize> {
    let mut part = vec![start];
    let mut seen = vec![false; adj.len()];
    seen[start] = true;
    let mut k = 0;
    while k < part.len() {
        for &m in &adj[part[k]] {
            if !seen[m] {
                seen[m] = true;
                part.push(m);
            }
        }
        k += 1;
    }
    part
}

/// Barycenter ordering, column by column: by the rows its lines leave from in the column
/// before.
fn order_columns(columns: &mut Band, pairs: &[Pair], rows: &[Vec<usize>]) {
    for c in 1..columns.len() {
        let prev = columns[c - 1].clone();
        let rank = |m: usize| -> f64 {
            let pos: Vec<f64> = pairs
                .iter()
                .flat_map(|&(a, b)| [(a, b), (b, a)])
                .filter(|&((x, _), _)| x == m)
                .filter_map(|(_, (i, d))| {
                    let p = prev.iter().position(|&q| q == i)?;
                    Some((p * 10_000 + rows[i][d]) as f64)
                })
                .collect();
            if pos.is_empty() {
                f64::MAX
            } else {
                pos.iter().sum::<f64>() / pos.len() as f64
            }
        };
        columns[c].sort_by(|&a, &b| rank(a).total_cmp(&rank(b)));
    }
}

/// A namespace's box, sized to its title and devices (ports indented under their bridge),
/// placed at the origin.
fn sized(ns: &NsView) -> NsBox {
    let title = (ns.name.chars().count() as f64 + 2.0) * CHAR_W
        + format!("net:[{}]", ns.inode).len() as f64 * SMALL_CHAR_W;
    let mut devices = Vec::new();
    let mut w: f64 = title + 2.0 * NS_PAD;
    let mut y = NS_HEAD;
    for (d, depth) in ordered(ns) {
        let dev = ns
            .links
            .iter()
            .position(|x| std::ptr::eq(x, d))
            .unwrap_or(0);
        let indent = PORT_INDENT * depth as f64;
        let dw = device_width(d);
        w = w.max(dw + indent + 2.0 * NS_PAD);
        devices.push(DevBox {
            dev,
            x: NS_PAD + indent,
            y,
            w: dw,
        });
        y += DEV_H + DEV_GAP;
    }
    let h = (y - DEV_GAP + NS_PAD).max(NS_HEAD + NS_PAD);
    NsBox {
        x: 0.0,
        y: 0.0,
        w,
        h,
        column: 0,
        devices,
    }
}

pub fn layout(topo: &Topology) -> Layout {
    // Sizes first.
    let mut boxes: Vec<Option<NsBox>> = topo.namespaces.iter().map(|ns| Some(sized(ns))).collect();
    // Then places: band under band; in a band, columns left to right, each centred on the
    // band's tallest.
    let mut top = MARGIN;
    let mut width: f64 = 0.0;
    let mut column_base = 0;
    for band in bands(topo) {
        let size = |i: usize, f: fn(&NsBox) -> f64| boxes[i].as_ref().map_or(0.0, f);
        let col_w: Vec<f64> = band
            .iter()
            .map(|col| col.iter().map(|&i| size(i, |b| b.w)).fold(0.0, f64::max))
            .collect();
        let col_h: Vec<f64> = band
            .iter()
            .map(|col| col.iter().map(|&i| size(i, |b| b.h) + NS_GAP).sum::<f64>() - NS_GAP)
            .collect();
        let tallest = col_h.iter().copied().fold(0.0, f64::max);
        let mut x = MARGIN;
        for (c, column) in band.iter().enumerate() {
            let mut y = top + (tallest - col_h[c]) / 2.0;
            for &i in column {
                if let Some(b) = boxes[i].as_mut() {
                    b.x = x;
                    b.y = y;
                    b.w = col_w[c];
                    b.column = column_base + c;
                    for d in &mut b.devices {
                        d.x += x;
                        d.y += y;
                    }
                    y += b.h + NS_GAP;
                }
            }
            x += col_w[c] + COL_GAP;
        }
        column_base += band.len();
        width = width.max(x - COL_GAP);
        top += tallest + NS_GAP * 2.0;
    }
    // Room on the right for the loops of pairs within one column, and their labels.
    let width = width + MARGIN + 110.0;
    Layout {
        width: width.max(2.0 * MARGIN),
        height: (top - NS_GAP * 2.0).max(MARGIN) + MARGIN,
        namespaces: boxes.into_iter().flatten().collect(),
    }
}
