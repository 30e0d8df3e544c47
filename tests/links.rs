//! Links and addresses, compared with what iproute2 reports.

use crate::lab::{addrs, flags, link, Lab};

#[test]
fn the_documents_veth_pair_with_one_end_moved() {
    needs_root!();
    let run = Lab::new(
        "netns add netns1\n\
         ip link add veth0 type veth peer name veth1\n\
         ip link set veth1 netns netns1\n\
         ip -n netns1 addr add 10.1.1.1/24 dev veth1\n\
         ip -n netns1 link set dev veth1 up\n\
         addr add 10.1.1.2/24 dev veth0\n\
         link set veth0 up\n\
         link show veth0\n",
    )
    .oracle("ip -j addr show")
    .oracle("ip -n netns1 -j addr show")
    .run()
    .success()
    .stdout_has("veth0@if")
    .stdout_has("link-netns netns1");
    let (root, inside) = (run.json(0), run.json(1));
    assert_eq!(addrs(&root, "veth0"), ["10.1.1.2/24"]);
    assert_eq!(addrs(&inside, "veth1"), ["10.1.1.1/24"]);
    assert_eq!(link(&inside, "veth1")["operstate"], "UP");
    assert_eq!(link(&root, "veth0")["operstate"], "UP");
    // No broadcast unless `brd` asks for one, as iproute2 6.1.
    assert_eq!(
        link(&root, "veth0")["addr_info"][0]["broadcast"],
        serde_json::Value::Null
    );
}

#[test]
fn a_peer_created_in_place() {
    needs_root!();
    let run = Lab::new(
        "netns add h1\n\
         veth v0 peer v1 netns h1\n\
         link add a0 type veth peer name a1 netns h1\n",
    )
    .oracle("ip -j link show")
    .oracle("ip -n h1 -j link show")
    .run()
    .success();
    let (root, h1) = (run.json(0), run.json(1));
    for (here, there) in [("v0", "v1"), ("a0", "a1")] {
        let peer = link(&h1, there);
        assert_eq!(link(&root, here)["link_index"], peer["ifindex"]);
        assert_eq!(peer["link_index"], link(&root, here)["ifindex"]);
        assert!(root
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["ifname"] != there));
    }
}

#[test]
fn addresses_v4_and_v6_on_both_ends_and_delete() {
    needs_root!();
    let run = Lab::new(
        "veth a peer b\n\
         addr add 10.9.0.1/24 dev a\n\
         addr add 2001:db8::1/64 dev a\n\
         addr add 10.9.0.2/24 dev b\n\
         addr add 10.9.0.3/24 dev b\n\
         addr del 10.9.0.3/24 dev b\n\
         link set a up; link set b up\n\
         addr show dev a\n",
    )
    .oracle("ip -j addr show")
    .run()
    .success()
    .stdout_has("inet 10.9.0.1/24 scope global a")
    .stdout_has("inet6 2001:db8::1/64 scope global");
    let all = run.json(0);
    let a = addrs(&all, "a");
    assert!(a.contains(&"10.9.0.1/24".to_string()) && a.contains(&"2001:db8::1/64".to_string()));
    assert_eq!(addrs(&all, "b"), ["10.9.0.2/24"]);
}

#[test]
fn link_show_matches_ip_link_show() {
    needs_root!();
    let run = Lab::new("veth veth0 peer veth1\nlink set veth0 up\nlink show\n")
        .oracle("ip link show")
        .run()
        .success();
    // Same lines as iproute2, for every link (the MAC addresses included).
    assert_eq!(run.stdout, run.oracle(0));
}

#[test]
fn addr_show_matches_ip_addr_show() {
    needs_root!();
    let run = Lab::new(
        "link set lo up\nveth veth0 peer veth1\naddr add 10.7.0.1/24 dev veth0\naddr add 10.7.1.1/16 dev veth0\naddr show dev veth0\n",
    )
    .oracle("ip addr show dev veth0")
    .run()
    .success();
    assert_eq!(run.stdout, run.oracle(0));
}

