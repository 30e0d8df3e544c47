//! Every tutorial script runs green under `vsh --isolated`, and its output proves it did its job.

use crate::lab::VSH;
use std::process::Command;

fn run_script(name: &str) -> String {
    let path = format!("{}/scripts/{name}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(VSH)
        .args(["--isolated", &path])
        .env("NO_COLOR", "1")
        .output()
        .expect("vsh runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{name} failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn in_order(text: &str, lines: &[&str]) {
    let mut rest = text;
    for line in lines {
        match rest.find(line) {
            Some(i) => rest = &rest[i + line.len()..],
            None => panic!("missing {line:?} (in this order) in:\n{text}"),
        }
    }
}

#[test]
fn every_script_is_tested() {
    let dir = format!("{}/scripts", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "01-namespaces.vnet",
            "02-veth.vnet",
            "03-netns-api.vnet",
            "04-veth-peer.vnet",
            "05-bridge.vnet",
            "06-graph.vnet"
        ]
    );
}

#[test]
fn namespaces_01() {
    let out = run_script("01-namespaces.vnet");
    in_order(
        &out,
        &[
            "netns1\n",
            "netns1 is gone",
            "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN",
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN",
            "1 packets transmitted, 1 received, 0% packet loss",
            "lo\n",
            "unknown\n",
            "inet 127.0.0.1/8 scope host lo",
            "01 done",
        ],
    );
}

#[test]
fn veth_02() {
    let out = run_script("02-veth.vnet");
    in_order(
        &out,
        &[
            "2 packets transmitted, 2 received, 0% packet loss",
            "2 packets transmitted, 2 received, 0% packet loss",
            "veth0@if",
            "inet 10.1.1.2/24 scope global veth0",
            "veth1@if",
            "inet 10.1.1.1/24 scope global veth1",
            "veth1@veth0:",
            "02 done",
        ],
    );
}

#[test]
fn netns_api_03() {
    let out = run_script("03-netns-api.vnet");
    // The holder's namespace is tmp; its ns file and the bind mount are the same inode.
    let inode = out
        .lines()
        .find_map(|l| l.strip_prefix("the holder's /proc/PID/ns/net: net:["))
        .and_then(|l| l.strip_suffix(']'))
        .expect("readlink /proc/PID/ns/net");
    in_order(
        &out,
        &[
            "the holder's namespace: tmp\n",
            "the processes in tmp: ",
            &format!("the inode of /run/netns/tmp is {inode}"),
            "the namespaces now: kept\n",
            "1: lo: <LOOPBACK,UP,LOWER_UP>",
            "v1@if",
            "/proc/net/dev, read from a namespace of its own:\n",
            "    lo:",
            "the namespaces left: \n",
            "03 done",
        ],
    );
    // cat /proc/net/dev after unshare: lo only.
    let dev = out.split("Inter-|").nth(1).unwrap();
    assert!(!dev.contains("v0:") && !dev.contains("v1:"), "{dev}");
}

/// The line after `marker` in `text`.
fn line_after<'a>(text: &'a str, marker: &str) -> &'a str {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in:\n{text}"));
    text[start + marker.len()..]
        .lines()
        .nth(1)
        .unwrap_or_else(|| panic!("nothing after {marker:?} in:\n{text}"))
}

#[test]
fn veth_peer_04() {
    let out = run_script("04-veth-peer.vnet");
    // Every method names the same two ifindexes: veth1's (in netns1) and veth0's (in root).
    let veth0_iflink = out
        .lines()
        .skip_while(|l| *l != "/sys/class/net/veth0/ifindex")
        .nth(1)
        .unwrap_or_else(|| panic!("no host iflink in:\n{out}"));
    let veth1_iflink = line_after(&out, "method 1: iflink");
    in_order(
        &out,
        &[
            "method 1: iflink",
            // The host device whose ifindex is the container's iflink: veth0.
            "/sys/class/net/veth0/ifindex\n",
            "method 2: link show",
            &format!("veth0@if{veth0_iflink}: "),
            "link-netns netns1",
            &format!("veth1@if{veth1_iflink}: "),
            "method 3: stats",
            &format!("     peer_ifindex: {veth0_iflink}\n"),
            "Link statistics:",
            &format!("     peer_ifindex: {veth1_iflink}\n"),
            "method 4: peer",
            &format!("veth0: peer veth1 ifindex {veth0_iflink} netns netns1\n"),
            &format!("veth1: peer veth0 ifindex {veth1_iflink} netns root\n"),
            "the whole picture: graph",
            "├── veth0  veth up  ⇄ netns1/veth1\n",
            "├── veth1  veth up  ⇄ root/veth0\n",
            "04 done",
        ],
    );
}

