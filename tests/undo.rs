//! Exact undo: `vsh down` and a failed run act on objects by identity, never by name, and
//! put back every attribute a run changed on what existed before it.

use crate::lab::Lab;

#[test]
fn down_never_removes_a_namespace_the_run_made_and_deleted_then_a_person_made_again() {
    needs_root!();
    let run = Lab::new("netns add ncj\nnetns del ncj\n")
        .shell(
            "\"$VSH\" script.vnet; echo \"run $?\"
             ip netns add ncj
             \"$VSH\" down script.vnet; echo \"down $?\"",
        )
        .oracle("ip -j netns list")
        .run()
        .success()
        .stdout_has("run 0\n")
        .stdout_has("down 0\n");
    assert!(!run.stdout.contains("removed"), "{}", run.stdout);
    assert_eq!(
        run.json(0)[0]["name"],
        "ncj",
        "the person's namespace survives"
    );
}

#[test]
fn down_leaves_alone_a_namespace_of_the_same_name_that_is_another_object() {
    needs_root!();
    // The run's ncj is deleted by hand and made again by hand: the new one is not the run's.
    let run = Lab::new("netns add ncj\nnetns add other\n")
        .shell(
            "\"$VSH\" script.vnet; echo \"run $?\"
             ip netns del ncj; ip netns add ncj
             \"$VSH\" down script.vnet; echo \"down $?\"",
        )
        .oracle("ip -j netns list")
        .run()
        .success()
        .stdout_has("run 0\n")
        .stdout_has("left namespace ncj alone: namespace ncj is not the one the run saw")
        .stdout_has("removed namespace other\n")
        .stdout_has("down 0\n");
    let list = run.json(0);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["ncj"],
        "the person's ncj survives, the run's other is gone"
    );
}

/// Objects a person made before the run: a bridge with a veth port, addresses and routes in
/// the root namespace, and a namespace of their own with its lo up and an address.
const BEFORE: &str = "ip link add br9 type bridge && ip link set br9 up \
    && ip link add p0 type veth peer name p1 && ip link set p0 master br9 && ip link set p0 up \
    && ip link set p1 up && ip link add q0 type veth peer name q1 && ip link set q0 mtu 1400 \
    && ip addr add 10.7.0.1/24 dev p1 && ip addr add 2001:db8:7::1/64 dev p1 nodad \
    && ip addr add 10.6.0.1/24 dev br9 \
    && ip route add 10.70.0.0/16 via 10.7.0.254 && ip route add 10.71.0.0/16 dev p1 metric 5 \
    && ip -6 route add 2001:db8:70::/48 via 2001:db8:7::fe \
    && ip netns add mine && ip -n mine link set lo up && ip -n mine addr add 10.9.9.9/32 dev lo";

/// A script that changes each of them, makes things of its own, and fails at its last line.
const CHANGES: &str = "netns add lab
veth v0 peer v1 netns lab
route add 10.99.0.0/16 via 10.7.0.254
route del 10.70.0.0/16
link set p1 down
link set q0 mtu 1500
link set p0 nomaster
link set q0 master br9
addr del 10.6.0.1/24 dev br9
addr add 10.6.0.2/24 dev br9
link set q1 name renamed1
link set q1x netns lab
netns mine { link set lo down }
bridge br9 { port v0 }
link add v0 type bridge
";

#[test]
fn a_failed_run_puts_back_every_attribute_it_changed() {
    needs_root!();
    let run = Lab::new(CHANGES).before(BEFORE).snapshot().run().failure(1);
    // The run stopped at `link set q1x netns lab` (no such device): the lines before it ran.
    assert!(run.stderr.contains("q1x"), "{}", run.stderr);
    run.same_state();
}

#[test]
fn a_failed_run_with_every_change_reaching_its_end_is_undone_exactly() {
    needs_root!();
    let script = CHANGES.replace("link set q1x netns lab\n", "link set renamed1 netns lab\n");
    let run = Lab::new(&script)
        .before(BEFORE)
        .snapshot()
        .run()
        .failure(1)
        .stderr_has("cannot create \"v0\"")
        .stderr_has("moved link renamed1 back to root")
        .stderr_has("renamed link renamed1 back to q1 in root")
        .stderr_has("put back address 10.6.0.1/24 on br9 in root")
        .stderr_has("removed namespace lab");
    run.same_state();
}

