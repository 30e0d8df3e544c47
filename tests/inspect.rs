//! `peer` and `stats` (the document's section 2), against `ip -j link`, `ip link show`
//! and `ethtool -S`.

use crate::lab::{link, Lab};

/// The `ethtool -S` block of vsh's `stats` output: from `NIC statistics:` up to the link's part.
fn nic_block(stdout: &str) -> &str {
    let start = stdout
        .find("NIC statistics:")
        .expect("a NIC statistics block");
    let rest = &stdout[start..];
    rest.find("Link statistics:")
        .map_or(rest, |end| &rest[..end])
}

#[test]
fn peers_across_namespaces_agree_with_ip() {
    needs_root!();
    let run = Lab::new(
        "netns add n1\n\
         netns add n2\n\
         veth veth0 peer veth1 netns n1\n\
         ip -n n1 link add a1 type veth peer name a2 netns n2\n\
         veth h0 peer h1\n\
         peer veth0\n\
         netns n1 { peer veth1; peer a1 }\n\
         ip -n n2 link set a2 up\n\
         netns n2 { peer dev a2 }\n\
         peer h0\n",
    )
    .oracle("ip -j link show")
    .oracle("ip -n n1 -j link show")
    .oracle("ip -n n2 -j link show")
    .oracle("ip -j netns list-id")
    .oracle("ip -n n1 -j netns list-id")
    .run()
    .success();
    let (root, n1, n2) = (run.json(0), run.json(1), run.json(2));
    let idx = |links: &serde_json::Value, name| link(links, name)["ifindex"].clone();
    // Each answer names the peer, its ifindex as ip's link_index, and its namespace.
    assert_eq!(link(&root, "veth0")["link_index"], idx(&n1, "veth1"));
    assert_eq!(link(&n1, "veth1")["link_index"], idx(&root, "veth0"));
    assert_eq!(link(&n1, "a1")["link_index"], idx(&n2, "a2"));
    let expected = [
        format!("veth0: peer veth1 ifindex {} netns n1", idx(&n1, "veth1")),
        format!(
            "veth1: peer veth0 ifindex {} netns root",
            idx(&root, "veth0")
        ),
        format!("a1: peer a2 ifindex {} netns n2", idx(&n2, "a2")),
        format!("a2: peer a1 ifindex {} netns n1", idx(&n1, "a1")),
        format!("h0: peer h1 ifindex {} netns root", idx(&root, "h1")),
    ];
    assert_eq!(run.stdout, expected.join("\n") + "\n");
    // ip's link_netnsid, mapped to a name through `ip netns list-id`, is the namespace vsh
    // named; the root has no name there, and vsh calls it root.
    let nsid_of = |ids: &serde_json::Value, name: &str| {
        ids.as_array()
            .and_then(|a| a.iter().find(|i| i["name"] == name))
            .map(|i| i["nsid"].clone())
            .unwrap_or_else(|| panic!("no nsid for {name} in {ids}"))
    };
    let (ids_root, ids_n1) = (run.json(3), run.json(4));
    assert_eq!(
        link(&root, "veth0")["link_netnsid"],
        nsid_of(&ids_root, "n1")
    );
    assert_eq!(link(&n1, "a1")["link_netnsid"], nsid_of(&ids_n1, "n2"));
    let root_seen_from_n1 = &link(&n1, "veth1")["link_netnsid"];
    assert!(root_seen_from_n1.is_number());
    assert!(ids_n1
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["nsid"] != *root_seen_from_n1 || i.get("name").is_none()));
    assert!(link(&root, "h0").get("link_netnsid").is_none());
}

#[test]
fn link_show_names_the_peer_as_ip_does_across_namespaces() {
    needs_root!();
    let run = Lab::new(
        "netns add n1\n\
         veth veth0 peer veth1 netns n1\n\
         link show veth0\n\
         echo ---\n\
         ip -n n1 link show veth1\n",
    )
    .oracle("ip link show veth0")
    .oracle("ip -n n1 link show veth1")
    .run()
    .success()
    .stdout_has("link-netns n1");
    let (root, inside) = run.stdout.split_once("---\n").unwrap();
    assert_eq!(root, run.oracle(0));
    assert_eq!(inside, run.oracle(1));
}

#[test]
fn peer_of_something_that_is_not_a_veth() {
    needs_root!();
    Lab::new("link add br0 type bridge\npeer br0\n")
        .run()
        .failure(1)
        .stderr_has("\"br0\" is a bridge, not a veth")
        .stderr_has("script.vnet:2:6");
    Lab::new("peer nothere\n")
        .run()
        .failure(1)
        .stderr_has("cannot find device \"nothere\" in the root namespace");
}

#[test]
fn stats_agrees_with_ethtool() {
    needs_root!();
    // Devices stay down: no packet moves a counter between vsh's read and ethtool's.
    let run = Lab::new(
        "netns add n1\n\
         veth veth0 peer veth1 netns n1\n\
         stats veth0\n\
         echo ---\n\
         netns n1 { stats veth1 }\n",
    )
    .oracle("ethtool -S veth0")
    .oracle("ip netns exec n1 ethtool -S veth1")
    .oracle("ip -j link show veth0")
    .oracle("ip -n n1 -j link show veth1")
    .run()
    .success();
    let (root, inside) = run.stdout.split_once("---\n").unwrap();
    assert_eq!(nic_block(root), run.oracle(0));
    assert_eq!(nic_block(inside), run.oracle(1));
    // peer_ifindex is the peer's ifindex in its own namespace.
    let peer1 = run.json(3)[0]["ifindex"].as_u64().unwrap();
    let peer0 = run.json(2)[0]["ifindex"].as_u64().unwrap();
    assert!(root.contains(&format!("     peer_ifindex: {peer1}\n")));
    assert!(inside.contains(&format!("     peer_ifindex: {peer0}\n")));
    assert!(root.contains("rx_queue_0_xdp_packets: 0"));
}

#[test]
fn stats_counts_the_links_packets() {
    needs_root!();
    // v0 stays down, so nothing moves its counters between vsh's read and ip's.
    let run = Lab::new(
        "veth v0 peer v1\n\
         link add br0 type bridge\n\
         stats v0\n\
         stats br0\n",
    )
    .oracle("ip -j -s link show v0")
    .oracle("ethtool -S br0; echo status=$?")
    .run()
    .success()
    .stdout_has("no stats available\n");
    let s = &run.json(0)[0]["stats64"];
    for (name, value) in [
        ("rx_packets", &s["rx"]["packets"]),
        ("rx_bytes", &s["rx"]["bytes"]),
        ("tx_packets", &s["tx"]["packets"]),
        ("tx_dropped", &s["tx"]["dropped"]),
    ] {
        assert!(
            run.stdout.contains(&format!("     {name}: {value}\n")),
            "{name} {value}\n{}",
            run.stdout
        );
    }
    // ethtool has nothing for a bridge either.
    assert!(run.oracle(1).contains("status=94"), "{}", run.oracle(1));
}
