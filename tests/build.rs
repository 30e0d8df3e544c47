//! `build { }`: links brought up inside come up together when the block ends, leaves first;
//! anything that can observe the network sees them up; the result is the script's without
//! the block.

use crate::lab::{Lab, Run};
use serde_json::Value;

/// Hosts FROM..TO of a star on br0 (br0 made before), 10.0.0.I/24 each.
fn hosts(from: usize, to: usize) -> String {
    format!(
        "for i in {from}..{to} {{\n\
             netns add h$i\n\
             veth v$i peer e$i netns h$i\n\
             link set v$i master br0\n\
             link set v$i up\n\
             netns h$i {{ addr add 10.0.0.$i/24 dev e$i; link set e$i up }}\n\
         }}\n"
    )
}

#[test]
fn links_come_up_when_the_block_ends_leaves_first() {
    needs_root!();
    let script = format!(
        "build {{\nlink add br0 type bridge\nlink set br0 up\n{}}}\n",
        hosts(1, 3)
    );
    // `ip monitor` sees every link of every namespace change, in order.
    let run = Lab::new(&script)
        .shell(
            "ip monitor all-nsid link >monitor & m=$!
             sleep 0.3
             \"$VSH\" script.vnet; echo \"status $?\"
             sleep 0.3; kill $m; cat monitor",
        )
        .run()
        .success()
        .stdout_has("status 0");
    // The first event of each device where it is UP, in order.
    let mut ups: Vec<String> = Vec::new();
    for line in run.stdout.lines() {
        let Some((_, rest)) = line.split_once(']') else {
            continue;
        };
        let Some((_, rest)) = rest.split_once(": ") else {
            continue;
        };
        let name = rest.split([':', '@']).next().unwrap_or("").to_string();
        let flags = rest.split('<').nth(1).and_then(|f| f.split('>').next());
        if flags.is_some_and(|f| f.split(',').any(|x| x == "UP")) && !ups.contains(&name) {
            ups.push(name);
        }
    }
    let at = |n: &str| {
        ups.iter()
            .position(|u| u == n)
            .unwrap_or_else(|| panic!("{n} never came up: {ups:?}\n{}", run.stdout))
    };
    for i in 1..=3 {
        for j in 1..=3 {
            assert!(at(&format!("e{i}")) < at(&format!("v{j}")), "{ups:?}");
        }
        assert!(at(&format!("v{i}")) < at("br0"), "{ups:?}");
    }
}

#[test]
fn a_statement_that_observes_the_network_first_brings_it_up() {
    needs_root!();
    let script = format!(
        "build {{\n\
         link add br0 type bridge\n\
         link set br0 up\n\
         {}\
         netns h1 {{ ping -c 1 -W 3 10.0.0.2 }}\n\
         {}\
         }}\n\
         ping {{ h1 -> 10.0.0.3; h3 -> 10.0.0.2 }}\n",
        hosts(1, 2),
        hosts(3, 3)
    );
    Lab::new(&script)
        .run()
        .success()
        .stdout_has("1 packets transmitted, 1 received")
        .stdout_has("h1 -> 10.0.0.3: ok")
        .stdout_has("h3 -> 10.0.0.2: ok");
}

#[test]
fn a_failure_inside_the_block_is_undone_like_any_other() {
    needs_root!();
    let script = format!(
        "build {{\nlink add br0 type bridge\nlink set br0 up\n{}link set nosuch up\n}}\n",
        hosts(1, 2)
    );
    let run = Lab::new(&script)
        .oracle("ip netns list")
        .oracle("ip -j link show")
        .run()
        .failure(1)
        .stderr_has("cannot find device \"nosuch\"")
        .stderr_has("removed namespace h1")
        .stderr_has("removed link br0");
    assert_eq!(run.oracle(0), "");
    assert_eq!(run.json(1).as_array().map(Vec::len), Some(1), "only lo");
    // Kept, the network is as the statements that ran left it: everything up.
    let run = Lab::new(&script)
        .flag("--keep")
        .oracle("ip -j link show br0")
        .oracle("ip -n h2 -j link show e2")
        .run()
        .failure(1);
    for i in 0..2 {
        let flags = &run.json(i)[0]["flags"];
        assert!(
            flags.as_array().unwrap().iter().any(|f| f == "UP"),
            "{flags}"
        );
    }
}

/// What iproute2 sees in root and h1..h3: links, IPv4 addresses, routes, bridge ports.
const ORACLES: [&str; 10] = [
    "ip -j link show",
    "ip -j -4 addr show",
    "bridge -j link show",
    "ip -n h1 -j link show",
    "ip -n h1 -j -4 addr show",
    "ip -n h1 -j route show",
    "ip -n h2 -j link show",
    "ip -n h2 -j -4 addr show",
    "ip -n h3 -j link show",
    "ip -n h3 -j -4 addr show",
];

/// The state without what the kernel picks by itself (indexes, MACs) or settles a moment
/// later (carrier, operational and port states).
fn state(run: &Run, i: usize) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for key in [
                    "ifindex",
                    "link_index",
                    "address",
                    "broadcast",
                    "operstate",
                    "state",
                    "link",
                ] {
                    map.remove(key);
                }
                if let Some(Value::Array(flags)) = map.get_mut("flags") {
                    flags.retain(|f| f != "M-DOWN" && f != "LOWER_UP" && f != "NO-CARRIER");
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = run.json(i);
    strip(&mut v);
    v
}

fn lab(script: &str) -> Run {
    let mut lab = Lab::new(script);
    for o in ORACLES {
        lab = lab.oracle(o);
    }
    lab.run()
}

#[test]
fn the_network_is_the_same_with_and_without_the_block() {
    needs_root!();
    // Ups, downs after ups, an up before a move (which arrives down), a bridge block, a route
    // (whose gateway must be reachable: it brings up what is pending), a link left down.
    let body = "netns add h1; netns add h2; netns add h3\n\
        veth v1 peer e1 netns h1\n\
        veth v2 peer e2 netns h2\n\
        link add v3 type veth peer name e3\n\
        link set v3 up\n\
        link set e3 up\n\
        link set e3 netns h3\n\
        bridge br0 { port v1 v2 v3; addr 10.0.0.254/24 }\n\
        netns h1 {\n\
            addr add 10.0.0.1/24 dev e1; link set e1 up; link set lo up\n\
            route add default via 10.0.0.254\n\
            link set lo down\n\
        }\n\
        netns h2 { addr add 10.0.0.2/24 dev e2; link set e2 up; link set e2 down; link set e2 up }\n\
        netns h3 { addr add 10.0.0.3/24 dev e3 }\n\
        link set v2 down\n";
    let plain = lab(body).success();
    let built = lab(&format!("build {{\n{body}}}\n")).success();
    for (i, oracle) in ORACLES.iter().enumerate() {
        assert_eq!(state(&plain, i), state(&built, i), "{oracle}");
    }
    // And the state is the one the script describes: e3 down, e2 up, lo of h1 down.
    let e3 = &state(&built, 8);
    assert!(e3.to_string().contains("\"e3\""), "{e3}");
    let up = |v: &Value, name: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|l| l["ifname"] == name)
            .map(|l| l["flags"].as_array().unwrap().iter().any(|f| f == "UP"))
            .unwrap()
    };
    assert!(!up(&state(&built, 8), "e3"));
    assert!(up(&state(&built, 6), "e2"));
    assert!(!up(&state(&built, 3), "lo"));
    assert!(!up(&state(&built, 0), "v2"));
    assert!(up(&state(&built, 0), "v3"));
}
