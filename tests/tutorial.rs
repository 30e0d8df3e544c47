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
        ["01-namespaces.vnet", "02-veth.vnet", "03-netns-api.vnet"]
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
            "inet 10.1.1.2/24 brd 10.1.1.255 scope global veth0",
            "veth1@if",
            "inet 10.1.1.1/24 brd 10.1.1.255 scope global veth1",
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
        .find_map(|l| l.strip_prefix("net:["))
        .and_then(|l| l.strip_suffix(']'))
        .expect("readlink /proc/PID/ns/net");
    in_order(
        &out,
        &[
            "tmp\n",
            &format!("the inode of /run/netns/tmp is {inode}"),
            "kept\n",
            "1: lo: <LOOPBACK,UP,LOWER_UP>",
            "v1@if",
            "    lo:",
            "03 done",
        ],
    );
    // cat /proc/net/dev after unshare: lo only.
    let dev = out.split("Inter-|").nth(1).unwrap();
    assert!(!dev.contains("v0:") && !dev.contains("v1:"), "{dev}");
}
