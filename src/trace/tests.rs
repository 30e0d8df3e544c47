//! Paths built from hand-made sightings on two small topologies.

use super::*;
use crate::net::topology::{NsView, PeerEnd};
use std::time::UNIX_EPOCH;

fn dev(
    name: &str,
    ifindex: u32,
    kind: &str,
    master: Option<&str>,
    peer: Option<(&str, &str)>,
) -> Device {
    Device {
        name: name.into(),
        ifindex,
        kind: Some(kind.into()),
        loopback: false,
        up: true,
        operstate: "UP".into(),
        master: master.map(Into::into),
        mac: Some(vec![2, 0, 0, 0, 0, ifindex as u8]),
        addresses: vec![],
        peer: peer.map(|(ns, name)| PeerEnd {
            netns: Some(ns.into()),
            name: Some(name.into()),
            ifindex: 0,
        }),
    }
}

fn ns(name: &str, links: Vec<Device>) -> NsView {
    NsView {
        name: name.into(),
        inode: 1,
        links,
    }
}

/// Every device of every namespace, traced.
fn all(topo: &Topology) -> Vec<Traced> {
    let mut out = Vec::new();
    for (i, n) in topo.namespaces.iter().enumerate() {
        for k in 0..n.links.len() {
            out.push(Traced { ns: i, dev: k });
        }
    }
    out
}

/// An ARP frame from MAC ..src to MAC ..dst (0xff: broadcast).
fn arp(dst: u8, src: u8, op: u8) -> Vec<u8> {
    let mut f = if dst == 0xff {
        vec![0xff; 6]
    } else {
        vec![2, 0, 0, 0, 0, dst]
    };
    f.extend_from_slice(&[2, 0, 0, 0, 0, src, 0x08, 0x06]);
    // A request from 1.2.3.101 for 1.2.3.102; a reply the other way.
    let (spa, tpa) = if op == 1 { (101, 102) } else { (102, 101) };
    f.extend_from_slice(&[0, 1, 8, 0, 6, 4, 0, op, 2, 0, 0, 0, 0, src, 1, 2, 3, spa]);
    f.extend_from_slice(&[0, 0, 0, 0, 0, 0, 1, 2, 3, tpa]);
    f
}

fn seen(
    traced: &[Traced],
    topo: &Topology,
    label: &str,
    outgoing: bool,
    us: u64,
    data: &[u8],
) -> Sighting {
    let (n, d) = label.split_once('/').unwrap();
    let at = traced
        .iter()
        .position(|t| {
            topo.namespaces[t.ns].name == n && topo.namespaces[t.ns].links[t.dev].name == d
        })
        .unwrap();
    Sighting {
        at,
        frame: Frame {
            time: UNIX_EPOCH + Duration::from_micros(us),
            data: data.to_vec(),
            len: data.len(),
            outgoing,
        },
    }
}

fn with_addr(mut d: Device, a: &str) -> Device {
    d.addresses.push(crate::net::addr::Address {
        index: d.ifindex,
        prefix: crate::net::addr::Prefix {
            addr: a.parse().unwrap(),
            len: 24,
        },
        peer: None,
        broadcast: None,
        scope: 0,
        label: None,
        flags: 0,
        valid_lft: None,
        preferred_lft: None,
    });
    d
}

/// The document's 3.5: veth0 is a port of br0 and keeps its address; veth1 answers.
#[test]
fn a_reply_to_a_port_goes_to_the_bridge_not_to_the_port() {
    let topo = Topology {
        namespaces: vec![ns(
            "root",
            vec![
                dev("br0", 1, "bridge", None, None),
                with_addr(
                    dev("veth0", 2, "veth", Some("br0"), Some(("root", "veth1"))),
                    "1.2.3.101",
                ),
                with_addr(
                    dev("veth1", 3, "veth", None, Some(("root", "veth0"))),
                    "1.2.3.102",
                ),
            ],
        )],
    };
    let t = all(&topo);
    let (req, reply) = (arp(0xff, 2, 1), arp(2, 3, 2));
    let s = |l, o, us, d: &[u8]| seen(&t, &topo, l, o, us, d);
    let got = paths(
        &topo,
        &t,
        vec![
            s("root/veth1", false, 20, &req),
            s("root/veth0", true, 10, &req),
            s("root/veth1", true, 30, &reply),
            s("root/veth0", false, 40, &reply),
            s("root/br0", false, 50, &reply),
            // The same request again, a second later: another packet.
            s("root/veth0", true, 1_000_010, &req),
        ],
    );
    let routes: Vec<(&str, &[String])> = got
        .iter()
        .map(|p| (p.route.as_str(), &p.stops[..]))
        .collect();
    assert_eq!(
        routes,
        [
            ("root/veth0 → root/veth1", &[][..]),
            (
                "root/veth1 → root/veth0 → root/br0",
                &["delivered to veth0 (a bridge port), never to its stack".to_string()][..]
            ),
            (
                "root/veth0",
                &["stopped after root/veth0: its peer root/veth1 never received it".to_string()][..]
            ),
        ]
    );
    assert!(got[0]
        .what
        .starts_with("ARP, Request who-has 1.2.3.102 tell 1.2.3.101"));
}