#[test]
fn bridge_master_nomaster_down_and_delete() {
    needs_root!();
    let run = Lab::new(
        "link add name br0 type bridge\n\
         link set br0 up\n\
         veth veth0 peer veth1\n\
         veth veth2 peer veth3\n\
         link set dev veth0 master br0\n\
         link set dev veth2 master br0\n\
         link set veth2 nomaster\n\
         link add x0 type veth peer name x1\n\
         link del x0\n\
         link set veth1 up\n\
         link set veth1 down\n\
         link set veth3 mtu 1400 name lan3\n",
    )
    .oracle("ip -j link show")
    .run()
    .success();
    let all = run.json(0);
    assert_eq!(link(&all, "veth0")["master"], "br0");
    assert!(link(&all, "veth2").get("master").is_none());
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["ifname"] != "x0" && l["ifname"] != "x1"));
    assert!(!flags(link(&all, "veth1")).contains(&"UP".to_string()));
    assert!(flags(link(&all, "br0")).contains(&"UP".to_string()));
    assert_eq!(link(&all, "lan3")["mtu"], 1400);
}

#[test]
fn other_link_kinds_the_kernel_has() {
    needs_root!();
    let run = Lab::new(
        "link add br9 type bridge\n\
         link add ifb9 type ifb\n\
         link add mv9 type macvlan link br9 mode bridge\n\
         link add vx9 type vxlan id 42 dstport 4789\n",
    )
    .oracle("ip -j -d link show")
    .run()
    .success();
    let all = run.json(0);
    for (name, kind) in [
        ("br9", "bridge"),
        ("ifb9", "ifb"),
        ("mv9", "macvlan"),
        ("vx9", "vxlan"),
    ] {
        assert_eq!(link(&all, name)["linkinfo"]["info_kind"], kind);
    }
    assert_eq!(link(&all, "vx9")["linkinfo"]["info_data"]["id"], 42);
}

#[test]
fn moving_back_with_netns_1_under_isolated_stays_in_the_sandbox() {
    needs_root!();
    // Under --isolated, PID 1's namespace means the sandbox's own root, never the host's.
    let run = Lab::new(
        "netns add n1\nveth v0 peer v1 netns n1\nip -n n1 link set v1 netns 1\nlink show v1\n",
    )
    .flag("--isolated")
    .oracle("ip -j link show")
    .run()
    .success()
    .stdout_has("v1@v0");
    let outer = run.json(0);
    assert!(outer
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["ifname"] != "v1" && l["ifname"] != "v0"));
}

#[test]
fn operations_after_netns_apply_where_the_device_went() {
    needs_root!();
    // As iproute2's one request: `link set b netns red mtu 1400 up` sets b's MTU in red.
    let run = Lab::new("netns add red\nveth a peer b\nlink set b netns red mtu 1400 up\n")
        .oracle("ip -n red -j link show b")
        .run()
        .success();
    let b = &run.json(0)[0];
    assert_eq!(b["mtu"], 1400);
    assert!(flags(b).contains(&"UP".to_string()));
}

#[test]
fn a_lines_changes_are_one_request_as_iproute2_sends_them() {
    needs_root!();
    // State, master and MTU go to the kernel together, as `ip link set` sends them: a line
    // that works sets them all, and one the kernel refuses sets none, whatever their order.
    let run = Lab::new(
        "link add br0 type bridge\n\
         veth a0 peer a1\n\
         veth b0 peer b1\n\
         link set a0 mtu 1400 master br0 up\n\
         link set b0 up master br0 mtu 70000\n",
    )
    .flag("--keep")
    .oracle("ip link add c0 type veth peer name c1 && ip link set c0 up master br0 mtu 70000")
    .oracle("ip -j link show")
    .run()
    .failure(1)
    .stderr_has("cannot set \"b0\" up master \"br0\" mtu 70000")
    .stderr_has("5 │ link set b0 up master br0 mtu 70000");
    let all = run.json(1);
    let a0 = link(&all, "a0");
    assert_eq!(
        (a0["mtu"].as_u64(), &a0["master"]),
        (Some(1400), &"br0".into())
    );
    assert!(flags(a0).contains(&"UP".to_string()));
    // iproute2 agrees: neither b0 nor c0 was made a port or brought up.
    for refused in ["b0", "c0"] {
        let l = link(&all, refused);
        assert!(l.get("master").is_none(), "{l}");
        assert!(!flags(l).contains(&"UP".to_string()), "{l}");
    }
}
