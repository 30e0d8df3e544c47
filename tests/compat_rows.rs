//! The rows of the iproute2 compatibility table (see compat.rs): lines as scripts and
//! tutorials write them, each run by vsh and by the real `ip` on the same setup.

use crate::compat::{compare, native, native_show, row, show, Row};
use crate::lab::Lab;

const DUMMY: &str = "ip link add d0 type ifb";
const DUMMY_UP: &str = "ip link add d0 type ifb\nip link set d0 up";
const VETH: &str = "ip link add v0 type veth peer name v1\nip link set v0 up\nip link set v1 up";
/// A pair up, once the kernel has settled its carrier (linkwatch runs within a second): for
/// show rows, whose output names the operational state.
const VETH_SETTLED: &str =
    "ip link add v0 type veth peer name v1\nip link set v0 up\nip link set v1 up\nsleep 1.5";
const NX1: &str = "ip netns add nx1\nip -n nx1 link add d0 type ifb";
const NX2: &str = "ip netns add nx2\nip -n nx2 link add d0 type ifb";
const NX3: &str = "ip netns add nx3\nip -n nx3 link add d0 type ifb";
const NX4: &str = "ip netns add nx4\nip -n nx4 link add d0 type ifb";
const ADDRS: &str = "ip link add d0 type ifb\nip link set d0 up\n\
                     ip addr add 10.1.1.1/24 dev d0\nip addr add 2001:db8::1/64 dev d0 nodad";

/// Abbreviations: iproute2 takes any prefix of an object, command or option, matched in
/// its own order.
const ABBREVIATIONS: &[Row] = &[
    native_show(ADDRS, "ip a"),
    native_show(ADDRS, "ip a s"),
    native_show(ADDRS, "ip a s dev d0"),
    native_show(ADDRS, "ip ad sh d0"),
    native_show(ADDRS, "ip addr ls"),
    native_show(ADDRS, "ip addr lst dev d0"),
    native_show(DUMMY, "ip l"),
    native_show(DUMMY, "ip li"),
    native_show(DUMMY, "ip lin sh"),
    native_show(DUMMY, "ip link l d0"),
    native_show(ADDRS, "ip r"),
    native_show(ADDRS, "ip ro"),
    native_show(ADDRS, "ip rou s"),
    native_show(ADDRS, "ip -6 r"),
    show(ADDRS, "ip r -6 show"),
    native(DUMMY, "ip l s d0 up"),
    native(DUMMY, "ip li set d0 up"),
    native(DUMMY, "ip li se dev d0 mtu 1400"),
    native(DUMMY, "ip l d d0"),
    native(DUMMY, "ip link de dev d0"),
    native("", "ip l a d1 type ifb"),
    native("", "ip li add name d1 type ifb"),
    native(DUMMY, "ip a a 10.9.0.1/24 dev d0"),
    native(ADDRS, "ip a d 10.1.1.1/24 dev d0"),
    native(ADDRS, "ip addr del 10.1.1.1/24 dev d0"),
    native(ADDRS, "ip r a 10.2.0.0/16 via 10.1.1.2"),
    native(ADDRS, "ip ro add 10.3.0.0/16 dev d0 metric 7"),
    native(ADDRS, "ip r add default via 10.1.1.254\nip r d default"),
    row("", "ip net a blue"),
    row("", "ip netns add blue\nip netn del blue"),
    native_show("", "ip netns add green\nip net"),
    native_show(NX1, "ip -net nx1 link"),
    native_show(NX2, "ip -n nx2 l"),
    native_show(NX3, "ip --netns nx3 link show d0"),
    native(NX4, "ip -n nx4 addr add 10.1.1.1/24 dev d0"),
    native_show(ADDRS, "ip -br a"),
    native_show(ADDRS, "ip -br l"),
    native_show(ADDRS, "ip -br -c=never addr"),
    native_show(ADDRS, "ip -d l show d0"),
    native_show(ADDRS, "ip -j a"),
    native_show(ADDRS, "ip -j -p link show d0"),
    native_show(ADDRS, "ip -o a"),
    native_show(ADDRS, "ip -s l show d0"),
    native_show(ADDRS, "ip -4 a"),
    native_show(ADDRS, "ip -6 addr show dev d0"),
    native_show(ADDRS, "ip -4 -o addr show"),
    native_show(ADDRS, "ip -f inet a"),
    native_show(ADDRS, "ip -fam inet6 r"),
    native_show(DUMMY, "ip -c l show d0"),
];