#[test]
fn bridge_05() {
    let out = run_script("05-bridge.vnet");
    in_order(
        &out,
        &[
            "veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 \n",
            "capturing on veth1",
            // Through veth0, a port now, the ping gets no answer.
            "1 packets transmitted, 0 received, 100% packet loss",
            "inet 1.2.3.101/24 scope global br0",
            "capturing on br0",
            "PING 1.2.3.102 (1.2.3.102) from 1.2.3.101 br0",
            "1 packets transmitted, 1 received, 0% packet loss",
            "05 done",
        ],
    );
    // The packets each capture saw: their lines interleave with ping's as they happen, and
    // all come before the ping's summary.
    let (first, second) = out.split_once("capturing on br0").unwrap();
    in_order(
        first,
        &[
            "capturing on veth1",
            "ARP, Request who-has 1.2.3.102 tell 1.2.3.101, length 28",
            "--- 1.2.3.102 ping statistics ---",
        ],
    );
    in_order(
        first,
        &[
            "ARP, Reply 1.2.3.102 is-at ",
            "--- 1.2.3.102 ping statistics ---",
        ],
    );
    in_order(
        second,
        &[
            "IP 1.2.3.101 > 1.2.3.102: ICMP echo request",
            "--- 1.2.3.102 ping statistics ---",
        ],
    );
    assert!(second.contains("64 bytes from 1.2.3.102: icmp_seq=1"));
}

/// The lines of the first packet described by `what` after `from` in `out`: its path, and
/// why it stopped.
fn traced<'a>(out: &'a str, from: &str, what: &str) -> Vec<&'a str> {
    let start = out
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in:\n{out}"));
    let mut lines = out[start..].lines().skip_while(|l| !l.contains(what));
    assert!(
        lines.next().is_some(),
        "no {what:?} after {from:?} in:\n{out}"
    );
    lines
        .take_while(|l| l.starts_with("    "))
        .map(str::trim)
        .collect()
}

#[test]
fn bridge_05_traces() {
    let out = run_script("05-bridge.vnet");
    let (failing, working) = out
        .split_once("from 1.2.3.101 br0")
        .expect("the working ping");
    assert_eq!(
        traced(failing, "tracing ", "ARP, Reply 1.2.3.102 is-at "),
        [
            "root/veth1 → root/veth0 → root/br0",
            "delivered to veth0 (a bridge port), never to its stack"
        ]
    );
    assert_eq!(
        traced(working, "tracing ", "ICMP echo request"),
        ["root/br0 → root/veth0 → root/veth1"]
    );
    assert_eq!(traced(working, "tracing ", "ICMP echo reply"), ["root/lo"]);
}

#[test]
fn graph_06() {
    let out = run_script("06-graph.vnet");
    in_order(
        &out,
        &[
            "├── br0  bridge up  10.0.0.254/24\n",
            "│   ├── v1  veth up  ⇄ h1/e1\n",
            "│   └── v2  veth up  ⇄ h2/e2\n",
            "h1  net:[",
            "├── e1  veth up  10.0.0.1/24  ⇄ root/v1\n",
            "h2  net:[",
            "├── e2  veth up  10.0.0.2/24  ⇄ root/v2\n",
            "wrote /tmp/vsh-lab.html",
            "06 done",
        ],
    );
    let page = std::fs::read_to_string("/tmp/vsh-lab.html").unwrap();
    // Leave nothing behind (a root-owned file would stop a later run as another user).
    let _ = std::fs::remove_file("/tmp/vsh-lab.html");
    for cell in [
        "<td>root</td><td>br0</td>",
        "<td>h1</td><td>e1</td>",
        "<td>h2</td><td>e2</td>",
    ] {
        assert!(page.contains(cell), "{cell}");
    }
    assert!(page.contains("<svg") && page.contains(">v1 ⇄ e1<"));
}

#[test]
fn every_script_passes_check() {
    let dir = format!("{}/scripts", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let out = Command::new(VSH)
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