#[test]
fn sigkill_then_down_puts_back_every_attribute_too() {
    needs_root!();
    let script = CHANGES
        .replace("link set q1x netns lab\n", "link set renamed1 netns lab\n")
        .replace("link add v0 type bridge\n", "sleep 30\n");
    let run = Lab::new(&script)
        .before(BEFORE)
        .snapshot()
        .shell(
            "\"$VSH\" script.vnet & pid=$!
             for i in $(seq 200); do child=$(pgrep -P $pid sleep) && break; sleep 0.05; done
             kill -KILL $pid; wait $pid; echo \"status $?\"; kill $child 2>/dev/null
             \"$VSH\" down script.vnet; echo \"down $?\"",
        )
        .run()
        .success()
        .stdout_has("status 137")
        .stdout_has("down 0");
    run.same_state();
}

#[test]
fn an_undo_step_that_fails_is_reported_kept_and_retried_by_down() {
    needs_root!();
    // Kept, then the old name is taken by hand: renaming back fails, and stays journaled.
    let run = Lab::new("link set q1 name renamed1\nlink add x type bridge\nlink add x type bridge\n")
        .before("ip link add q0 type veth peer name q1")
        .shell(
            "\"$VSH\" --keep script.vnet; echo \"run $?\"
             ip link add q1 type bridge
             \"$VSH\" down script.vnet; echo \"down $?\"
             ip link del q1
             \"$VSH\" down script.vnet; echo \"down $?\"
             \"$VSH\" down script.vnet; echo \"down $?\"",
        )
        .oracle("ip -j -d link show q1")
        .run()
        .success()
        .stdout_has("run 1\n")
        .stdout_has("removed link x in root\nfailed: cannot rename link renamed1 back to q1 in root: File exists\nvsh down: 1 steps failed and remain in the journal; run vsh down again to retry\ndown 1\n")
        .stdout_has("renamed link renamed1 back to q1 in root\ndown 0\n")
        .stdout_has("vsh down: nothing to remove for script.vnet\ndown 0\n");
    assert_eq!(
        run.json(0)[0]["linkinfo"]["info_kind"],
        "veth",
        "q1 is the veth again"
    );
}

#[test]
fn down_leaves_a_run_that_is_still_going_alone() {
    needs_root!();
    let run = Lab::new("netns add live\nsleep 30\n")
        .shell(
            "\"$VSH\" script.vnet & pid=$!
             for i in $(seq 200); do pgrep -P $pid sleep >/dev/null && break; sleep 0.05; done
             \"$VSH\" down script.vnet; echo \"down $?\"
             ls /run/netns
             kill -TERM $pid; wait $pid; echo \"run $?\"",
        )
        .oracle("ls /run/netns")
        .run()
        .success()
        .stdout_has("vsh down: left alone a run of script.vnet that is still going")
        .stdout_has("down 0\nlive\n");
    assert_eq!(run.oracle(0).trim(), "", "the interrupted run undid itself");
}

#[test]
fn a_veth_whose_other_end_went_with_a_deleted_namespace_needs_no_undo() {
    needs_root!();
    let run = Lab::new(
        "netns add red\nveth a peer b netns red\nnetns del red\nlink add x type bridge\nlink add x type bridge\n",
    )
    .snapshot()
    .run()
    .failure(1)
    .stderr_has("vsh: undoing what this run made and changed:\n  removed link x in root\n");
    assert!(!run.stderr.contains("gone already"), "{}", run.stderr);
    run.same_state();
}

/// Neighbours and tun devices a person made before the run, on a pair of their own.
const NEIGH_BEFORE: &str = "ip link add n0 type veth peer name n1 && ip link set n0 up \
    && ip link set n1 up \
    && ip neigh add 10.8.0.5 lladdr 02:00:00:00:08:05 dev n0 \
    && ip neigh add 10.8.0.6 lladdr 02:00:00:00:08:06 dev n0 nud stale \
    && ip neigh add 10.8.0.7 lladdr 02:00:00:00:08:07 dev n0 \
    && ip neigh add 2001:db8:8::5 lladdr 02:00:00:00:08:15 dev n0 router \
    && ip neigh add 10.8.0.8 lladdr 02:00:00:00:08:08 dev n1 \
    && ip neigh add proxy 10.8.0.50 dev n0 \
    && ip neigh add proxy 2001:db8:8::50 dev n0 \
    && ip tuntap add dev tapold mode tap && ip link set tapold mtu 1400 up \
    && ip addr add 10.8.5.1/24 dev tapold && ip route add 10.85.0.0/16 via 10.8.5.254 \
    && ip tuntap add tunold mode tun user 1000 group 100 vnet_hdr";

