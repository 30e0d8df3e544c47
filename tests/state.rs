//! The whole network state of a sandbox, as iproute2 sees it, for "before == after" checks:
//! every namespace (root and each of /run/netns), its links (name, up, mtu, master, kind),
//! addresses, routes of every table and neighbour entries (proxy ones too).

use serde_json::Value;
use std::collections::BTreeMap;

/// A shell command that prints the state: `== NAME` then six `ip -j` answers per namespace.
/// Any failing `ip` fails the whole command.
pub const SNAPSHOT: &str = "set -e; snap() { echo \"== $1\"; ip $2 -j -d link show; echo; ip $2 -j addr show; echo; ip $2 -j -4 route show table all; echo; ip $2 -j -6 route show table all; echo; ip $2 -j neigh show; echo; echo; ip $2 -j neigh show proxy; echo; echo; }; snap root ''; for n in $(ls /run/netns 2>/dev/null || true); do snap \"$n\" \"-n $n\"; done";

/// One namespace's state, normalized: what a person set, not what the kernel derives or
/// numbers (ifindexes, MACs of bridges, timers, link-local addresses).
fn namespace(answers: &[Value]) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let links = answers[0].as_array().cloned().unwrap_or_default();
    let mut names: Vec<String> = links
        .iter()
        .map(|l| {
            let flags: Vec<&str> = l["flags"]
                .as_array()
                .map(|f| f.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            format!(
                "{} up={} mtu={} master={} kind={}{}",
                l["ifname"].as_str().unwrap_or("?"),
                flags.contains(&"UP"),
                l["mtu"],
                l["master"].as_str().unwrap_or("-"),
                l["linkinfo"]["info_kind"].as_str().unwrap_or("-"),
                set_attributes(l, &flags),
            )
        })
        .collect();
    names.sort();
    out.insert("links".into(), names);
    let mut addrs = Vec::new();
    for l in answers[1].as_array().cloned().unwrap_or_default() {
        for a in l["addr_info"].as_array().cloned().unwrap_or_default() {
            let local = a["local"].as_str().unwrap_or("?");
            if local.starts_with("fe80") {
                continue;
            }
            addrs.push(format!(
                "{} {local}/{} scope={} brd={} label={}",
                l["ifname"].as_str().unwrap_or("?"),
                a["prefixlen"],
                a["scope"],
                a["broadcast"].as_str().unwrap_or("-"),
                a["label"].as_str().unwrap_or("-"),
            ));
        }
    }
    addrs.sort();
    out.insert("addresses".into(), addrs);
    let mut routes = Vec::new();
    for r in answers[2..4]
        .iter()
        .flat_map(|a| a.as_array().cloned().unwrap_or_default())
    {
        let dst = r["dst"].as_str().unwrap_or("?");
        // The kernel's own IPv6 link-local and multicast routes follow the links' state.
        if dst.starts_with("fe80") || dst.starts_with("ff00") {
            continue;
        }
        routes.push(format!(
            "{dst} via={} dev={} table={} proto={} scope={} type={} metric={} src={}",
            r["gateway"].as_str().unwrap_or("-"),
            r["dev"].as_str().unwrap_or("-"),
            r["table"]
                .as_str()
                .map_or_else(|| r["table"].to_string(), String::from),
            r["protocol"].as_str().unwrap_or("-"),
            r["scope"].as_str().unwrap_or("-"),
            r["type"].as_str().unwrap_or("-"),
            r["metric"],
            r["prefsrc"].as_str().unwrap_or("-"),
        ));
    }
    routes.sort();
    out.insert("routes".into(), routes);
    // Entries a person set; what the kernel resolves by itself moves through states on its
    // timers, so only its being there counts.
    let mut neighbours: Vec<String> = answers[4..6]
        .iter()
        .flat_map(|a| a.as_array().cloned().unwrap_or_default())
        .map(|n| {
            let states: Vec<&str> = n["state"]
                .as_array()
                .map(|s| s.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            let state = match states.as_slice() {
                ["PERMANENT"] | ["NOARP"] | [] => states.join(","),
                _ => "dynamic".into(),
            };
            format!(
                "{} dev={} lladdr={} state={state} router={} proxy={}",
                n["dst"].as_str().unwrap_or("?"),
                n["dev"].as_str().unwrap_or("-"),
                n["lladdr"].as_str().unwrap_or("-"),
                n.get("router").is_some(),
                n.get("proxy").is_some(),
            )
        })
        .collect();
    neighbours.sort();
    out.insert("neighbours".into(), neighbours);
    out
}

/// What `link set` and `link property` set besides state, mtu and master: the flags a person
/// sets, hardware addresses (not a bridge's, which follows its ports), alias, altnames, queue
/// length, group, and a bridge's options.
fn set_attributes(l: &Value, flags: &[&str]) -> String {
    let set: Vec<&str> = flags
        .iter()
        .copied()
        .filter(|f| matches!(*f, "NOARP" | "MULTICAST" | "ALLMULTI" | "PROMISC"))
        .collect();
    let bridge = l["linkinfo"]["info_kind"] == "bridge";
    let mut out = format!(
        " flags={} address={} brd={} alias={} altnames={} qlen={} group={}",
        set.join(","),
        if bridge {
            "-"
        } else {
            l["address"].as_str().unwrap_or("-")
        },
        l["broadcast"].as_str().unwrap_or("-"),
        l["ifalias"].as_str().unwrap_or("-"),
        l["altnames"],
        l["txqlen"],
        l["group"],
    );
    if bridge {
        let data = &l["linkinfo"]["info_data"];
        for key in [
            "stp_state",
            "forward_delay",
            "hello_time",
            "max_age",
            "ageing_time",
            "priority",
            "vlan_filtering",
            "mcast_snooping",
            "mcast_querier",
        ] {
            out.push_str(&format!(" {key}={}", data[key]));
        }
    }
    out
}

/// The normalized state of every namespace in a SNAPSHOT's output.
pub fn parse(text: &str) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for block in text.split("== ").filter(|b| !b.trim().is_empty()) {
        let (name, rest) = block.split_once('\n').expect("a namespace name line");
        let answers: Vec<Value> = rest
            .split("\n\n")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| serde_json::from_str(t).unwrap_or_else(|e| panic!("not JSON ({e}): {t}")))
            .collect();
        assert_eq!(answers.len(), 6, "six ip answers for {name}:\n{rest}");
        out.insert(name.to_string(), namespace(&answers));
    }
    assert!(
        out.contains_key("root"),
        "a snapshot has the root namespace"
    );
    out
}