/// A star: a broadcast floods to every other port; a frame for no one's MAC stops at br0.
#[test]
fn a_flood_branches_and_a_drop_stops_at_the_bridge() {
    let topo = Topology {
        namespaces: vec![
            ns(
                "root",
                vec![
                    dev("br0", 1, "bridge", None, None),
                    dev("v1", 2, "veth", Some("br0"), Some(("h1", "e1"))),
                    dev("v2", 3, "veth", Some("br0"), Some(("h2", "e2"))),
                    dev("v3", 4, "veth", Some("br0"), Some(("h3", "e3"))),
                ],
            ),
            ns(
                "h1",
                vec![dev("e1", 11, "veth", None, Some(("root", "v1")))],
            ),
            ns(
                "h2",
                vec![dev("e2", 12, "veth", None, Some(("root", "v2")))],
            ),
            ns(
                "h3",
                vec![dev("e3", 13, "veth", None, Some(("root", "v3")))],
            ),
        ],
    };
    let t = all(&topo);
    let (flood, lost) = (arp(0xff, 11, 1), arp(99, 11, 2));
    let s = |l, o, us, d: &[u8]| seen(&t, &topo, l, o, us, d);
    let got = paths(
        &topo,
        &t,
        vec![
            s("h1/e1", true, 1, &flood),
            s("root/v1", false, 2, &flood),
            s("root/v2", true, 3, &flood),
            s("root/v3", true, 4, &flood),
            s("h2/e2", false, 5, &flood),
            s("h3/e3", false, 6, &flood),
            s("h1/e1", true, 7, &lost),
            s("root/v1", false, 8, &lost),
        ],
    );
    assert_eq!(
        got[0].route,
        "h1/e1 → root/v1 → br0 → { root/v2 → h2/e2 | root/v3 → h3/e3 }"
    );
    assert!(got[0].stops.is_empty());
    assert_eq!(got[1].route, "h1/e1 → root/v1");
    assert_eq!(got[1].stops, ["stopped after br0: no port forwarded it"]);
    let shown = got[1].to_string();
    assert!(
        shown.ends_with("\n    h1/e1 → root/v1\n    stopped after br0: no port forwarded it"),
        "{shown}"
    );
}

/// Sightings stamped with one time, read in any order, still join in the order of the path;
/// what lo sends it receives, named once.
#[test]
fn equal_times_and_loopback() {
    let mut lo = dev("lo", 1, "", None, None);
    lo.kind = None;
    lo.loopback = true;
    let topo = Topology {
        namespaces: vec![ns(
            "root",
            vec![
                lo,
                dev("br0", 2, "bridge", None, None),
                dev("veth0", 3, "veth", Some("br0"), Some(("root", "veth1"))),
                dev("veth1", 4, "veth", None, Some(("root", "veth0"))),
            ],
        )],
    };
    let t = all(&topo);
    let (reply, local) = (arp(2, 4, 2), arp(1, 1, 2));
    let s = |l, o, us, d: &[u8]| seen(&t, &topo, l, o, us, d);
    let got = paths(
        &topo,
        &t,
        vec![
            s("root/br0", false, 5, &reply),
            s("root/veth0", false, 5, &reply),
            s("root/veth1", true, 5, &reply),
            s("root/lo", true, 9, &local),
            s("root/lo", false, 9, &local),
        ],
    );
    assert_eq!(got[0].route, "root/veth1 → root/veth0 → root/br0");
    assert!(got[0].stops.is_empty(), "{:?}", got[0].stops);
    assert_eq!(got[1].route, "root/lo");
}

/// A packet first seen before the last capture was bound is left out whole, even where it
/// was seen after; one first seen after is kept whole.
#[test]
fn packets_seen_before_every_capture_was_open_are_left_out() {
    let topo = Topology {
        namespaces: vec![ns(
            "root",
            vec![
                dev("veth0", 1, "veth", None, Some(("root", "veth1"))),
                dev("veth1", 2, "veth", None, Some(("root", "veth0"))),
            ],
        )],
    };
    let t = all(&topo);
    let (req, reply) = (arp(0xff, 1, 1), arp(1, 2, 2));
    let s = |l, o, us, d: &[u8]| seen(&t, &topo, l, o, us, d);
    let start = UNIX_EPOCH + Duration::from_micros(100);
    let kept = since(
        start,
        vec![
            s("root/veth1", false, 110, &req),
            s("root/veth0", true, 90, &req),
            s("root/veth1", true, 120, &reply),
            s("root/veth0", false, 130, &reply),
        ],
    );
    let times: Vec<Duration> = kept
        .iter()
        .map(|k| k.frame.time.duration_since(UNIX_EPOCH).unwrap())
        .collect();
    assert_eq!(
        times,
        [Duration::from_micros(120), Duration::from_micros(130)]
    );
    let got = paths(&topo, &t, kept);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].route, "root/veth1 → root/veth0");
}
