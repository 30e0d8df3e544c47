//! Tab in the REPL as a person sees it, on a pseudo-terminal in a sandbox: live names by
//! what the statement expects there (namespaces, devices, bridges, addresses).

use crate::repl::{quit, repl, run};

#[test]
fn tab_after_netns_exec_offers_the_namespaces() {
    needs_root!();
    let mut p = repl();
    run(&mut p, "netns add zebra");
    // Two Tabs list what fits: the namespace made here, and root.
    p.send("netns exec \t\t").unwrap();
    p.flush().unwrap();
    p.exp_string("root").unwrap();
    p.exp_string("zebra").unwrap();
    // The line is still there; a prefix completes to the name.
    p.send("ze\t").unwrap();
    p.flush().unwrap();
    p.exp_string("zebra").unwrap();
    p.send_line("ip netns identify; echo done-${7 * 6}")
        .unwrap();
    let out = p.exp_string("done-42").unwrap();
    assert!(out.contains("\nzebra\r\n"), "{out:?}");
    p.exp_string("vsh> ").unwrap();
    quit(&mut p);
}

#[test]
fn tab_after_link_set_offers_devices_and_after_master_only_bridges() {
    needs_root!();
    let mut p = repl();
    run(
        &mut p,
        "veth veth-one peer veth-two; link add br-x type bridge; veth bz0 peer bz1",
    );
    p.send("link set \t\t").unwrap();
    p.flush().unwrap();
    for name in ["br-x", "bz0", "bz1", "dev", "lo", "veth-one", "veth-two"] {
        p.exp_string(name).unwrap();
    }
    p.send("veth-o\t").unwrap();
    p.flush().unwrap();
    p.exp_string("veth-one").unwrap();
    // After `master`, of `br-x`, `bz0` and `bz1` only the bridge fits: `b` completes to it.
    p.send("master b\t").unwrap();
    p.flush().unwrap();
    p.exp_string("br-x").unwrap();
    p.send_line("up; echo set-$?-${7 * 6}").unwrap();
    p.exp_string("set-0-42").unwrap();
    p.exp_string("vsh> ").unwrap();
    p.send_line("link show veth-one").unwrap();
    p.exp_string("master br-x").unwrap();
    p.exp_string("vsh> ").unwrap();
    quit(&mut p);
}

#[test]
fn tab_after_addr_del_offers_the_addresses_there() {
    needs_root!();
    let mut p = repl();
    run(&mut p, "veth d0 peer d1; addr add 10.9.8.7/24 dev d0");
    p.send("addr del 10.9\t").unwrap();
    p.flush().unwrap();
    p.exp_string("10.9.8.7/24").unwrap();
    p.send_line("dev d0; echo del-$?-${7 * 6}").unwrap();
    p.exp_string("del-0-42").unwrap();
    p.exp_string("vsh> ").unwrap();
    p.send_line("addr show dev d0; echo shown-${7 * 6}")
        .unwrap();
    let shown = p.exp_string("shown-42").unwrap();
    assert!(shown.contains("d0@d1: <BROADCAST,MULTICAST"), "{shown:?}");
    assert!(!shown.contains("inet 10.9.8.7"), "{shown:?}");
    quit(&mut p);
}