/// Lines of objects and options vsh does not implement: the real `ip` runs them.
const PROGRAM: &[Row] = &[
    row(ADDRS, "ip rule add from 10.1.1.0/24 table 100"),
    row(ADDRS, "ip ru add to 10.7.0.0/16 lookup 200 priority 300"),
    show(
        ADDRS,
        "ip rule add from 10.1.1.0/24 table 100\nip rule show",
    ),
    row(ADDRS, "ip nexthop add id 1 via 10.1.1.2 dev d0"),
    show(ADDRS, "ip nexthop add id 1 via 10.1.1.2 dev d0\nip nexthop"),
    row("", "ip tuntap add dev tap0 mode tap"),
    row(
        "",
        "ip tuntap add dev tun0 mode tun\nip tuntap del dev tun0 mode tun",
    ),
    show("", "ip tuntap add dev tap1 mode tap\nip tuntap show"),
    row(
        ADDRS,
        "ip neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev d0",
    ),
    row(
        ADDRS,
        "ip n add 10.1.1.9 lladdr 02:00:00:00:00:09 dev d0 nud permanent",
    ),
    show(
        ADDRS,
        "ip neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev d0\nip neigh show dev d0",
    ),
    row(ADDRS, "ip maddr add 01:00:5e:01:02:03 dev d0"),
    row(ADDRS, "ip addrlabel add prefix 2001:db8:1::/48 label 7"),
    show(
        "",
        "ip netns add a1\nip netns add a2\nip -all netns exec ip link set lo up",
    ),
    row(ADDRS, "ip token set ::1/64 dev d0"),
    row(ADDRS, "ip route replace 10.10.0.0/16 via 10.1.1.3"),
    row(ADDRS, "ip route append 10.11.0.0/16 via 10.1.1.3"),
    row(
        ADDRS,
        "ip route add 10.12.0.0/16 via 10.1.1.3\nip route change 10.12.0.0/16 via 10.1.1.4",
    ),
    row(
        ADDRS,
        "ip route add 10.13.0.0/16 via 10.1.1.3\nip route flush 10.13.0.0/16",
    ),
    show(ADDRS, "ip route get 10.1.1.7"),
    native(ADDRS, "ip route add 2001:db8:5::/48 via inet6 2001:db8::2"),
    native(ADDRS, "ip addr flush dev d0"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 brd + dev d0"),
    native(
        DUMMY_UP,
        "ip addr add 10.1.1.2/24 broadcast 10.1.1.255 dev d0",
    ),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 dev d0 label d0:1"),
    native(DUMMY_UP, "ip addr add 2001:db8::5/64 dev d0 nodad"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 dev d0 scope link"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 dev d0 noprefixroute"),
    native(
        DUMMY_UP,
        "ip addr add 10.1.1.2/24 dev d0 valid_lft 100 preferred_lft 50",
    ),
    row(DUMMY, "ip link set d0 address 02:00:00:00:00:aa"),
    row(DUMMY, "ip link set dev d0 alias uplink"),
    row(DUMMY, "ip link set d0 arp off"),
    row(DUMMY, "ip link set d0 multicast off"),
    row(DUMMY, "ip link set d0 promisc on"),
    row(DUMMY, "ip link set d0 txqueuelen 500"),
    row(DUMMY, "ip link set d0 group 5"),
    row(DUMMY, "ip link set d0 up mtu 1300 txqlen 100"),
    row(DUMMY, "ip link property add dev d0 altname uplink0"),
    row(
        "ip link add br0 type bridge",
        "ip link set br0 type bridge vlan_filtering 1",
    ),
    row(
        "ip link add br0 type bridge",
        "ip link set dev br0 type bridge stp_state 1",
    ),
    native(DUMMY, "ip link del name d0"),
];

/// `addr add` with iproute2's options, and `addr show` selectors: vsh's own.
const ADDR_OPTIONS: &[Row] = &[
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 dev d0"),
    native(DUMMY_UP, "ip addr add dev d0 10.1.1.2/24"),
    native(DUMMY_UP, "ip addr add dev d0 local 10.1.1.2/24"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 brd + dev d0"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 brd - dev d0"),
    native(
        DUMMY_UP,
        "ip addr add 10.1.1.2/24 broadcast 10.1.1.255 dev d0",
    ),
    native(DUMMY_UP, "ip addr add 10.1.1.2/30 brd + dev d0"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/31 brd + dev d0"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 dev d0 label d0:1"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 dev d0 label eth0"),
    native(DUMMY_UP, "ip addr add 2001:db8::5/64 dev d0 nodad"),
    row(DUMMY_UP, "ip -6 addr add 2001:db8::5/64 dev d0 nodad"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 dev d0 scope link"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 dev d0 scope host"),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 dev d0 noprefixroute"),
    native(
        DUMMY_UP,
        "ip addr add 2001:db8::7/64 dev d0 nodad noprefixroute",
    ),
    native(
        DUMMY_UP,
        "ip addr add 10.1.1.2/24 dev d0 valid_lft 100 preferred_lft 50",
    ),
    native(DUMMY_UP, "ip addr add 10.1.1.2/24 dev d0 valid_lft 100"),
    native(
        DUMMY_UP,
        "ip addr add 10.1.1.2/24 dev d0 valid_lft forever preferred_lft 60",
    ),
    native(DUMMY_UP, "ip addr add 127.0.0.2/8 dev lo"),
    native(
        DUMMY_UP,
        "ip a add 10.1.1.2/24 dev d0\nip a add 10.1.1.3/24 dev d0",
    ),
    native_show(ADDRS, "ip addr add 10.1.1.3/24 dev d0\nip addr show dev d0"),
    native_show(
        DUMMY_UP,
        "ip addr add 10.1.1.2/24 dev d0 label d0:1\nip addr show d0",
    ),
    native_show(
        DUMMY_UP,
        "ip addr add 10.1.1.2/24 brd + dev d0\nip addr show d0",
    ),
    native_show(
        DUMMY_UP,
        "ip addr add 2001:db8::9/64 dev d0 nodad\nip -6 addr show dev d0",
    ),
    native_show(
        DUMMY_UP,
        "ip addr add 10.1.1.2/24 dev d0 valid_lft 100 preferred_lft 50\nip -4 addr show d0",
    ),
    native_show(ADDRS, "ip addr show up"),
    native_show(ADDRS, "ip a s up"),
    native_show(ADDRS, "ip link add d1 type ifb\nip addr show up"),
    native_show(ADDRS, "ip addr show dev d0 up"),
    show(ADDRS, "ip addr show scope global"),
    show(ADDRS, "ip addr show permanent"),
    show(ADDRS, "ip addr show to 10.1.1.0/24"),
    show(ADDRS, "ip addr show label d0"),
    show(ADDRS, "ip addr show dynamic"),
    native(ADDRS, "ip addr flush dev d0"),
    native(ADDRS, "ip a f dev d0"),
    native(
        "ip link add d0 type ifb\nip addr add 10.1.1.1/24 dev d0\nip addr add 10.1.1.2/24 dev d0",
        "ip addr flush dev d0",
    ),
    row(ADDRS, "ip -4 addr flush dev d0"),
    row(ADDRS, "ip addr flush dev d0 scope global"),
    native(ADDRS, "ip addr del 10.1.1.1/24 dev d0"),
    row(ADDRS, "ip addr del dev d0 10.1.1.1/24"),
    native(ADDRS, "ip addr del 2001:db8::1/64 dev d0"),
];

#[test]
fn addr_add_options_and_show_selectors() {
    needs_root!();
    compare(ADDR_OPTIONS);
}

/// Routes with iproute2's options and types: vsh's own.
const ROUTES: &[Row] = &[
    native(ADDRS, "ip route add 10.2.0.0/16 via 10.1.1.2"),
    native(
        ADDRS,
        "ip route add 10.2.0.0/16 via 10.1.1.2 dev d0 metric 10",
    ),
    native(ADDRS, "ip route add 10.2.0.0/16 dev d0 src 10.1.1.1"),
    native(ADDRS, "ip route add default via 10.1.1.254"),
    native(ADDRS, "ip route add 10.4.0.0/16 via 10.1.1.2 table 10"),
    native(
        ADDRS,
        "ip route add 10.4.0.0/16 via 10.1.1.2 table 1000 metric 3",
    ),
    native(ADDRS, "ip route add 10.4.0.0/16 dev d0 table main"),
    row(ADDRS, "ip route add table 20 default via 10.1.1.254"),
    native(ADDRS, "ip route add blackhole 10.5.0.0/16"),
    native(ADDRS, "ip route add unreachable 10.6.0.0/16"),
    native(ADDRS, "ip route add prohibit 10.8.0.0/16 metric 9"),
    native(ADDRS, "ip route add throw 10.8.0.0/16 table 30"),
    native(ADDRS, "ip route add blackhole default table 40"),
    native(
        ADDRS,
        "ip route add 10.9.0.0/16 dev d0 proto static scope link",
    ),
    native(ADDRS, "ip route add 10.9.0.0/16 via 10.1.1.2 proto 99"),
    native(ADDRS, "ip route add 10.9.0.0/16 dev d0 scope host"),
    native(
        ADDRS,
        "ip route add 10.10.0.0/16 via 10.2.2.2 dev d0 onlink",
    ),
    native(ADDRS, "ip route add local 10.11.0.1 dev d0 table local"),
    native(ADDRS, "ip route add 2001:db8:5::/48 via inet6 2001:db8::2"),
    native(
        ADDRS,
        "ip route add 2001:db8:5::/48 via 2001:db8::2 metric 50",
    ),
    native(ADDRS, "ip -6 route add default via 2001:db8::fe dev d0"),
    native(ADDRS, "ip -6 route add 2001:db8:7::/48 dev d0 table 60"),
    native(
        "ip link add d0 type ifb\nip link set d0 up\nip addr add 10.1.1.1/24 dev d0\n\
         ip route add 10.4.0.0/16 via 10.1.1.2 table 10",
        "ip route del 10.4.0.0/16 table 10",
    ),
    native(
        "ip link add d0 type ifb\nip link set d0 up\nip addr add 10.1.1.1/24 dev d0\n\
         ip route add blackhole 10.5.0.0/16",
        "ip route del blackhole 10.5.0.0/16",
    ),
    row(ADDRS, "ip r a 10.2.0.0/16 via 10.1.1.2 tab 5"),
    native(
        ADDRS,
        "ip route add 10.2.0.0/16 via 10.1.1.2\nip route del 10.2.0.0/16 via 10.1.1.2",
    ),
    native_show(ADDRS, "ip route add blackhole 10.5.0.0/16\nip route"),
    native_show(
        ADDRS,
        "ip route add 10.9.0.0/16 dev d0 proto static\nip route show",
    ),
    show(
        ADDRS,
        "ip route add 10.4.0.0/16 via 10.1.1.2 table 10\nip route show table 10",
    ),
    show(
        ADDRS,
        "ip route add 10.4.0.0/16 via 10.1.1.2 table 10\nip route show table all",
    ),
    native_show(
        ADDRS,
        "ip -6 route add 2001:db8:5::/48 via 2001:db8::2\nip -6 route",
    ),
];

#[test]
fn routes_with_tables_types_and_protocols() {
    needs_root!();
    compare(ROUTES);
}

#[test]
fn abbreviations_match_as_iproute2_matches_them() {
    needs_root!();
    compare(ABBREVIATIONS);
}

#[test]
fn what_vsh_does_not_implement_runs_the_real_ip() {
    needs_root!();
    compare(PROGRAM);
}

/// Refused by iproute2, refused by vsh: the status is compared, and nothing changed.
#[test]
fn what_iproute2_refuses_fails() {
    needs_root!();
    compare(&[
        row(DUMMY, "ip neighbours show"),
        row(DUMMY, "ip -n"),
        row(DUMMY, "ip -frobnicate link"),
        row(DUMMY, "ip link frobnicate d0"),
    ]);
}

#[test]
fn veth_pairs_and_kinds() {
    needs_root!();
    compare(&[
        native("", "ip link add v0 type veth peer name v1"),
        native("", "ip link add dev v0 type veth peer name v1"),
        native(
            "",
            "ip link add v0 mtu 1400 type veth peer name v1 mtu 1400",
        ),
        native(VETH, "ip link set v0 down"),
        native("", "ip link add br0 type bridge"),
        native(
            "",
            "ip link add name br0 type bridge stp_state 1 forward_delay 400",
        ),
        native(
            "",
            "ip link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 nolearning",
        ),
        native(DUMMY, "ip link add mv0 link d0 type macvlan mode bridge"),
        native(DUMMY, "ip link add mv0 link d0 type macvlan"),
    ]);
}

/// `link add` and `link set` as iproute2 writes them: options before `type`, the peer's own.
const LINKS: &[Row] = &[
    native("", "ip link add v0 mtu 1400 type veth peer name v1"),
    native("", "ip link add v0 type veth peer name v1 mtu 1300"),
    native("", "ip link add name v0 mtu 9000 type veth peer name v1 mtu 9000"),
    native("", "ip link add dev v0 up type veth peer name v1"),
    native("ip netns add lk1", "ip link add v0 netns lk1 type veth peer name v1"),
    native("ip netns add lk2", "ip link add v0 type veth peer name v1 netns lk2"),
    native("ip netns add lk3", "ip link add v0 type veth peer name v1 netns lk3 mtu 1280"),
    native("ip link add br0 type bridge", "ip link add v0 master br0 type veth peer name v1"),
    native("", "ip link add v0 type veth"),
    native("", "ip link add dev br1 type bridge"),
    native(VETH, "ip link add mv0 link v0 type macvlan mode private"),
    native(VETH, "ip link add link v0 name mv0 type macvlan mode passthru"),
    native(VETH, "ip link add link v0 mv0 type macvlan mode vepa"),
    native(VETH, "ip link add mv0 link v0 type macvtap mode bridge"),
    native(VETH, "ip link add vx0 type vxlan id 7 dev v0 dstport 4789"),
    native("", "ip link add vx0 type vxlan id 8 dstport 0"),
    native("", "ip link add vx0 type vxlan id 9 dstport 4789 remote 192.0.2.9 ttl 10"),
    native("", "ip link add vx0 type vxlan id 10 group 239.1.1.1 dev lo dstport 4789"),
    row("", "ip link add vx0 type vxlan id 11 dstport 4789 external"),
    native("", "ip link add vx0 type vxlan id 12 dstport 4789 nolearning proxy"),
    native("", "ip link add br0 type bridge vlan_filtering 1 mcast_snooping 0"),
    native("", "ip link add br0 type bridge ageing_time 1000 stp_state 1"),
    native("", "ip link add br0 type bridge hello_time 300 max_age 3000 priority 7"),
    native("", "ip link add br0 type bridge mcast_snooping 0"),
    native("", "ip link add br0 type bridge mcast_querier 1"),
    native("", "ip link add br0 type bridge vlan_default_pvid 5"),
    native("", "ip link add vx0 type vxlan id 13 dstport 4789 tos inherit ttl inherit"),
    native("", "ip link add vx0 type vxlan id 14 dstport 4789 local 2001:db8::1 noudpcsum"),
    native("", "ip link add vx0 type vxlan id 15 dstport 4789 learning udpcsum tos 16"),
    native("", "ip link add vx0 type vxlan id 16 dstport 4789 remote 2001:db8::9 ttl auto"),
    native("", "ip link add vx0 type vxlan id 17 dstport 4789 local 10.0.0.1 remote 10.0.0.2"),
    native(VETH, "ip link set v0 mtu 1400 up"),
    native(VETH, "ip link set dev v0 down"),
    native(VETH, "ip link set v0 name wan0"),
    native(
        "ip link add br0 type bridge\nip link add v0 type veth peer name v1",
        "ip link set v0 master br0",
    ),
    native(
        "ip link add br0 type bridge\nip link add v0 type veth peer name v1\nip link set v0 master br0",
        "ip link set v0 nomaster",
    ),
    native(VETH, "ip link delete v0"),
    native(VETH, "ip link del dev v1"),
    native(VETH, "ip l del name v0"),
    native_show(VETH_SETTLED, "ip link show v0"),
    native_show(VETH_SETTLED, "ip link show dev v1"),
    native_show("ip link add br0 type bridge", "ip link show br0"),
    native_show(VETH_SETTLED, "bridge link"),
    native_show(
        "ip link add br0 type bridge\nip link add v0 type veth peer name v1\nip link set v0 master br0",
        "bridge link show",
    ),
    show(
        "ip link add br0 type bridge\nip link add v0 type veth peer name v1\nip link set v0 master br0",
        "bridge -j link",
    ),
];

#[test]
fn link_add_and_set_as_iproute2_writes_them() {
    needs_root!();
    compare(LINKS);
}

#[test]
fn check_and_help_say_which_lines_run_the_real_ip() {
    needs_root!();
    let run =
        Lab::new("ip link add v0 type veth peer name v1\nip rule add from 10.0.0.0/8 table 5\n")
            .flag("--check")
            .run()
            .success()
            .stderr_has("iproute2 runs this");
    // The note as one line, however the report wrapped it.
    let note = run.stderr.replace('│', " ");
    let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        note.contains("`ip rule add from 10.0.0.0/8 table 5` runs the real `ip` program: vsh does not undo what it does, even when the run fails"),
        "{note}"
    );
    let run = Lab::new("ip link add v0 type veth peer name v1\nbridge link\n")
        .flag("--check")
        .run()
        .success();
    assert!(!run.stderr.contains("runs the real"), "{}", run.stderr);
    Lab::new("bridge fdb add 02:00:00:00:00:01 dev v0\n")
        .flag("--check")
        .run()
        .success()
        .stderr_has("runs the real `bridge`");
    Lab::new("help ip\n")
        .run()
        .success()
        .stdout_has("runs the real ip program; vsh does not undo it");
}

/// A line the real `ip` runs acts where the line stands: inside a namespace block, there.
#[test]
fn the_real_ip_runs_in_the_current_namespace() {
    needs_root!();
    let run =
        Lab::new("netns blue {\n  ip rule add from 10.7.0.0/16 table 7\n  ip -j link show lo\n}\n")
            .oracle("ip -n blue rule show")
            .oracle("ip rule show")
            .run()
            .success()
            .stdout_has("\"ifname\":\"lo\"");
    assert!(
        run.oracle(0).contains("from 10.7.0.0/16 lookup 7"),
        "{}",
        run.oracle(0)
    );
    assert!(!run.oracle(1).contains("10.7.0.0/16"), "{}", run.oracle(1));
}

/// A line the real `ip` runs is not undone when the run fails; vsh's own lines are.
#[test]
fn a_failed_run_undoes_only_vsh_own_lines() {
    needs_root!();
    let run = Lab::new(
        "ip link add v0 type veth peer name v1\n\
         ip link add br9 txqueuelen 500 type bridge\n\
         false\n",
    )
    .oracle("ip -j link")
    .run()
    .failure(1);
    let links = run.json(0);
    let names: Vec<_> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["ifname"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["lo", "br9"], "{links}");
}

/// `addr flush` of a device the run did not make: a failed run gives every address back.
#[test]
fn a_failed_run_gives_flushed_addresses_back() {
    needs_root!();
    Lab::new("ip addr flush dev d0\nfalse\n")
        .before("ip link add d0 type ifb")
        .before("ip addr add 10.1.1.1/24 dev d0")
        .before("ip addr add 10.1.1.2/24 brd + dev d0 label d0:2")
        .before("ip addr add 2001:db8::1/64 dev d0 nodad")
        .snapshot()
        .run()
        .failure(1)
        .same_state();
}

/// Routes in other tables and of other types, on a device the run did not make: a failed
/// run removes them from where they went.
#[test]
fn a_failed_run_removes_its_routes_from_every_table() {
    needs_root!();
    Lab::new(
        "ip route add 10.4.0.0/16 via 10.1.1.2 table 10\n\
         ip route add blackhole 10.5.0.0/16\n\
         ip route add 10.9.0.0/16 dev d0 proto static table 1000\n\
         false\n",
    )
    .before("ip link add d0 type ifb && ip link set d0 up && ip addr add 10.1.1.1/24 dev d0")
    .snapshot()
    .run()
    .failure(1)
    .stderr_has("removed route 10.4.0.0/16")
    .same_state();
}

/// Links of the kinds vsh makes: up, down, a veth with an alias and a bridge port, a macvlan
/// and a macvtap on an ifb, a vxlan.
const KINDS: &str = "ip link add d0 type ifb\nip link set d0 up\n\
                     ip link add v0 type veth peer name v1\nip link set v1 alias uplink\n\
                     ip link add br0 type bridge\nip link set v0 master br0\n\
                     ip link add mv0 link d0 type macvlan mode bridge\n\
                     ip link add mt0 link d0 type macvtap mode private\n\
                     ip link add vx0 type vxlan id 7 dstport 4789";
/// VXLANs with iproute2's options: unicast and multicast, IPv4 and IPv6, inherited TOS and
/// TTL, no learning, external.
const VXLANS: &str = "ip link add d0 type ifb\nip link set d0 up\nip addr add 10.1.1.1/24 dev d0\n\
                      ip link add vx0 type vxlan id 7 dstport 4789\n\
                      ip link add vx1 type vxlan id 8 dstport 4789 local 10.1.1.1 remote 10.1.1.2 \
                      ttl 10 nolearning dev d0\n\
                      ip link add vx2 type vxlan id 9 dstport 0 group 239.1.1.1 dev d0 proxy \
                      noudpcsum tos inherit ttl inherit\n\
                      ip link add vx3 type vxlan id 10 dstport 4789 local 2001:db8::1 \
                      remote 2001:db8::2 ttl auto\n\
                      ip link add vx4 type vxlan dstport 4789 external\n\
                      ip link add vx5 type vxlan id 12 dstport 4789 ageing 0 udp6zerocsumtx";
/// Tun and tap devices: multiqueue, owned by a known user and group, and by an unknown uid.
const TUNTAP: &str = "ip tuntap add dev tap0 mode tap vnet_hdr pi\n\
                      ip tuntap add dev tun0 mode tun multi_queue user 0 group 0\n\
                      ip tuntap add dev tun1 mode tun user 4242";
/// A bridge and a port with options of their own (no STP: its timers would run).
const BRIDGE_OPTS: &str = "ip link add br0 type bridge mcast_snooping 0 ageing_time 1000 \
                           priority 7 forward_delay 400\n\
                           ip link add v0 type veth peer name v1\nip link set v0 master br0\n\
                           ip link set v0 type bridge_slave cost 7 priority 9 hairpin on \
                           learning off group_fwd_mask 0x4008";
/// Addresses with flags: a secondary with a label and a broadcast, IPv6 without DAD.
const FLAGS: &str = "ip link add d0 type ifb\nip link set d0 up\n\
                     ip addr add 10.1.1.1/24 dev d0\nip addr add 10.1.1.2/24 brd + dev d0 label d0:1\n\
                     ip addr add 2001:db8::1/64 dev d0 nodad\n\
                     ip addr add 2001:db8::2/64 dev d0 nodad noprefixroute\n\
                     ip link add d1 type ifb";
/// Routes of several types and both families.
const ROUTED: &str = "ip link add d0 type ifb\nip link set d0 up\n\
                      ip addr add 10.1.1.1/24 dev d0\nip addr add 2001:db8::1/64 dev d0 nodad\n\
                      ip route add 10.5.0.0/16 via 10.1.1.254 metric 5\n\
                      ip route add blackhole 10.6.0.0/16\n\
                      ip route add 10.7.0.0/16 dev d0 proto static scope link\n\
                      ip -6 route add 2001:db8:5::/48 via 2001:db8::2";
/// A bridge with two ports, one up.
const BRIDGED: &str = "ip link add br0 type bridge\nip link set br0 up\n\
                       ip link add v0 type veth peer name v1\nip link set v0 master br0\n\
                       ip link add v2 type veth peer name v3\nip link set v2 master br0\n\
                       ip link set v2 up\nip link set v3 up";

/// iproute2's output options on the show forms: vsh prints them itself, byte for byte.
const OUTPUT_OPTIONS: &[Row] = &[
    native_show(KINDS, "ip -j link"),
    native_show(KINDS, "ip -j -p link"),
    native_show(KINDS, "ip -json -pretty link show dev v1"),
    native_show(KINDS, "ip -br link"),
    native_show(KINDS, "ip -brief -c=never link"),
    native_show(KINDS, "ip -o link"),
    native_show(KINDS, "ip -oneline link show v1"),
    native_show(KINDS, "ip -c link"),
    native_show(KINDS, "ip -color=always -br link"),
    native_show(KINDS, "ip -c=auto link"),
    native_show(KINDS, "ip -j -br link"),
    native_show(DUMMY, "ip -s link show d0"),
    native_show(DUMMY, "ip -s -s link show d0"),
    native_show(
        "ip link add v0 type veth peer name v1",
        "ip -s -j link show v0",
    ),
    native_show(DUMMY, "ip -stats -stats -j -p link"),
    native_show(DUMMY, "ip -o -s link show d0"),
    native_show(KINDS, "ip -d link show d0"),
    native_show(KINDS, "ip -d link show v1"),
    native_show(KINDS, "ip -d link show mv0"),
    native_show(KINDS, "ip -details link show mt0"),
    native_show(KINDS, "ip -d -j link show mv0"),
    native_show(KINDS, "ip -j -d -p link show lo"),
    native_show(KINDS, "ip -d -o link show v1"),
    native_show(KINDS, "ip -s -d link show v1"),
    native_show(KINDS, "ip -d link show br0"),
    native_show(KINDS, "ip -d link show vx0"),
    native_show(KINDS, "ip -d link show v0"),
    native_show(KINDS, "ip -j -d -p link show v0"),
    native_show(BRIDGE_OPTS, "ip -d link"),
    native_show(TUNTAP, "ip -d link"),
    native_show(TUNTAP, "ip -j -d -p link"),
    native_show(BRIDGE_OPTS, "ip -d -j link"),
    native_show(BRIDGE_OPTS, "ip -d -o link show v0"),
    native_show(VXLANS, "ip -d link"),
    native_show(VXLANS, "ip -j -d link"),
    native_show(VXLANS, "ip -d -o link show vx2"),
    native_show(VXLANS, "ip -d -j -p link show vx3"),
    native_show(FLAGS, "ip -s addr"),
    native_show(FLAGS, "ip -j addr show up"),
    native_show(FLAGS, "ip -4 -j -br addr show up"),
    native_show(FLAGS, "ip -o addr show up"),
    native_show(FLAGS, "ip -s -s -j addr show dev d1"),
    native_show(KINDS, "ip -d addr show v1"),
    native_show(KINDS, "ip -4 -d addr"),
    native_show(KINDS, "ip -d -j addr show mv0"),
    native_show(KINDS, "ip -d link"),
    native_show(KINDS, "ip -j -d link"),
    native_show(FLAGS, "ip -j addr"),
    native_show(FLAGS, "ip -j -p addr show dev d0"),
    native_show(FLAGS, "ip -br addr"),
    native_show(FLAGS, "ip -br -c=never addr"),
    native_show(FLAGS, "ip -j -br addr"),
    native_show(FLAGS, "ip -o addr"),
    native_show(FLAGS, "ip -4 -o addr show"),
    native_show(FLAGS, "ip -6 -o addr"),
    native_show(FLAGS, "ip -4 addr"),
    native_show(FLAGS, "ip -6 addr"),
    native_show(FLAGS, "ip -6 -j addr"),
    native_show(FLAGS, "ip -f inet6 -br addr"),
    native_show(FLAGS, "ip -c addr"),
    native_show(FLAGS, "ip -c -br addr"),
    native_show(FLAGS, "ip -c -o addr"),
    native_show(
        FLAGS,
        "ip addr add 10.1.1.9/24 dev d0 valid_lft 100 preferred_lft 0\nip -o addr show dev d0",
    ),
    native_show(
        "ip netns add ox1\nip -n ox1 link add d0 type ifb\nip -n ox1 addr add 10.9.0.1/24 dev d0",
        "ip -n ox1 -j addr",
    ),
    native_show(
        "ip netns add ox2\nip -n ox2 link add d0 type ifb",
        "ip -br -n ox2 link",
    ),
    native_show(ROUTED, "ip -j route"),
    native_show(ROUTED, "ip -j -p route show"),
    native_show(ROUTED, "ip -6 -j route"),
    native_show(ROUTED, "ip -j route show dev d0"),
    native_show(ROUTED, "ip -fam inet6 -j -p r"),
    native_show("ip netns add ox3", "ip -j netns"),
    native_show("ip netns add ox4\nip netns add ox5", "ip -j -p netns list"),
    native_show("", "ip netns"),
    native_show("", "ip netn"),
    native_show(BRIDGED, "bridge -j link"),
    native_show(BRIDGED, "bridge -j -p link"),
    native_show(BRIDGED, "bridge link show dev v0"),
    native_show(BRIDGED, "bridge -j link show dev v2"),
    native_show(
        "ip netns add ox6\nip -n ox6 link add br0 type bridge\n\
         ip -n ox6 link add v0 type veth peer name v1\nip -n ox6 link set v0 master br0",
        "bridge -n ox6 link",
    ),
    native_show(
        "ip netns add ox7\nip -n ox7 link add br0 type bridge\n\
         ip -n ox7 link add v0 type veth peer name v1\nip -n ox7 link set v0 master br0",
        "bridge -n ox7 -j -p link",
    ),
    native_show("", "bridge -j link"),
];

#[test]
fn output_options_print_as_iproute2() {
    needs_root!();
    compare(OUTPUT_OPTIONS);
}
