//! `graph`: the live topology of every namespace, checked against what iproute2 sees in each,
//! and its pictures opened by the programs people use: Graphviz, an XML parser, Chromium.

use crate::lab::Lab;
use serde_json::Value;

/// A bridge in root with a port to each of three namespaces, and a pair between h1 and h2.
const LAB: &str = "netns add h1\n\
    netns add h2\n\
    netns add h3\n\
    bridge br0 { addr 10.0.0.254/24 }\n\
    for i in 1..3 {\n\
        veth v$i peer e$i netns h$i\n\
        link set v$i master br0 up\n\
        netns h$i { link set e$i up; addr add 10.0.0.$i/24 dev e$i }\n\
    }\n\
    netns h1 { veth x1 peer x2 netns h2; addr add 10.9.0.1/30 dev x1 }\n";

const NAMESPACES: [&str; 4] = ["root", "h1", "h2", "h3"];

/// `ip` in namespace `ns` (root: the sandbox's own).
fn ip(ns: &str, args: &str) -> String {
    match ns {
        "root" => format!("ip {args}"),
        _ => format!("ip -n {ns} {args}"),
    }
}

/// The lab, then `after` (vsh statements), with `ip -j -d link` and `ip -j addr` of each
/// namespace as oracles 0..8 (link, addr, in NAMESPACES order).
fn lab(after: &str) -> Lab {
    let mut lab = Lab::new(&format!("{LAB}{after}"));
    for ns in NAMESPACES {
        lab = lab
            .oracle(&ip(ns, "-j -d link show"))
            .oracle(&ip(ns, "-j addr show"));
    }
    lab
}

/// Every device name iproute2 sees, by namespace, from oracles 0..8.
fn devices(run: &crate::lab::Run) -> Vec<(String, Vec<String>)> {
    NAMESPACES
        .iter()
        .enumerate()
        .map(|(k, ns)| {
            let links = run.json(2 * k);
            let names = links
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["ifname"].as_str().unwrap().to_string())
                .collect();
            (ns.to_string(), names)
        })
        .collect()
}

#[test]
fn json_agrees_with_ip_and_bridge_in_every_namespace() {
    needs_root!();
    let run = lab("graph --format json\n")
        .oracle("bridge -j link show")
        .oracle("stat -L -c %i /proc/self/ns/net /run/netns/h1 /run/netns/h2 /run/netns/h3")
        .oracle("ip -n h1 -j netns list-id")
        .run()
        .success();
    let graph: Value = serde_json::from_str(&run.stdout).expect("graph prints JSON");
    let spaces = graph["namespaces"].as_array().unwrap();
    let names: Vec<&str> = spaces.iter().map(|n| n["name"].as_str().unwrap()).collect();
    assert_eq!(names, NAMESPACES);
    let inodes: Vec<u64> = run
        .oracle(9)
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    let ids: Vec<u64> = spaces.iter().map(|n| n["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, inodes, "id is the namespace's inode");
    let find = |ns: &str, name: &str| -> &Value {
        spaces
            .iter()
            .find(|n| n["name"] == ns)
            .and_then(|n| {
                n["links"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|l| l["name"] == name)
            })
            .unwrap_or_else(|| panic!("no {ns}/{name} in the graph"))
    };
    for (k, ns) in NAMESPACES.iter().enumerate() {
        let (links, addrs) = (run.json(2 * k), run.json(2 * k + 1));
        let links = links.as_array().unwrap();
        let ours = spaces[k]["links"].as_array().unwrap();
        assert_eq!(ours.len(), links.len(), "{ns}: one entry per link");
        for l in links {
            let name = l["ifname"].as_str().unwrap();
            let g = find(ns, name);
            assert_eq!(g["ifindex"], l["ifindex"], "{ns}/{name}");
            let kind = &l["linkinfo"]["info_kind"];
            assert_eq!(
                g["kind"],
                if kind.is_null() {
                    Value::Null
                } else {
                    kind.clone()
                }
            );
            let up = l["flags"].as_array().unwrap().iter().any(|f| f == "UP");
            assert_eq!(g["up"], up, "{ns}/{name}");
            assert_eq!(
                g["master"],
                l.get("master").cloned().unwrap_or(Value::Null),
                "{ns}/{name}"
            );
            // (ADDR/LEN, link-local) as ip lists them.
            let expected: Vec<(String, bool)> = addrs
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["ifname"] == name)
                .map(|a| {
                    a["addr_info"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|i| {
                            let text =
                                format!("{}/{}", i["local"].as_str().unwrap(), i["prefixlen"]);
                            (text, i["scope"] == "link")
                        })
                        .collect()
                })
                .unwrap_or_default();
            let ours: Vec<String> = g["addresses"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect();
            // The same addresses in the same order, but for link-local ones: the kernel adds
            // those when a link's carrier comes, which may be after graph and before ip.
            let global: Vec<&String> = expected.iter().filter(|a| !a.1).map(|a| &a.0).collect();
            let ours_global: Vec<&String> =
                ours.iter().filter(|a| !a.starts_with("fe80:")).collect();
            assert_eq!(ours_global, global, "{ns}/{name} addresses");
            for a in &ours {
                assert!(
                    expected.iter().any(|e| e.0 == *a),
                    "{ns}/{name}: {a} not in ip's list"
                );
            }
            // A veth's peer: the link ip names by link_index, whose own peer is this one.
            if kind == "veth" {
                let peer = &g["peer"];
                assert_eq!(peer["ifindex"], l["link_index"], "{ns}/{name}");
                let there = peer["netns"].as_str().unwrap();
                let back = find(there, peer["name"].as_str().unwrap());
                assert_eq!(back["ifindex"], l["link_index"]);
                assert_eq!(back["peer"]["ifindex"], l["ifindex"]);
                assert_eq!(back["peer"]["netns"], *ns);
                assert_eq!(back["peer"]["name"], name);
            } else {
                assert_eq!(g["peer"], Value::Null, "{ns}/{name}");
            }
        }
    }
    // The ports `bridge link` lists are the links whose master is br0.
    let mut ports: Vec<String> = run
        .json(8)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["master"], "br0");
            p["ifname"].as_str().unwrap().to_string()
        })
        .collect();
    ports.sort();
    assert_eq!(ports, ["v1", "v2", "v3"]);
    // x1's peer is in the namespace ip's link_netnsid names: h2.
    let nsid = run
        .json(2)
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["ifname"] == "x1")
        .map(|l| l["link_netnsid"].clone())
        .unwrap();
    let named = run
        .json(10)
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["nsid"] == nsid)
        .map(|i| i["name"].clone())
        .unwrap();
    assert_eq!(named, "h2");
    assert_eq!(find("h1", "x1")["peer"]["netns"], "h2");
}