/// Fails, showing the difference, unless two snapshots describe the same state.
pub fn assert_same(before: &str, after: &str, context: &str) {
    let (b, a) = (parse(before), parse(after));
    if b != a {
        let mut diff = String::new();
        for ns in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
            let (x, y) = (b.get(ns), a.get(ns));
            if x != y {
                diff.push_str(&format!(
                    "namespace {ns}:\n  before: {x:#?}\n  after: {y:#?}\n"
                ));
            }
        }
        panic!("the state changed:\n{diff}\n{context}");
    }
}

#[test]
fn a_snapshot_sees_a_changed_mtu_address_and_route() {
    // The check itself must be able to fail: a change of each kind is seen.
    let base = r#"== root
[{"ifname":"v0","flags":["UP"],"mtu":1500}]

[{"ifname":"v0","addr_info":[{"local":"10.0.0.1","prefixlen":24,"scope":"global"}]}]

[]

[]

[{"dst":"10.0.0.5","dev":"v0","lladdr":"02:00:00:00:00:05","state":["PERMANENT"]}]

[]
"#;
    assert_eq!(parse(base), parse(base));
    for changed in [
        base.replace("1500", "1400"),
        base.replace("10.0.0.1", "10.0.0.2"),
        base.replace(
            "[]\n\n[]",
            "[{\"dst\":\"10.9.0.0/24\",\"dev\":\"v0\"}]\n\n[]",
        ),
        base.replace("\"UP\"", "\"LOWER_UP\""),
        base.replace("02:00:00:00:00:05", "02:00:00:00:00:06"),
        base.replace("PERMANENT", "STALE"),
        format!(
            "{}[{{\"dst\":\"10.0.0.9\",\"dev\":\"v0\",\"proxy\":null}}]\n",
            base.strip_suffix("[]\n").unwrap()
        ),
        base.replace("\"UP\"]", "\"UP\",\"NOARP\"]"),
        base.replace("\"mtu\":1500", "\"mtu\":1500,\"ifalias\":\"edge\""),
        base.replace("\"mtu\":1500", "\"mtu\":1500,\"altnames\":[\"e0\"]"),
        base.replace("\"mtu\":1500", "\"mtu\":1500,\"txqlen\":5"),
        base.replace(
            "\"mtu\":1500",
            "\"mtu\":1500,\"address\":\"02:00:00:00:00:01\"",
        ),
    ] {
        assert_ne!(parse(base), parse(&changed), "{changed}");
    }
}
