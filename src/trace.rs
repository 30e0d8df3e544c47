//! Packets' paths: frames captured on many devices at once, grouped into packets, each
//! packet's sightings joined hop by hop along the topology (a veth's send to its peer's
//! receive, a bridge port's receive to the bridge and its other ports), and where a packet
//! went no further, why. Knows nothing of the language; reads no kernel state itself.

use crate::net::decode::{time_of_day, Decoder};
use crate::net::packet::Frame;
use crate::net::topology::{Device, Topology};
use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, SystemTime};

/// A device being traced: indexes into a [`Topology`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Traced {
    pub ns: usize,
    pub dev: usize,
}

/// A frame and the traced device (index into the traced list) that saw it.
#[derive(Clone, Debug)]
pub struct Sighting {
    pub at: usize,
    pub frame: Frame,
}

/// One packet: what it was, the way it went, and where it stopped short.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacketPath {
    /// When it was first seen.
    pub time: SystemTime,
    /// `tcpdump -n`'s text for it.
    pub what: String,
    /// `h1/e1 → root/v1 → br0 → { root/v2 → h2/e2 | root/v3 → h3/e3 }`
    pub route: String,
    /// Why a branch went no further, one line each.
    pub stops: Vec<String>,
}

impl std::fmt::Display for PacketPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} {}", time_of_day(self.time), self.what)?;
        write!(f, "    {}", self.route)?;
        for stop in &self.stops {
            write!(f, "\n    {stop}")?;
        }
        Ok(())
    }
}

/// Identical frames this far apart are two packets (an ARP request sent again), not one.
const SAME_PACKET: Duration = Duration::from_millis(200);

/// The frames of one packet, in time order, and each one's predecessor.
struct Packet {
    nodes: Vec<Sighting>,
    parent: Vec<Option<usize>>,
}

/// The sightings of the packets first seen at or after `start`, the moment the last capture
/// was bound. A packet seen earlier came before the body, and it may have crossed devices
/// whose capture was not open yet: its path would lack them (a reply seen on `br0` alone).
pub fn since(start: SystemTime, sightings: Vec<Sighting>) -> Vec<Sighting> {
    group(sightings)
        .into_iter()
        .filter(|p| p[0].frame.time >= start)
        .flatten()
        .collect()
}

/// Groups the sightings into packets, first seen first, each in time order.
fn group(mut sightings: Vec<Sighting>) -> Vec<Vec<Sighting>> {
    sightings.sort_by_key(|s| s.frame.time);
    let mut packets: Vec<Vec<Sighting>> = Vec::new();
    let mut open: HashMap<Vec<u8>, usize> = HashMap::new();
    for s in sightings {
        let join = open.get(&s.frame.data).copied().filter(|&p| {
            let packet = &packets[p];
            let last = packet.last().map_or(s.frame.time, |l| l.frame.time);
            let gap = s.frame.time.duration_since(last).unwrap_or_default();
            // A device sees a packet once each way: a second time is a second packet.
            gap <= SAME_PACKET
                && !packet
                    .iter()
                    .any(|g| g.at == s.at && g.frame.outgoing == s.frame.outgoing)
        });
        match join {
            Some(p) => packets[p].push(s),
            None => {
                open.insert(s.frame.data.clone(), packets.len());
                packets.push(vec![s]);
            }
        }
    }
    packets
}

/// Each packet's path, first seen first.
pub fn paths(topo: &Topology, traced: &[Traced], sightings: Vec<Sighting>) -> Vec<PacketPath> {
    let tracer = Tracer { topo, traced };
    let mut decoder = Decoder::default();
    group(sightings)
        .into_iter()
        .map(|nodes| {
            let packet = tracer.join(nodes);
            let first = &packet.nodes[0].frame;
            PacketPath {
                time: first.time,
                what: decoder.describe(&first.data),
                route: tracer.route(&packet),
                stops: tracer.stops(&packet),
            }
        })
        .collect()
}

struct Tracer<'a> {
    topo: &'a Topology,
    traced: &'a [Traced],
}

