//! Each format of one small topology: a bridge with a port whose peer is in h1, a down pair
//! between h1 and h2, and a veth whose peer's namespace is not shown.

use super::*;
use crate::net::addr::{Address, Prefix};
use crate::net::topology::{Device, NsView, PeerEnd, Topology};

fn addr(index: u32, text: &str, scope: u8) -> Address {
    let (a, len) = text.split_once('/').unwrap();
    Address {
        index,
        prefix: Prefix {
            addr: a.parse().unwrap(),
            len: len.parse().unwrap(),
        },
        peer: None,
        broadcast: None,
        scope,
        label: None,
        flags: 0,
        valid_lft: None,
        preferred_lft: None,
    }
}

fn dev(name: &str, ifindex: u32, kind: Option<&str>, up: bool) -> Device {
    Device {
        name: name.into(),
        ifindex,
        kind: kind.map(Into::into),
        loopback: name == "lo",
        up,
        operstate: if up { "UP" } else { "DOWN" }.into(),
        master: None,
        mac: Some(vec![2, 0, 0, 0, 0, ifindex as u8]),
        addresses: vec![],
        peer: None,
    }
}

fn peer(netns: Option<&str>, name: Option<&str>, ifindex: u32) -> Option<PeerEnd> {
    Some(PeerEnd {
        netns: netns.map(Into::into),
        name: name.map(Into::into),
        ifindex,
    })
}

fn lab() -> Topology {
    let mut lo = dev("lo", 1, None, true);
    lo.addresses.push(addr(1, "127.0.0.1/8", 254));
    let mut br0 = dev("br0", 2, Some("bridge"), true);
    br0.addresses.push(addr(2, "10.0.0.254/24", 0));
    br0.addresses.push(addr(2, "fe80::1/64", 253));
    let mut v1 = dev("v1", 3, Some("veth"), true);
    v1.master = Some("br0".into());
    v1.peer = peer(Some("h1"), Some("e1"), 2);
    let mut lost = dev("w0", 4, Some("veth"), false);
    lost.peer = peer(None, None, 9);
    let mut e1 = dev("e1", 2, Some("veth"), true);
    e1.addresses.push(addr(2, "10.0.0.1/24", 0));
    e1.peer = peer(Some("root"), Some("v1"), 3);
    let mut x1 = dev("x1", 3, Some("veth"), false);
    x1.peer = peer(Some("h2"), Some("x2"), 5);
    let mut x2 = dev("x2", 5, Some("veth"), false);
    x2.peer = peer(Some("h1"), Some("x1"), 3);
    Topology {
        namespaces: vec![
            NsView {
                name: "root".into(),
                inode: 100,
                links: vec![lo, br0, v1, lost],
            },
            NsView {
                name: "h1".into(),
                inode: 101,
                links: vec![dev("lo", 1, None, false), e1, x1],
            },
            NsView {
                name: "h2".into(),
                inode: 102,
                links: vec![x2],
            },
        ],
    }
}

#[test]
fn text_tree_puts_ports_under_their_bridge() {
    assert_eq!(
        render(&lab(), Format::Text),
        "root  net:[100]\n\
         ├── br0  bridge up  10.0.0.254/24\n\
         │   └── v1  veth up  ⇄ h1/e1\n\
         ├── w0  veth down  ⇄ if9 (in a namespace not shown)\n\
         └── lo  loopback up  127.0.0.1/8\n\
         h1  net:[101]\n\
         ├── e1  veth up  10.0.0.1/24  ⇄ root/v1\n\
         ├── x1  veth down  ⇄ h2/x2\n\
         └── lo  loopback down\n\
         h2  net:[102]\n\
         └── x2  veth down  ⇄ h1/x1\n"
    );
}

#[test]
fn json_follows_the_documented_schema() {
    let v: serde_json::Value = serde_json::from_str(&render(&lab(), Format::Json)).unwrap();
    let root = &v["namespaces"][0];
    assert_eq!(root["name"], "root");
    assert_eq!(root["id"], 100);
    assert_eq!(
        root["links"][1],
        serde_json::json!({"name": "br0", "ifindex": 2, "kind": "bridge", "up": true,
            "master": null, "addresses": ["10.0.0.254/24", "fe80::1/64"], "peer": null})
    );
    assert_eq!(
        root["links"][2]["peer"],
        serde_json::json!({"netns": "h1", "name": "e1", "ifindex": 2})
    );
    assert_eq!(
        root["links"][3]["peer"],
        serde_json::json!({"netns": null, "name": null, "ifindex": 9})
    );
    assert_eq!(root["links"][0]["kind"], serde_json::Value::Null);
    assert_eq!(
        v["namespaces"][2]["links"][0]["master"],
        serde_json::Value::Null
    );
    let empty: serde_json::Value =
        serde_json::from_str(&render(&Topology::default(), Format::Json)).unwrap();
    assert_eq!(empty, serde_json::json!({"namespaces": []}));
}

