//! Routes: add, delete, default, via, dev, src, metric, IPv4 and IPv6, in a namespace too,
//! against `ip -j route` and `ip route`'s own text.

use crate::lab::{refused_alike, Lab, VSH};
use std::process::Command;

/// The route to `dst` in an `ip -j route` answer.
fn route<'a>(routes: &'a serde_json::Value, dst: &str) -> &'a serde_json::Value {
    routes
        .as_array()
        .and_then(|a| a.iter().find(|r| r["dst"] == dst))
        .unwrap_or_else(|| panic!("no route to {dst} in {routes}"))
}

fn has_route(routes: &serde_json::Value, dst: &str) -> bool {
    routes.as_array().unwrap().iter().any(|r| r["dst"] == dst)
}

const SETUP: &str = "veth veth0 peer veth1\n\
                     addr add 10.1.1.2/24 dev veth0\n\
                     addr add 2001:db8::2/64 dev veth0\n\
                     link set veth0 up\n\
                     link set veth1 up\n";

#[test]
fn add_via_dev_src_metric_and_default() {
    needs_root!();
    let run = Lab::new(&format!(
        "{SETUP}\
         route add default via 10.1.1.1\n\
         ip route add 10.9.0.0/16 via 10.1.1.1 dev veth0 metric 7\n\
         route add 10.8.0.0/16 dev veth0 src 10.1.1.2\n\
         route add 10.7.0.1 dev veth0\n\
         route add 2001:db8:1::/64 via 2001:db8::1\n"
    ))
    .oracle("ip -j route")
    .oracle("ip -j -6 route")
    .run()
    .success();
    let (v4, v6) = (run.json(0), run.json(1));
    let default = route(&v4, "default");
    assert_eq!(default["gateway"], "10.1.1.1");
    assert_eq!(default["dev"], "veth0");
    let via = route(&v4, "10.9.0.0/16");
    assert_eq!(via["gateway"], "10.1.1.1");
    assert_eq!(via["metric"], 7);
    let link = route(&v4, "10.8.0.0/16");
    assert_eq!(link["scope"], "link");
    assert_eq!(link["prefsrc"], "10.1.1.2");
    assert!(link.get("gateway").is_none());
    assert_eq!(route(&v4, "10.7.0.1")["dev"], "veth0");
    assert_eq!(route(&v6, "2001:db8:1::/64")["gateway"], "2001:db8::1");
}

#[test]
fn delete_default_and_prefixes() {
    needs_root!();
    let run = Lab::new(&format!(
        "{SETUP}\
         route add default via 10.1.1.1\n\
         route add 10.9.0.0/16 via 10.1.1.1\n\
         route add 10.8.0.0/16 via 10.1.1.1\n\
         route add 2001:db8:1::/64 via 2001:db8::1\n\
         route del default\n\
         ip route del 10.9.0.0/16 via 10.1.1.1\n\
         route delete 2001:db8:1::/64\n"
    ))
    .oracle("ip -j route")
    .oracle("ip -j -6 route")
    .run()
    .success();
    let (v4, v6) = (run.json(0), run.json(1));
    assert!(!has_route(&v4, "default"));
    assert!(!has_route(&v4, "10.9.0.0/16"));
    assert!(has_route(&v4, "10.8.0.0/16"));
    assert!(!has_route(&v6, "2001:db8:1::/64"));
}

#[test]
fn route_show_prints_what_ip_route_prints() {
    needs_root!();
    // veth0's routes are `linkdown` until the kernel sees its carrier, a little after both
    // ends are up: wait for that (a condition, not a time) so vsh and ip read the same table.
    let run = Lab::new(&format!(
        "{SETUP}\
         route add default via 10.1.1.1 metric 5\n\
         route add 10.9.0.0/16 via 10.1.1.1 dev veth0\n\
         route add 10.8.0.0/16 dev veth1 src 10.1.1.2 metric 3\n\
         route add 10.7.0.1 dev veth0\n\
         route add 2001:db8:1::/64 via 2001:db8::1\n\
         veth x0 peer x1\n\
         addr add 10.5.0.1/24 dev x0\n\
         link set x0 up\n\
         exec timeout 10 sh -c 'while ip route show dev veth0 | grep -q linkdown; do sleep 0.05; done'\n\
         route\n\
         echo ---\n\
         ip -6 route show\n\
         echo ---\n\
         route show dev veth0\n"
    ))
    .oracle("ip route")
    .oracle("ip -6 route show")
    .oracle("ip route show dev veth0")
    .run()
    .success();
    let parts: Vec<&str> = run.stdout.split("---\n").collect();
    assert_eq!(parts.len(), 3);
    for (i, part) in parts.iter().enumerate() {
        assert_eq!(*part, run.oracle(i), "listing {i}");
    }
    // What the comparisons covered: kernel routes, a linkdown one (x0's peer is down), v6 prefs.
    assert!(parts[0].contains("10.1.1.0/24 dev veth0 proto kernel scope link src 10.1.1.2 \n"));
    assert!(parts[0].contains("default via 10.1.1.1 dev veth0 metric 5 \n"));
    assert!(parts[0].contains("linkdown"));
    assert!(parts[1].contains("pref medium"));
}