impl Tracer<'_> {
    fn device(&self, at: usize) -> &Device {
        let t = self.traced[at];
        &self.topo.namespaces[t.ns].links[t.dev]
    }

    fn label(&self, at: usize) -> String {
        let t = self.traced[at];
        format!(
            "{}/{}",
            self.topo.namespaces[t.ns].name,
            self.device(at).name
        )
    }

    /// The bridge (same namespace) device `at` is a port of.
    fn bridge_of(&self, at: usize) -> Option<&Device> {
        let t = self.traced[at];
        let m = self.device(at).master.as_deref()?;
        self.topo.namespaces[t.ns]
            .device(m)
            .filter(|b| b.is_bridge())
    }

    /// Whether traced device `at` is `name` of namespace `ns` (by label).
    fn is(&self, at: usize, ns: &str, name: &str) -> bool {
        let t = self.traced[at];
        self.topo.namespaces[t.ns].name == ns && self.device(at).name == name
    }

    /// Whether `a` and `b` are in one namespace and `b` is a port of bridge `a`.
    fn port_of(&self, port: usize, bridge: usize) -> bool {
        self.traced[port].ns == self.traced[bridge].ns
            && self.device(port).master.as_deref() == Some(self.device(bridge).name.as_str())
            && self.device(bridge).is_bridge()
    }

    /// Where each sighting came from: the latest earlier sighting that hands the frame on to
    /// it along the topology.
    fn join(&self, nodes: Vec<Sighting>) -> Packet {
        let mut parent = Vec::with_capacity(nodes.len());
        for (k, s) in nodes.iter().enumerate() {
            let d = self.device(s.at);
            let ns = &self.topo.namespaces[self.traced[s.at].ns].name;
            let from = |j: usize| -> bool {
                let p = &nodes[j];
                if s.frame.outgoing {
                    // Sent by a bridge port: the bridge forwarded it from another port, or
                    // its own stack sent it.
                    self.bridge_of(s.at).is_some_and(|b| {
                        (!p.frame.outgoing
                            && p.at != s.at
                            && self.device(p.at).master == d.master
                            && self.traced[p.at].ns == self.traced[s.at].ns)
                            || (p.frame.outgoing && self.is(p.at, ns, &b.name))
                    })
                } else if d.is_bridge() {
                    // A bridge receives what a port passed up to it.
                    !p.frame.outgoing && self.port_of(p.at, s.at)
                } else if let Some(peer) = &d.peer {
                    // A veth receives what its peer sent.
                    p.frame.outgoing
                        && peer
                            .netns
                            .as_deref()
                            .zip(peer.name.as_deref())
                            .is_some_and(|(pns, pname)| self.is(p.at, pns, pname))
                } else {
                    // lo and the like receive what they sent.
                    p.frame.outgoing && p.at == s.at
                }
            };
            // Taps on one path often stamp a frame with one time (the skb keeps its
            // timestamp from device to device): any sighting not later may come before.
            let t = s.frame.time;
            let found = (0..nodes.len())
                .filter(|&j| j != k && nodes[j].frame.time <= t && from(j))
                .max_by_key(|&j| (nodes[j].frame.time, std::cmp::Reverse(j)));
            parent.push(found);
        }
        // Equal times can make two sightings each other's source: cut such loops.
        for k in 0..parent.len() {
            let mut at = parent[k];
            let mut steps = 0;
            while let Some(j) = at {
                if j == k || steps > parent.len() {
                    parent[k] = None;
                    break;
                }
                at = parent[j];
                steps += 1;
            }
        }
        Packet { nodes, parent }
    }

    fn children(&self, p: &Packet, k: usize) -> Vec<usize> {
        (0..p.nodes.len())
            .filter(|&c| p.parent[c] == Some(k))
            .collect()
    }

    /// The bridge a frame crossed from `parent` to `c`, port to port: forwarded frames are
    /// not seen on the bridge device itself, so the path names it in between.
    fn crossed(&self, p: &Packet, parent: usize, c: usize) -> Option<String> {
        let (from, to) = (&p.nodes[parent], &p.nodes[c]);
        self.bridge_of(to.at)
            .filter(|_| to.frame.outgoing && !from.frame.outgoing)
            .map(|b| b.name.clone())
    }

    fn subtree(&self, p: &Packet, k: usize) -> String {
        let mut out = self.label(p.nodes[k].at);
        let children = self.children(p, k);
        if children.is_empty() {
            return out;
        }
        let crossed: Vec<Option<String>> =
            children.iter().map(|&c| self.crossed(p, k, c)).collect();
        // A flood: every copy crossed the same bridge, named once before the branches.
        let shared = crossed
            .first()
            .cloned()
            .flatten()
            .filter(|b| crossed.iter().all(|c| c.as_ref() == Some(b)));
        if let Some(b) = &shared {
            out.push_str(&format!(" → {b}"));
        }
        let branches: Vec<String> = children
            .iter()
            .zip(&crossed)
            .map(
                |(&c, via)| match via.as_ref().filter(|_| shared.is_none()) {
                    Some(b) => format!("{b} → {}", self.subtree(p, c)),
                    None => self.subtree(p, c),
                },
            )
            .collect();
        let here = self.label(p.nodes[k].at);
        match branches.as_slice() {
            // Sent and received by one device (lo): named once.
            [one] if *one == here => {}
            [one] => out.push_str(&format!(" → {one}")),
            many => out.push_str(&format!(" → {{ {} }}", many.join(" | "))),
        }
        out
    }

    fn route(&self, p: &Packet) -> String {
        let roots: Vec<String> = (0..p.nodes.len())
            .filter(|&k| p.parent[k].is_none())
            .map(|k| self.subtree(p, k))
            .collect();
        // Several roots: a hop between them was not traced.
        roots.join(" … ")
    }

    /// Why each branch that ends short ends there.
    fn stops(&self, p: &Packet) -> Vec<String> {
        let mut stops = Vec::new();
        for k in 0..p.nodes.len() {
            if !self.children(p, k).is_empty() {
                continue;
            }
            let s = &p.nodes[k];
            let d = self.device(s.at);
            let to_own = |dev: &Device| meant_for(dev, &s.frame.data);
            if s.frame.outgoing {
                if let Some(peer) = &d.peer {
                    let (Some(pns), Some(pname)) = (&peer.netns, &peer.name) else {
                        continue;
                    };
                    if (0..self.traced.len()).any(|t| self.is(t, pns, pname)) {
                        stops.push(format!(
                            "stopped after {}: its peer {pns}/{pname} never received it",
                            self.label(s.at)
                        ));
                    }
                } else if d.is_bridge() {
                    stops.push(format!("stopped at {}: no port sent it on", d.name));
                }
            } else if d.is_bridge() {
                // Passed up to the bridge, for the MAC of the port it came in by: that port's
                // own stack never gets it.
                let port = p.parent[k].map(|j| self.device(p.nodes[j].at));
                if let Some(port) = port.filter(|port| to_own(port)) {
                    stops.push(format!(
                        "delivered to {} (a bridge port), never to its stack",
                        port.name
                    ));
                }
            } else if let Some(b) = self.bridge_of(s.at) {
                if to_own(d) {
                    stops.push(format!(
                        "delivered to {} (a bridge port), never to its stack",
                        d.name
                    ));
                } else {
                    stops.push(format!("stopped after {}: no port forwarded it", b.name));
                }
            }
        }
        stops
    }
}

/// Whether a frame is for `dev`'s own stack: sent to its MAC and, where the frame names an
/// IP destination (an ARP target, an IP packet's destination), to one of its addresses. A
/// bridge takes its first port's MAC, so the MAC alone cannot tell a port's frames from the
/// bridge's.
fn meant_for(dev: &Device, frame: &[u8]) -> bool {
    if dev.mac.as_deref() != frame.get(..6) {
        return false;
    }
    let ip = |b: &[u8]| -> Option<IpAddr> {
        match b.len() {
            4 => Some(IpAddr::from(<[u8; 4]>::try_from(b).ok()?)),
            16 => Some(IpAddr::from(<[u8; 16]>::try_from(b).ok()?)),
            _ => None,
        }
    };
    let dst = match frame.get(12..14) {
        Some([0x08, 0x06]) => frame.get(38..42).and_then(ip),
        Some([0x08, 0x00]) => frame.get(30..34).and_then(ip),
        Some([0x86, 0xdd]) => frame.get(38..54).and_then(ip),
        _ => None,
    };
    dst.is_none_or(|a| dev.addresses.iter().any(|x| x.prefix.addr == a))
}

#[cfg(test)]
mod tests;