/// A script that adds, replaces, changes, deletes and flushes neighbours and makes tun
/// devices, then fails at its last line.
const NEIGH_CHANGES: &str = "neigh add 10.8.0.9 lladdr 02:00:00:00:08:09 dev n0
ip neigh replace 10.8.0.5 lladdr 02:00:00:00:08:55 dev n0 nud reachable
ip neigh replace 10.8.0.10 lladdr 02:00:00:00:08:10 dev n0
ip n change 2001:db8:8::5 lladdr 02:00:00:00:08:16 dev n0
ip neigh del 10.8.0.7 dev n0
ip neigh flush dev n1 nud permanent
ip neigh flush dev n0
ip neigh del proxy 10.8.0.50 dev n0
ip neigh add proxy 10.8.0.51 dev n0
ip neigh flush proxy
ip tuntap add dev tapnew mode tap
tuntap add tunnew mode tun user 1000
veth w0 peer w1
neigh add 10.8.1.1 lladdr 02:00:00:00:08:11 dev w0
link set tapold mtu 1500
ip tuntap del tapold mode tap
tuntap del dev tunold mode tun vnet_hdr
";

#[test]
fn a_failed_run_puts_back_every_neighbour_and_removes_its_tun_devices() {
    needs_root!();
    let script = format!("{NEIGH_CHANGES}false\n");
    let run = Lab::new(&script)
        .before(NEIGH_BEFORE)
        .snapshot()
        .oracle("ip tuntap show")
        .run()
        .failure(1)
        .stderr_has("put back neighbour 10.8.0.5 on n0 in root")
        .stderr_has("put back neighbour 10.8.0.8 on n1 in root")
        .stderr_has("removed neighbour 10.8.0.9 on n0 in root")
        .stderr_has("removed neighbour 10.8.0.51 on n0 in root")
        .stderr_has("removed link tapnew in root")
        .stderr_has("made tap device tapold in root again");
    run.same_state();
    // Made again as it was: its flags, owner and group.
    let mut devices: Vec<&str> = run.oracle(0).lines().collect();
    devices.sort();
    assert_eq!(
        devices,
        [
            "tapold: tap persist",
            "tunold: tun vnet_hdr persist user 1000 group 100"
        ]
    );
}

#[test]
fn sigkill_then_down_puts_back_every_neighbour_too() {
    needs_root!();
    let script = format!("{NEIGH_CHANGES}sleep 30\n");
    let run = Lab::new(&script)
        .before(NEIGH_BEFORE)
        .snapshot()
        .shell(
            "\"$VSH\" script.vnet & pid=$!
             for i in $(seq 200); do child=$(pgrep -P $pid sleep) && break; sleep 0.05; done
             kill -KILL $pid; wait $pid; echo \"status $?\"; kill $child 2>/dev/null
             \"$VSH\" down script.vnet; echo \"down $?\"",
        )
        .run()
        .success()
        .stdout_has("status 137")
        .stdout_has("down 0");
    run.same_state();
}

/// Older links with attributes of their own: an alias, an altname, a chosen MAC address,
/// promiscuous mode, a bridge with its default options.
const NAMED_BEFORE: &str = "ip link add br8 type bridge \
    && ip link add w0 type veth peer name w1 && ip link set w0 alias \"old alias\" \
    && ip link property add dev w0 altname old0 \
    && ip link set w1 address 02:00:00:00:00:71 promisc on txqueuelen 300";

/// A script that changes every attribute `link set` and `link property` change, twice for
/// some (undo puts back the oldest value), and fails at its last line.
const NAMED_CHANGES: &str = "link set w0 address 02:00:00:00:00:99 broadcast ff:ff:ff:ff:ff:fe \
    alias \"new alias\" arp off multicast off allmulticast on txqueuelen 7 group 4 up
link set w1 a 02:00:00:00:00:98 promisc off alias x
link set w1 alias \"\" group default
link set br8 type bridge stp_state 1 forward_delay 400 ageing_time 1000 priority 9 mcast_snooping 0
link set br8 type bridge priority 10 hello_time 300 max_age 3000
link property add dev w0 altname new0 altname new1
link property del dev w0 altname old0
link set w0 alias newer txqlen 9
";

#[test]
fn a_failed_run_puts_back_addresses_aliases_flags_altnames_and_bridge_options() {
    needs_root!();
    let script = format!("{NAMED_CHANGES}link add x type bridge\nlink add x type bridge\n");
    Lab::new(&script)
        .before(NAMED_BEFORE)
        .snapshot()
        .run()
        .failure(1)
        .stderr_has("put back address 02:00:00:00:00:71")
        .stderr_has("altnames old0")
        .stderr_has("arp on, multicast on, allmulticast off")
        .stderr_has("stp_state 0")
        .same_state();
}