#[test]
fn routes_inside_a_namespace() {
    needs_root!();
    let run = Lab::new(
        "netns add n1\n\
         veth veth0 peer veth1 netns n1\n\
         ip -n n1 addr add 10.1.1.1/24 dev veth1\n\
         ip -n n1 link set veth1 up\n\
         ip -n n1 route add default via 10.1.1.2\n\
         netns n1 {\n\
             route add 10.3.0.0/16 dev veth1 metric 9\n\
             route\n\
         }\n\
         echo ---\n\
         route\n",
    )
    .oracle("ip -n n1 -j route")
    .oracle("ip -n n1 route")
    .oracle("ip route")
    .run()
    .success();
    let routes = run.json(0);
    assert_eq!(route(&routes, "default")["gateway"], "10.1.1.2");
    assert_eq!(route(&routes, "10.3.0.0/16")["metric"], 9);
    let (inside, outside) = run.stdout.split_once("---\n").unwrap();
    assert_eq!(inside, run.oracle(1));
    assert_eq!(outside, run.oracle(2));
    assert!(!outside.contains("10.3.0.0"));
}

#[test]
fn an_unreachable_gateway_gives_the_kernels_message() {
    needs_root!();
    let run = Lab::new(&format!("{SETUP}route add 10.9.0.0/16 via 10.200.0.1\n"))
        .oracle("ip -j route")
        .run()
        .failure(1)
        // The report wraps at 80 columns, after "invalid".
        .stderr_has("cannot add route 10.9.0.0/16 in the root namespace: Nexthop has invalid")
        .stderr_has("script.vnet:6:1")
        .stderr_has("the gateway must be on a network this namespace reaches");
    assert!(run.stderr.contains("│ gateway\n"), "{}", run.stderr);
    assert!(!has_route(&run.json(0), "10.9.0.0/16"));
}

#[test]
fn refusals_before_the_kernel_and_from_it() {
    needs_root!();
    Lab::new(&format!("{SETUP}route add 10.9.0.0/16 via 2001:db8::1\n"))
        .run()
        .failure(1)
        .stderr_has("the gateway must be an IPv4 address")
        .stderr_has("script.vnet:6:27");
    Lab::new(&format!("{SETUP}route add 10.9.0.0/16 via 10.1.1.300\n"))
        .run()
        .failure(1)
        .stderr_has("\"10.1.1.300\" is not an IP address");
    Lab::new(&format!(
        "{SETUP}route add 10.9.0.0/16 via 10.1.1.1\nroute add 10.9.0.0/16 via 10.1.1.1\n"
    ))
    .run()
    .failure(1)
    .stderr_has("File exists")
    .stderr_has("script.vnet:7:1");
    Lab::new(&format!("{SETUP}route del 10.99.0.0/16\n"))
        .run()
        .failure(1)
        .stderr_has("cannot delete route 10.99.0.0/16 in the root namespace: No such process");
}

#[test]
fn other_route_lines_still_run_programs() {
    needs_root!();
    // `route -n` (net-tools) and `bridge fdb` (iproute2) are not vsh forms: they run the
    // programs of those names, found on PATH (stand-ins here, which say how they were run).
    Lab::new("route -n\nbridge fdb show dev br0\n")
        .shell(
            "mkdir bin
             for p in route bridge; do
                 printf '#!/bin/sh\\necho \"ran %s $*\"\\n' $p > bin/$p
                 chmod +x bin/$p
             done
             PATH=$PWD/bin:$PATH \"$VSH\" script.vnet",
        )
        .run()
        .success()
        .stdout_has("ran route -n\nran bridge fdb show dev br0\n");
    // A line that starts like a vsh form is one: a mistake in it is a syntax error.
    Lab::new("route add 10.0.0.0/8 vai 10.1.1.1\n")
        .run()
        .failure(2)
        .stderr_has("expected `dev`, `metric`, `mtu`, `nexthop`, `onlink`, `proto`, `scope`, `src`, `table`, `via` or end of line");
}

#[test]
fn route_and_addr_selectors_are_checked_by_the_resolver_the_run_uses() {
    // `--check` runs the evaluator's own resolver on the words it can know: each bad value is
    // named at its word, before and during the run alike.
    for (line, said) in [
        ("ip route add 10.0.0.0/8 dev lo mtu big", "\"big\""),
        (
            "ip route add 10.0.0.0/8 nexthop via 10.1.1.1 weight 0",
            "a weight (1 to 256)",
        ),
        ("ip route add table nowhere 10.0.0.0/8 dev lo", "a table"),
        (
            "ip route replace 10.0.0.0/8 nexthop via 2001:db8::1 nexthop via 10.1.1.1",
            "nexthop's gateway",
        ),
        ("ip route show table nope", "a table"),
        ("ip route flush proto nope", "a protocol"),
        ("ip route flush exact 10.1.1.1/33", "10.1.1.1/33"),
        ("ip addr show scope galaxy", "a scope"),
        ("ip -4 addr flush to 10.1.1.1/33", "10.1.1.1/33"),
        (
            "ip -4 addr add 2001:db8::1/64 dev lo",
            "the address must be an IPv4 address, as `-4` says",
        ),
        ("ip route get 10.1.1.300", "an IP address"),
        (
            "ip -6 route get 10.1.1.1",
            "the destination must be an IPv6 address, as `-6` says",
        ),
        (
            "ip route get 10.1.1.1 from 2001:db8::1",
            "the source must be an IPv4 address",
        ),
    ] {
        refused_alike(line, said);
    }
    // A value in a variable is the run's to judge.
    let fine = Command::new(VSH)
        .args([
            "--check",
            "-c",
            "let m = 1400; ip route add 10.0.0.0/8 dev lo mtu $m table $m",
        ])
        .output()
        .unwrap();
    assert!(fine.status.success(), "{fine:?}");
}