#[test]
fn text_tree_shows_ports_under_the_bridge_and_peers() {
    needs_root!();
    let run = lab("graph\n").run().success();
    for line in [
        "├── br0  bridge up  10.0.0.254/24\n",
        "│   ├── v1  veth up  ⇄ h1/e1\n",
        "│   └── v3  veth up  ⇄ h3/e3\n",
        "├── e1  veth up  10.0.0.1/24  ⇄ root/v1\n",
        "├── x1  veth down  10.9.0.1/30  ⇄ h2/x2\n",
        "├── x2  veth down  ⇄ h1/x1\n",
    ] {
        assert!(run.stdout.contains(line), "{line:?} in\n{}", run.stdout);
    }
    for ns in NAMESPACES {
        assert!(
            run.stdout.contains(&format!("{ns}  net:[")),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn dot_is_accepted_by_graphviz() {
    needs_root!();
    let run = lab("graph --format dot -o lab.dot\n")
        .oracle("dot -Tplain lab.dot")
        .run()
        .success();
    let plain = run.oracle(8);
    assert!(plain.starts_with("graph "), "dot refused it:\n{plain}");
    // Every device is a node whose label starts with its name; the pairs are edges.
    for (_, names) in devices(&run) {
        for name in names {
            assert!(
                plain
                    .lines()
                    .any(|l| l.starts_with("node ") && l.contains(&format!(" \"{name}\\n"))),
                "no node for {name} in:\n{plain}"
            );
        }
    }
    assert_eq!(
        plain
            .lines()
            .filter(|l| l.starts_with("edge ") && l.contains("⇄"))
            .count(),
        4
    );
}

#[test]
fn svg_is_well_formed_xml_naming_every_namespace_and_device() {
    needs_root!();
    let run = lab("graph -o lab.svg\n")
        .oracle("cat lab.svg")
        .run()
        .success();
    let svg = run.oracle(8).to_string();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    for (ns, names) in devices(&run) {
        assert!(texts.contains(&ns.as_str()), "{ns} in {texts:?}");
        for name in names {
            assert!(
                texts.iter().any(|t| t.starts_with(&format!("{name}  "))),
                "{name} in {texts:?}"
            );
        }
    }
    for pair in ["v1 ⇄ e1", "v2 ⇄ e2", "v3 ⇄ e3"] {
        assert!(texts.contains(&pair), "{pair} in {texts:?}");
    }
}

/// Chromium, headless, as CI runs it: no sandbox (root), no GPU, nothing fetched.
const CHROMIUM: &str = "chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync";

#[test]
fn html_page_opens_in_chromium_with_every_device() {
    needs_root!();
    let shot = std::env::temp_dir().join(format!("vsh-graph-{}.png", std::process::id()));
    let _ = std::fs::remove_file(&shot);
    let run = lab("graph --format html -o lab.html\n")
        .oracle(&format!(
            "{CHROMIUM} --user-data-dir=$LAB/profile1 --dump-dom file://$LAB/lab.html 2>/dev/null"
        ))
        .oracle(&format!(
            "{CHROMIUM} --user-data-dir=$LAB/profile2 --window-size=1000,700 --screenshot={} file://$LAB/lab.html",
            shot.display()
        ))
        .run()
        .success();
    let dom = run.oracle(8);
    assert!(dom.contains("<svg"), "chromium gave no DOM:\n{dom}");
    for (ns, names) in devices(&run) {
        for name in names {
            assert!(
                dom.contains(&format!("<td>{ns}</td><td>{name}</td>")),
                "{ns}/{name} not in the page"
            );
            assert!(
                dom.contains(&format!(">{name}  ")),
                "{name} not in the picture"
            );
        }
    }
    let file = std::fs::File::open(&shot).expect("chromium wrote a screenshot");
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let _ = std::fs::remove_file(&shot);
    let px = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(px).collect();
    // Not blank: a good share of the pixels are not the white page, in several colours.
    let inked = pixels.iter().filter(|p| p[..3] != [255, 255, 255]).count();
    assert!(
        inked * 50 > pixels.len(),
        "{inked} of {} pixels inked",
        pixels.len()
    );
    let mut colours: Vec<&[u8]> = pixels.iter().map(|p| &p[..3]).collect();
    colours.sort();
    colours.dedup();
    assert!(colours.len() > 20, "{} colours", colours.len());
}

#[test]
fn all_sees_a_namespace_only_a_process_holds() {
    needs_root!();
    let run = Lab::new("")
        .shell(
            "netns=$(readlink /proc/self/ns/net)\n\
             unshare -n sleep 30 & pid=$!\n\
             until [ \"$(readlink /proc/$pid/ns/net)\" != \"$netns\" ]; do sleep 0.01; done\n\
             echo \"pid $pid inode $(stat -L -c %i /proc/$pid/ns/net)\"\n\
             ip link add p0 type veth peer name p1 netns $pid\n\
             \"$VSH\" graph --all --format json > all.json || echo failed all\n\
             \"$VSH\" graph --format json > plain.json || echo failed plain\n\
             kill $pid\n\
             cat all.json; echo ===; cat plain.json\n",
        )
        .run()
        .success();
    let (head, rest) = run.stdout.split_once('\n').unwrap();
    let words: Vec<&str> = head.split_whitespace().collect();
    let (pid, inode): (u64, u64) = (words[1].parse().unwrap(), words[3].parse().unwrap());
    let (all, plain) = rest.split_once("===\n").unwrap();
    let all: Value = serde_json::from_str(all).unwrap();
    let plain: Value = serde_json::from_str(plain).unwrap();
    let held = all["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == inode)
        .unwrap_or_else(|| panic!("no namespace {inode} in {all}"));
    assert_eq!(held["name"], format!("sleep[{pid}]"));
    assert_eq!(held["links"][0]["name"], "lo");
    assert!(plain["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["id"] != inode));
    assert_eq!(all["namespaces"][0]["name"], "root");
    // p0's peer is p1 in the process's namespace: named with --all, only its ifindex without.
    let p1 = held["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "p1")
        .expect("p1 in the process's namespace");
    let p0 = |g: &Value| {
        g["namespaces"][0]["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == "p0")
            .cloned()
            .expect("p0 in root")
    };
    assert_eq!(
        p0(&all)["peer"],
        serde_json::json!({"netns": format!("sleep[{pid}]"), "name": "p1", "ifindex": p1["ifindex"]})
    );
    assert_eq!(
        p0(&plain)["peer"],
        serde_json::json!({"netns": null, "name": null, "ifindex": p1["ifindex"]})
    );
    assert_eq!(p1["peer"]["netns"], "root");
    assert_eq!(p1["peer"]["name"], "p0");
}

#[test]
fn all_under_isolated_sees_only_the_sandbox_s_processes() {
    needs_root!();
    let run = Lab::new(
        "netns add x\n\
         spawn x sleep 30\n\
         netns del x\n\
         graph --all --format json\n\
         kill\n",
    )
    .flag("--isolated")
    .run()
    .success();
    let graph: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let names: Vec<&str> = graph["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0], "root");
    assert!(names[1].starts_with("sleep["), "{names:?}");
}
