//! Bridges: the bridge block, ports, addresses on the bridge, `bridge link`, against
//! `ip -j`, `bridge -j link` and `bridge link`'s own text.

use crate::lab::{addrs, flags, link, Lab};

/// The port called `name` in a `bridge -j link` answer.
fn port<'a>(ports: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    ports
        .as_array()
        .and_then(|a| a.iter().find(|p| p["ifname"] == name))
        .unwrap_or_else(|| panic!("no port {name} in {ports}"))
}

#[test]
fn the_block_makes_the_bridge_enslaves_brings_up_and_addresses() {
    needs_root!();
    let run = Lab::new(
        "veth veth0 peer veth1\n\
         veth veth2 peer veth3\n\
         bridge br0 {\n\
             port veth0 veth2   # both ends of the bridge side\n\
             addr 1.2.3.101/24\n\
             addr 2001:db8::101/64\n\
         }\n",
    )
    .oracle("ip -j addr show")
    .oracle("bridge -j link")
    .run()
    .success();
    let (all, ports) = (run.json(0), run.json(1));
    let br = link(&all, "br0");
    assert!(flags(br).contains(&"UP".to_string()));
    let mut got = addrs(&all, "br0");
    got.sort();
    assert_eq!(got, ["1.2.3.101/24", "2001:db8::101/64"]);
    for name in ["veth0", "veth2"] {
        assert_eq!(link(&all, name)["master"], "br0");
        assert!(flags(link(&all, name)).contains(&"UP".to_string()));
        assert_eq!(port(&ports, name)["master"], "br0");
    }
    // The far ends were not touched.
    assert!(link(&all, "veth1").get("master").is_none());
    assert!(!flags(link(&all, "veth1")).contains(&"UP".to_string()));
}

#[test]
fn the_block_is_idempotent_when_the_bridge_exists() {
    needs_root!();
    let run = Lab::new(
        "veth veth0 peer veth1\n\
         link add br0 type bridge\n\
         bridge br0 { port veth0; addr 1.2.3.101/24 }\n\
         bridge br0 { port veth0; addr 1.2.3.101/24 }\n\
         bridge br0 {\n}\n",
    )
    .oracle("ip -j addr show")
    .oracle("ip -j -d link show br0")
    .run()
    .success();
    let all = run.json(0);
    assert_eq!(addrs(&all, "br0"), ["1.2.3.101/24"]);
    assert_eq!(link(&all, "veth0")["master"], "br0");
    assert_eq!(run.json(1)[0]["linkinfo"]["info_kind"], "bridge");
    // One br0, not two.
    let count = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["ifname"] == "br0")
        .count();
    assert_eq!(count, 1);
}

#[test]
fn a_port_leaves_with_nomaster_and_an_address_moves_to_the_bridge() {
    needs_root!();
    // The document's section 3.6: the IP moves from veth0 to br0.
    let run = Lab::new(
        "link add name br0 type bridge\n\
         link set br0 up\n\
         ip link add veth0 type veth peer name veth1\n\
         ip addr add 1.2.3.101/24 dev veth0\n\
         ip link set dev veth0 master br0\n\
         veth veth2 peer veth3\n\
         link set veth2 master br0\n\
         link set veth2 nomaster\n\
         ip addr del 1.2.3.101/24 dev veth0\n\
         ip addr add 1.2.3.101/24 dev br0\n",
    )
    .oracle("ip -j addr show")
    .oracle("bridge -j link")
    .run()
    .success();
    let (all, ports) = (run.json(0), run.json(1));
    assert!(addrs(&all, "veth0").is_empty());
    assert_eq!(addrs(&all, "br0"), ["1.2.3.101/24"]);
    assert!(link(&all, "veth2").get("master").is_none());
    let names: Vec<&str> = ports
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["ifname"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["veth0"]);
}

#[test]
fn bridge_link_prints_what_bridge_link_prints() {
    needs_root!();
    // The kernel moves a port to forwarding when its carrier comes, a little later: wait for
    // that (a condition, not a time), so that vsh and `bridge` read the same state.
    let run = Lab::new(
        "veth veth0 peer veth1\n\
         veth veth2 peer veth3\n\
         veth veth4 peer veth5\n\
         link set veth1 up\n\
         bridge br0 { port veth0 veth2 }\n\
         link add br1 type bridge\n\
         link set veth4 master br1\n\
         exec timeout 10 sh -c 'until bridge link show dev veth0 | grep -q forwarding; do sleep 0.05; done'\n\
         bridge link\n\
         echo ---\n\
         bridge link show dev veth2\n",
    )
    .oracle("bridge link")
    .oracle("bridge link show dev veth2")
    .run()
    .success();
    let (all, one) = run.stdout.split_once("---\n").unwrap();
    assert_eq!(all, run.oracle(0));
    assert_eq!(one, run.oracle(1));
    // Ports up and down, with a peer up (veth0) and down (veth2: M-DOWN), on two bridges.
    assert!(all.contains("veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0"));
    assert!(all.contains("M-DOWN"));
    assert!(all.contains("master br1 state disabled"));
}

#[test]
fn a_port_with_its_peer_in_another_namespace() {
    needs_root!();
    let run = Lab::new(
        "netns add n1\n\
         veth veth0 peer veth1 netns n1\n\
         bridge br0 { port veth0 }\n\
         bridge link\n",
    )
    .oracle("ip -j link show veth0")
    .run()
    .success();
    let peer = run.json(0)[0]["link_index"].as_u64().unwrap();
    // As `ip link` names it: the peer's ifindex, which means nothing in this namespace.
    assert!(
        run.stdout.contains(&format!("veth0@if{peer}: ")),
        "{}",
        run.stdout
    );
    // Its state depends on the carrier, which depends on a peer this test leaves down.
    assert!(run.stdout.contains(" mtu 1500 master br0 state "));
}

#[test]
fn a_missing_port_is_named_and_pointed_at_and_nothing_changes() {
    needs_root!();
    // --keep: what the run made before failing stays, so the oracle can see it was untouched.
    let run = Lab::new("veth veth0 peer veth1\nbridge br0 {\n    port veth0 nothere\n}\n")
        .flag("--keep")
        .oracle("ip -j link show")
        .run()
        .failure(1);
    assert_eq!(
        run.stderr,
        "vsh::link::not_found

  × cannot find device \"nothere\" in the root namespace
   ╭─[script.vnet:3:16]
 2 │ bridge br0 {
 3 │     port veth0 nothere
   ·                ───┬───
   ·                   ╰── no such device
 4 │ }
   ╰────
  help: `link list` shows the devices in the root namespace

vsh: kept what this run made and changed (2 journal entries); undo it with: vsh down script.vnet
"
    );
    // Checked before anything changed: no bridge, veth0 still free.
    let all = run.json(0);
    assert!(all.as_array().unwrap().iter().all(|l| l["ifname"] != "br0"));
    assert!(link(&all, "veth0").get("master").is_none());
}

#[test]
fn a_block_over_a_device_that_is_not_a_bridge() {
    needs_root!();
    Lab::new("veth br0 peer x1\nbridge br0 { addr 10.0.0.1/24 }\n")
        .run()
        .failure(1)
        .stderr_has("\"br0\" is a veth, not a bridge")
        .stderr_has("script.vnet:2:8");
}