#[test]
fn sigkill_then_down_puts_back_link_set_attributes_too() {
    needs_root!();
    let script = format!("{NAMED_CHANGES}sleep 30\n");
    let run = Lab::new(&script)
        .before(NAMED_BEFORE)
        .snapshot()
        .shell(
            "\"$VSH\" script.vnet & pid=$!
             for i in $(seq 200); do child=$(pgrep -P $pid sleep) && break; sleep 0.05; done
             kill -KILL $pid; wait $pid; echo \"status $?\"; kill $child 2>/dev/null
             \"$VSH\" down script.vnet; echo \"down $?\"",
        )
        .run()
        .success()
        .stdout_has("status 137")
        .stdout_has("down 0");
    run.same_state();
}

/// Routes and addresses a person set up before the run: in several tables, of several
/// protocols, with an MTU, multipath, a secondary address with its label, IPv6.
const ROUTES_BEFORE: &str = "ip link add d0 type ifb && ip link set d0 up \
    && ip addr add 10.1.1.1/24 dev d0 && ip addr add 2001:db8::1/64 dev d0 nodad \
    && ip link add d1 type ifb && ip link set d1 up \
    && ip addr add 10.2.1.1/24 dev d1 && ip addr add 10.2.1.2/24 dev d1 label d1:x \
    && ip route add 10.10.0.0/16 via 10.1.1.3 \
    && ip route add 10.12.0.0/16 via 10.1.1.3 mtu 1400 \
    && ip route add 10.4.0.0/16 via 10.1.1.2 table 10 \
    && ip route add 10.5.0.0/16 dev d1 proto static \
    && ip route add 10.17.0.0/16 nexthop via 10.1.1.2 dev d0 nexthop via 10.2.1.2 dev d1 weight 3 \
    && ip route add blackhole 10.7.0.0/16 \
    && ip -6 route add 2001:db8:5::/48 via 2001:db8::2 \
    && { ip -4 route show table all; ip -6 route show table all; } >routes_before";

/// Every route verb and flush, on those objects, then a failure.
const ROUTE_CHANGES: &str = "ip route replace 10.2.1.0/24 dev d1 src 10.2.1.1
ip route replace 10.10.0.0/16 via 10.1.1.4 mtu 1300
ip route change 10.12.0.0/16 via 10.1.1.5
ip route append 10.13.0.0/16 via 10.1.1.3
ip route prepend 10.14.0.0/16 via 10.2.1.9
ip route replace 10.17.0.0/16 nexthop via 10.1.1.9 dev d0
ip route add table 20 default via 10.1.1.254
ip route flush table 10
ip route flush proto static
ip route flush dev d1
ip -6 route flush root 2001:db8::/32
ip addr flush dev d1 secondary
ip -4 addr flush scope global dev d0
false
";

/// The routes as iproute2 prints them, MTUs and hops included, against those before.
const ROUTES_AFTER: &str = "{ ip -4 route show table all; ip -6 route show table all; } \
    >routes_after && diff routes_before routes_after";

#[test]
fn a_failed_run_puts_back_routes_it_replaced_and_flushed() {
    needs_root!();
    let run = Lab::new(ROUTE_CHANGES)
        .before(ROUTES_BEFORE)
        .snapshot()
        .oracle(ROUTES_AFTER)
        .run()
        .failure(1)
        .stderr_has("put back route 10.17.0.0/16")
        .stderr_has("put back address 10.2.1.2/24 on d1");
    run.same_state();
    assert_eq!(run.oracle(0), "", "routes differ after undo");
}

#[test]
fn sigkill_then_down_puts_back_replaced_and_flushed_routes() {
    needs_root!();
    let script = ROUTE_CHANGES.replace("false\n", "sleep 30\n");
    let run = Lab::new(&script)
        .before(ROUTES_BEFORE)
        .snapshot()
        .oracle(ROUTES_AFTER)
        .shell(
            "\"$VSH\" script.vnet & pid=$!
             for i in $(seq 200); do child=$(pgrep -P $pid sleep) && break; sleep 0.05; done
             kill -KILL $pid; wait $pid; echo \"status $?\"; kill $child 2>/dev/null
             \"$VSH\" down script.vnet; echo \"down $?\"",
        )
        .run()
        .success()
        .stdout_has("status 137")
        .stdout_has("down 0");
    run.same_state();
    assert_eq!(run.oracle(0), "", "routes differ after down");
}