#[test]
fn dot_and_mermaid_draw_each_pair_once_with_both_names() {
    let dot = render(&lab(), Format::Dot);
    assert_eq!(dot.matches("⇄").count(), 2, "{dot}");
    assert!(dot.contains("n0_2 -- n1_1 [label=\"v1 ⇄ e1\""), "{dot}");
    assert!(dot.contains("n1_2 -- n2_0 [label=\"x1 ⇄ x2\""), "{dot}");
    assert!(dot.contains("n0_1 -- n0_2 [label=\"port\""), "{dot}");
    assert!(dot.contains("subgraph cluster_2"), "{dot}");
    let mermaid = render(&lab(), Format::Mermaid);
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert!(mermaid.contains("n0_2 <-->|\"v1 ⇄ e1\"| n1_1"), "{mermaid}");
    assert!(mermaid.contains("n0_1{{\"br0<br/>bridge up<br/>10.0.0.254/24\"}}"));
    assert!(
        mermaid.contains("class n0_3,n1_0,n1_2,n2_0 down"),
        "{mermaid}"
    );
}

#[test]
fn svg_is_xml_naming_every_namespace_and_device() {
    let svg = render(&lab(), Format::Svg);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    for name in ["root", "h1", "h2"] {
        assert!(texts.contains(&name), "{name} in {texts:?}");
    }
    for line in [
        "br0  bridge up",
        "v1  veth up",
        "e1  veth up",
        "x2  veth down",
    ] {
        assert!(texts.contains(&line), "{line} in {texts:?}");
    }
    // h1, with two pairs to others, is the hub: the left column; labels read left to right.
    assert!(texts.contains(&"e1 ⇄ v1"), "{texts:?}");
    assert!(texts.contains(&"if9 (not shown)"));
    // Hovering shows every address, link-local ones too.
    assert!(svg.contains("inet fe80::1/64"));
    let html = render(&lab(), Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Self-contained: nothing to fetch, nothing to run.
    for fetch in ["src=", "href=", "<script", "<link", "@import", "url("] {
        assert!(!html.contains(fetch), "{fetch}");
    }
}

#[test]
fn formats_by_name_and_by_extension() {
    assert_eq!(Format::parse("mermaid"), Some(Format::Mermaid));
    assert_eq!(Format::parse("png"), None);
    assert_eq!(Format::of_path("lab.svg"), Some(Format::Svg));
    assert_eq!(Format::of_path("out/lab.HTML"), Some(Format::Html));
    assert_eq!(Format::of_path("lab"), None);
}

/// A star: root's bridge with ports to h3, h1, h2 (in that row order), and a lone namespace.
#[test]
fn layout_puts_hosts_beside_their_ports_and_lone_namespaces_below() {
    let mut root_links = vec![dev("br0", 1, Some("bridge"), true)];
    let mut spaces = Vec::new();
    for (k, h) in ["h3", "h1", "h2"].iter().enumerate() {
        let mut v = dev(&format!("v{k}"), 2 + k as u32, Some("veth"), true);
        v.master = Some("br0".into());
        v.peer = peer(Some(h), Some("e"), 2);
        root_links.push(v);
    }
    for h in ["h1", "h2", "h3"] {
        let v = root_links
            .iter()
            .find(|d| d.peer.as_ref().and_then(|p| p.netns.as_deref()) == Some(h))
            .unwrap();
        let mut e = dev("e", 2, Some("veth"), true);
        e.peer = peer(Some("root"), Some(&v.name), v.ifindex);
        spaces.push(NsView {
            name: h.into(),
            inode: 1,
            links: vec![e],
        });
    }
    spaces.insert(
        0,
        NsView {
            name: "root".into(),
            inode: 0,
            links: root_links,
        },
    );
    spaces.push(NsView {
        name: "lone".into(),
        inode: 9,
        links: vec![dev("lo", 1, None, false)],
    });
    let topo = Topology { namespaces: spaces };
    let l = layout::layout(&topo);
    let b = &l.namespaces;
    for (i, x) in b.iter().enumerate() {
        assert!(x.x >= 0.0 && x.y >= 0.0 && x.x + x.w <= l.width && x.y + x.h <= l.height);
        for y in &b[i + 1..] {
            let apart =
                x.x + x.w <= y.x || y.x + y.w <= x.x || x.y + x.h <= y.y || y.y + y.h <= x.y;
            assert!(apart, "boxes overlap");
        }
    }
    // root (index 0) is the hub, left; the hosts right, top to bottom as their ports: h3, h1, h2.
    assert_eq!(b[0].column, 0);
    assert!(b[1..4]
        .iter()
        .all(|h| h.column == 1 && h.x > b[0].x + b[0].w));
    assert!(b[3].y < b[1].y && b[1].y < b[2].y, "h3 above h1 above h2");
    // The lone namespace comes below everything else.
    assert!(b[..4].iter().all(|x| x.y + x.h < b[4].y));
}
