//! The rows of the iproute2 compatibility table (see compat.rs): lines as scripts and
//! tutorials write them, each run by vsh and by the real `ip` on the same setup.

use crate::compat::{compare, native, native_show, row, show, Row};
use crate::lab::{link, Lab};

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
    // Options of neigh and tuntap vsh leaves to iproute2.
    row(
        VETH,
        "ip neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev v0 extern_learn",
    ),
    row("", "ip tuntap add dev tq1 mode tap one_queue"),
    show(VETH, "ip -4 neigh show dev v0"),
    row(ADDRS, "ip maddr add 01:00:5e:01:02:03 dev d0"),
    row(ADDRS, "ip addrlabel add prefix 2001:db8:1::/48 label 7"),
    show(
        "",
        "ip netns add a1\nip netns add a2\nip -all netns exec ip link set lo up",
    ),
    row(ADDRS, "ip token set ::1/64 dev d0"),
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
    native(ADDRS, "ip addr flush dev d0"),
    native(ADDRS, "ip a f dev d0"),
    native(
        "ip link add d0 type ifb\nip addr add 10.1.1.1/24 dev d0\nip addr add 10.1.1.2/24 dev d0",
        "ip addr flush dev d0",
    ),
    native(ADDRS, "ip addr del 10.1.1.1/24 dev d0"),
    row(ADDRS, "ip addr del dev d0 10.1.1.1/24"),
    native(ADDRS, "ip addr del 2001:db8::1/64 dev d0"),
];

const BRIDGE: &str = "ip link add br0 type bridge";
const NAMED: &str = "ip link add d0 type ifb\nip link set d0 alias \"uplink to the lab\"\n\
                     ip link property add dev d0 altname uplink0 altname u0";

/// `link set` with every attribute iproute2 sets, by its prefixes; a bridge's options changed
/// in place; altnames added and removed; and how `link show` prints them: vsh's own.
const LINK_SET_MORE: &[Row] = &[
    native(VETH, "ip link set v0 address 02:00:00:00:00:aa"),
    native(VETH, "ip link set dev v0 addr 02:00:00:00:00:ab"),
    native(VETH, "ip link set v0 a 02:00:00:00:00:ac"),
    native(VETH, "ip link set v0 addres 2:0:0:0:0:ad"),
    native(DUMMY, "ip link set d0 address 02:00:00:00:00:aa"),
    native(VETH, "ip link set v0 address 02:00:00:00:00"),
    native(VETH, "ip link set v0 address zz:00:00:00:00:00"),
    native(VETH, "ip link set v0 broadcast ff:ff:ff:ff:ff:fe"),
    native(VETH, "ip link set v0 brd ff:ff:ff:ff:ff:fd"),
    native(VETH, "ip link set v0 br ff:ff:ff:ff:ff:fc"),
    native(VETH, "ip link set v0 b ff:ff:ff:ff:ff:fb"),
    native(DUMMY, "ip link set dev d0 alias uplink"),
    native(DUMMY, "ip link set d0 alias \"uplink to the lab\""),
    native(DUMMY, "ip link set d0 alias 'a b c' up"),
    native(DUMMY, "ip link set d0 al x"),
    native(DUMMY, "ip link set d0 alia y mtu 1400"),
    native(NAMED, "ip link set d0 alias \"\""),
    native(DUMMY, "ip link set d0 arp off"),
    native(DUMMY, "ip link set d0 arp on"),
    native(VETH, "ip link set v0 arp off"),
    native(DUMMY, "ip link set d0 arp maybe"),
    native(DUMMY, "ip link set d0 multicast on"),
    native(VETH, "ip link set v0 multicast off"),
    native(DUMMY, "ip link set d0 allmulticast on"),
    native(
        VETH,
        "ip link set v0 allmulticast on\nip link set v0 allmulticast off",
    ),
    native(DUMMY, "ip link set d0 promisc on"),
    native(VETH, "ip link set v0 promisc on up"),
    native(DUMMY, "ip link set d0 promisc yes"),
    native(DUMMY, "ip link set d0 txqueuelen 500"),
    native(DUMMY, "ip link set d0 txqlen 100"),
    native(DUMMY, "ip link set d0 txql 101"),
    native(DUMMY, "ip link set d0 qlen 7"),
    native(DUMMY, "ip link set d0 t 9"),
    native(DUMMY, "ip link set d0 txq 11"),
    native(DUMMY, "ip link set d0 txqueuelen many"),
    native(DUMMY, "ip link set d0 group 5"),
    native(
        DUMMY,
        "ip link set d0 group 5\nip link set d0 group default",
    ),
    native(DUMMY, "ip link set d0 group nowhere"),
    native(DUMMY, "ip link set d0 up mtu 1300 txqlen 100"),
    native(DUMMY, "ip link set up dev d0"),
    native(DUMMY, "ip link set mtu 1400 dev d0 txqlen 9 up"),
    native(
        VETH,
        "ip link set dev v0 down address 02:00:00:00:00:01 arp off multicast on promisc on \
         allmulticast on txqueuelen 50 group 3 alias edge mtu 1400 up",
    ),
    native(
        "ip link add br0 type bridge\nip link add d0 type ifb",
        "ip link set d0 m br0",
    ),
    native(
        "ip link add br0 type bridge\nip link add d0 type ifb\nip link set d0 master br0",
        "ip link set d0 n",
    ),
    native(
        "ip link add br0 type bridge\nip link add d0 type ifb\nip link set d0 master br0",
        "ip link set d0 nomas",
    ),
    native(BRIDGE, "ip link set dev br0 type bridge stp_state 1"),
    native(BRIDGE, "ip link set br0 type bridge vlan_filtering 1"),
    native(
        BRIDGE,
        "ip link set br0 type bridge forward_delay 400 hello_time 300 max_age 3000",
    ),
    native(
        BRIDGE,
        "ip link set br0 type bridge ageing_time 1000 priority 7",
    ),
    native(
        BRIDGE,
        "ip link set br0 type bridge mcast_snooping 0 mcast_querier 1",
    ),
    native(BRIDGE, "ip link set br0 type bridge vlan_default_pvid 5"),
    native(BRIDGE, "ip link set br0 ty bridge stp_state 1"),
    native(
        BRIDGE,
        "ip link set br0 up mtu 1400 type bridge stp_state 1",
    ),
    native(BRIDGE, "ip link set br0 type bridge"),
    native(DUMMY, "ip link set d0 type bridge stp_state 1"),
    native(BRIDGE, "ip link set br0 type bridge stp_state x"),
    row(BRIDGE, "ip link set br0 type bridge forw 400"),
    native(DUMMY, "ip link property add dev d0 altname uplink0"),
    native(DUMMY, "ip link property add d0 altname a1 altname a2"),
    native(DUMMY, "ip link property add altname a3 dev d0"),
    native(DUMMY, "ip link prop a d0 a a4"),
    native(DUMMY, "ip link p add dev d0 alt a5"),
    native(NAMED, "ip link property del dev d0 altname uplink0"),
    native(NAMED, "ip link property d d0 al u0"),
    native(NAMED, "ip link property add dev d0 altname u0"),
    native(DUMMY, "ip link property del dev d0 altname nothere"),
    row(NAMED, "ip link property delete dev d0 altname u0"),
    native(NAMED, "ip link set uplink0 mtu 1400 up"),
    native_show(NAMED, "ip link show u0"),
    native_show(NAMED, "ip link show d0"),
    native_show(NAMED, "ip link"),
    native_show(NAMED, "ip addr show d0"),
    native_show(
        DUMMY,
        "ip link set d0 alias edge txqueuelen 5 group 9 arp off multicast on promisc on\n\
         ip link property add dev d0 altname e0\nip link show d0",
    ),
];

#[test]
fn link_set_attributes_altnames_and_bridge_options() {
    needs_root!();
    compare(LINK_SET_MORE);
}

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
    native(
        ADDRS,
        "ip route add 10.2.0.0/16 via 10.1.1.2\nip route del 10.2.0.0/16 via 10.1.1.2",
    ),
    native_show(ADDRS, "ip route add blackhole 10.5.0.0/16\nip route"),
    native_show(
        ADDRS,
        "ip route add 10.9.0.0/16 dev d0 proto static\nip route show",
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
        native(VETH_SETTLED, "ip link set v0 down"),
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
    native("", "ip link add vx0 type vxlan id 11 dstport 4789 external"),
        native("", "ip link add vx1 type vxlan dstport 4789 external"),
        native("", "ip link add vx3 type vxlan id 13 dstport 4789 srcport 5000 6000"),
        native("", "ip link add vx4 type vxlan id 14 port 4000 4100 nolearning"),
        native("", "ip link add vx2 type vxlan id 12 dstport 4789 noexternal"),
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
    // Settled: the link-local addresses are there before the down, on both sides.
    native(VETH_SETTLED, "ip link set dev v0 down"),
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
         ip link add br9 numtxqueues 2 type bridge\n\
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

/// Two veths up, with an IPv4 and an IPv6 neighbour and a proxy entry on v0: one entry of
/// each table, so that a listing's order is the same in both sandboxes (the kernel hashes
/// entries with the device's address).
const NEIGH: &str = "ip link add v0 type veth peer name v1\nip link set v0 up\nip link set v1 up
ip neigh add 10.1.1.5 lladdr 02:00:00:00:00:05 dev v0
ip neigh add 2001:db8::5 lladdr 02:00:00:00:00:15 dev v0 router
ip neigh add proxy 10.1.1.50 dev v0";

/// `ip neigh` in every form, by its prefixes, and `ip tuntap add|del`: vsh performs them.
const NEIGHBOURS: &[Row] = &[
    native_show(NEIGH, "ip neigh"),
    native_show(NEIGH, "ip n"),
    native_show(NEIGH, "ip nei show"),
    native_show(NEIGH, "ip neighbour list"),
    native_show(NEIGH, "ip neighbor ls"),
    native_show(NEIGH, "ip neigh show dev v0"),
    native_show(NEIGH, "ip neigh show dev v1"),
    native_show(NEIGH, "ip neigh show proxy"),
    native_show(NEIGH, "ip neigh show to 10.1.1.0/24"),
    native_show(NEIGH, "ip neigh show 2001:db8::/64"),
    native_show(NEIGH, "ip neigh show 10.1.1.5"),
    native_show(NEIGH, "ip neigh show nud permanent"),
    native_show(NEIGH, "ip neigh show nud stale"),
    native_show(NEIGH, "ip neigh show dev v0 nud perm unused"),
    native_show(NEIGH, "ip n s to all"),
    native_show(NEIGH, "ip neigh get 10.1.1.5 dev v0"),
    native_show(NEIGH, "ip n g 2001:db8::5 dev v0"),
    native_show(NEIGH, "ip neigh get 10.1.1.99 dev v0"),
    native_show(
        VETH,
        "ip neigh add 10.1.1.6 lladdr 02:00:00:00:00:06 dev v0 nud reachable router
ip neigh show 10.1.1.6",
    ),
    native_show(
        VETH,
        "ip neigh add 10.1.1.7 dev v0 nud failed\nip neigh add 2001:db8::7 dev v0 nud incomplete
ip neigh show dev v0",
    ),
    native_show(
        VETH,
        "ip neigh add 10.1.1.8 lladdr 02:00:00:00:00:08 dev v0 nud noarp
ip neigh show dev v0\nip neigh show 10.1.1.8 nud noarp",
    ),
    native(
        VETH,
        "ip neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev v0",
    ),
    native(
        VETH,
        "ip n a 10.1.1.9 lladdr 02:00:00:00:00:09 dev v0 nud permanent",
    ),
    native(
        VETH,
        "ip neigh add to 10.1.1.9 ll 2:0:0:0:0:9 dev v0 nud stale",
    ),
    native(
        VETH,
        "ip neigh add dev v0 2001:db8::9 lladdr 02:00:00:00:00:09",
    ),
    native(VETH, "ip neigh add 10.1.1.9 lladdr null dev v0 nud stale"),
    native(
        VETH,
        "ip neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev v0 nud 0x80",
    ),
    native(
        NEIGH,
        "ip neigh add 10.1.1.5 lladdr 02:00:00:00:00:09 dev v0",
    ),
    native(
        NEIGH,
        "ip neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev v0 nud bogus",
    ),
    native(NEIGH, "ip neigh add 10.1.1.9 lladdr 02:00:00:00:00 dev v0"),
    native(NEIGH, "ip neigh add 10.1.1.9 lladdr 02:00:00:00:00:09"),
    native(
        NEIGH,
        "ip neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev v9",
    ),
    native(
        NEIGH,
        "ip neigh replace 10.1.1.5 lladdr 02:00:00:00:00:0a dev v0",
    ),
    native(
        NEIGH,
        "ip neigh replace 10.1.1.9 lladdr 02:00:00:00:00:09 dev v0 nud stale",
    ),
    native(NEIGH, "ip n r 2001:db8::5 lladdr 02:00:00:00:00:16 dev v0"),
    native(
        NEIGH,
        "ip neigh change 10.1.1.5 lladdr 02:00:00:00:00:0b dev v0 nud stale",
    ),
    native(
        NEIGH,
        "ip neigh chg 10.1.1.5 lladdr 02:00:00:00:00:0b dev v0",
    ),
    native(
        NEIGH,
        "ip neigh change 10.1.1.99 lladdr 02:00:00:00:00:0b dev v0",
    ),
    native(NEIGH, "ip neigh del 10.1.1.5 dev v0"),
    native(NEIGH, "ip n d 2001:db8::5 dev v0"),
    native(NEIGH, "ip neigh delete 10.1.1.99 dev v0"),
    native(NEIGH, "ip neigh del proxy 10.1.1.50 dev v0"),
    native(NEIGH, "ip neigh add proxy 10.1.1.51 dev v0"),
    native(NEIGH, "ip neigh add proxy 10.1.1.52"),
    native_show(NEIGH, "ip neigh add proxy 10.1.1.52\nip neigh show proxy"),
    native_show(
        NEIGH,
        "ip neigh add proxy 2001:db8::52 dev v1\nip n s proxy to 2001:db8::/64",
    ),
    native(NEIGH, "ip neigh flush dev v0"),
    native(NEIGH, "ip neigh flush dev v0 nud permanent"),
    native(NEIGH, "ip neigh flush all nud all"),
    native(NEIGH, "ip neigh flush to 2001:db8::/64 nud perm"),
    native(NEIGH, "ip neigh flush proxy"),
    native(NEIGH, "ip neigh flush dev v0 proxy"),
    native_show(NEIGH, "ip neigh show proxy dev v0 nud permanent"),
    native_show(NEIGH, "ip neigh show unused proxy"),
    native(
        NEIGH,
        "ip neigh replace 10.1.1.5 lladdr 02:00:00:00:00:05 dev v0 nud stale
ip neigh add 10.1.1.6 lladdr 02:00:00:00:00:06 dev v0 nud reachable
ip neigh flush dev v0",
    ),
    native(
        NEIGH,
        "ip -n r0 neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev v0",
    ),
    native("", "ip tuntap add dev tap0 mode tap"),
    native("", "ip tuntap add tun0 mode tun"),
    native("", "ip tuntap add name tun0 mode tun pi"),
    native("", "ip tuntap add dev tq mode tap multi_queue vnet_hdr pi"),
    native("", "ip tuntap add dev tu mode tun user 1000 group 100"),
    native("", "ip tuntap add dev tu mode tun user root group root"),
    native("", "ip tuntap add mode tap"),
    native("", "ip tunt a dev tap0 m tap"),
    native("", "ip tap add dev tap0 mode tap"),
    native("", "ip tuntap add dev tap0"),
    native("", "ip tuntap add dev tap0 mode tup"),
    native(
        "",
        "ip tuntap add dev tun0 mode tun\nip tuntap del dev tun0 mode tun",
    ),
    native(
        "ip tuntap add dev tap0 mode tap",
        "ip tuntap del tap0 mode tap",
    ),
    native(
        "ip tuntap add dev tap0 mode tap",
        "ip tuntap del tap0 mode tun",
    ),
    native(
        "ip tuntap add dev tap0 mode tap",
        "ip tuntap add tap0 mode tap",
    ),
    native("", "ip tuntap del tap7 mode tap"),
];

#[test]
fn neighbours_and_tun_devices_as_iproute2_makes_them() {
    needs_root!();
    compare(NEIGHBOURS);
}

/// `neigh` and `tuntap` without `ip`, and `ip tuntap show` where /sys is the namespace's own
/// (iproute2 reads each device's tun_flags there, so the twin sandboxes above cannot compare
/// it): vsh prints byte for byte what the real `ip` prints on the same state.
#[test]
fn neigh_and_tuntap_print_as_iproute2_without_ip_too() {
    needs_root!();
    // Each line as vsh takes it, and as the real `ip` is asked the same.
    let lines = [
        ("ip neigh", "ip neigh"),
        ("neigh", "ip neigh"),
        ("neighbour show dev v0", "ip neighbour show dev v0"),
        ("neighbor show proxy", "ip neighbor show proxy"),
        (
            "neigh get 2001:db8::5 dev v0",
            "ip neigh get 2001:db8::5 dev v0",
        ),
        ("ip tuntap", "ip tuntap"),
        ("tuntap", "ip tuntap"),
        ("tuntap show", "ip tuntap show"),
        ("ip tuntap list", "ip tuntap list"),
        ("ip tap", "ip tap"),
        ("ip tunt show", "ip tunt show"),
    ];
    let ours: Vec<&str> = lines.iter().map(|l| l.0).collect();
    let theirs: Vec<&str> = lines.iter().map(|l| l.1).collect();
    let run = Lab::new(&format!("{}\n", ours.join("\necho --\n")))
        .before(NEIGH)
        .before("ip tuntap add dev tap0 mode tap")
        .before("ip tuntap add tun0 mode tun user 1000 group 100")
        .before("ip tuntap add dev tq mode tap multi_queue vnet_hdr pi")
        .oracle(&theirs.join("; echo --; "))
        .run()
        .success();
    for part in [
        "tq: tap pi multi_queue vnet_hdr persist filter\n",
        "tun0: tun persist user 1000 group 100\n",
        "10.1.1.50 dev v0 proxy \n",
        "2001:db8::5 lladdr 02:00:00:00:00:15 router PERMANENT \n",
    ] {
        assert!(run.stdout.contains(part), "{part:?} in {}", run.stdout);
    }
    assert_eq!(run.stdout, run.oracle(0));
}

/// `--check` reads `ip neigh` and `ip tuntap` lines with the run's own resolvers: what is
/// wrong in the words is found before anything runs, and the lines are vsh's own.
#[test]
fn check_finds_bad_neighbours_and_tun_devices() {
    needs_root!();
    let bad = [
        (
            "neigh add 10.1.1.300 lladdr 02:00:00:00:00:01 dev v0",
            "10.1.1.300",
        ),
        ("ip neigh add 10.1.1.3 lladdr zz:00 dev v0", "zz:00"),
        (
            "ip n add 10.1.1.3 lladdr 02:00:00:00:00:01 dev v0 nud bogus",
            "bogus",
        ),
        ("ip neigh show nud 3", "3"),
        ("ip neigh show to 10.1.1.0/33", "10.1.1.0/33"),
        (
            "ip neigh del 10.1.1.3",
            "ip neigh needs a device and a destination",
        ),
        (
            "ip neigh get 10.1.1.3 dev this-name-is-too-long",
            "this-name-is-too-long",
        ),
        ("ip tuntap add dev tap0 mode tup", "tup"),
        ("ip tuntap add dev tap0", "no mode"),
        (
            "ip tuntap add dev tap0 mode tap user no-such-user-here",
            "no-such-user-here",
        ),
    ];
    for (line, says) in bad {
        Lab::new(&format!("{line}\n"))
            .flag("--check")
            .run()
            .failure(1)
            .stderr_has(says);
    }
    let run = Lab::new(
        "let d = v0\nip neigh replace 10.1.1.3 lladdr 02:00:00:00:00:01 dev $d nud stale router\n\
         ip n flush dev v0 nud all\nip tuntap add dev tap0 mode tap user 0 group root pi\n",
    )
    .flag("--check")
    .run()
    .success();
    assert!(!run.stderr.contains("runs the real"), "{}", run.stderr);
    Lab::new("help neigh\nhelp tuntap\n")
        .run()
        .success()
        .stdout_has("neigh replace ADDR lladdr MAC dev DEV")
        .stdout_has("tuntap add [dev] NAME mode tun|tap");
}

/// A tun device is made where the line stands: inside a namespace block, there, and undo
/// deletes it there.
#[test]
fn tun_devices_are_made_in_the_current_namespace() {
    needs_root!();
    let run = Lab::new("netns add blue\nnetns blue { tuntap add dev tap5 mode tap }\nip -n blue tuntap add tun5 mode tun\n")
        .oracle("ip -n blue -j -d link show")
        .oracle("ip -j link show")
        .run()
        .success();
    let blue = run.json(0);
    assert_eq!(
        link(&blue, "tap5")["linkinfo"]["info_data"]["type"],
        "tap",
        "{blue}"
    );
    assert_eq!(
        link(&blue, "tun5")["linkinfo"]["info_data"]["type"],
        "tun",
        "{blue}"
    );
    let root = run.oracle(1);
    assert!(!root.contains("tap5") && !root.contains("tun5"), "{root}");
    // Undo deletes it in the older namespace it was made in.
    let run = Lab::new("netns keep { tuntap add dev tap5 mode tap }\nfalse\n")
        .before("ip netns add keep")
        .oracle("ip -n keep -j link show")
        .run()
        .failure(1)
        .stderr_has("removed link tap5 in keep");
    let keep = run.json(0);
    assert!(!keep.to_string().contains("tap5"), "{keep}");
}

#[test]
fn vlans_and_the_kinds_vsh_leaves_to_ip() {
    needs_root!();
    compare(&[
        native(VETH, "ip link add link v0 name v0.10 type vlan id 10"),
        native(VETH, "ip link add v0.20 link v0 type vlan id 20"),
        native(
            VETH,
            "ip link add v0.30 link v0 type vlan proto 802.1ad id 30",
        ),
        native(
            VETH,
            "ip link add link v0 v0.40 type vlan protocol 802.1Q id 40",
        ),
        native(
            VETH,
            "ip link add link v0 name v0.50 type vlan id 50\nip link set v0.50 up",
        ),
        native(VETH, "ip link add link v0 name v0.4095 type vlan id 4095"),
        native(VETH, "ip link add v0.60 type vlan id 60"),
        native(
            VETH,
            "ip link add link v0 name v0.70 type vlan id 70\nip addr add 10.70.0.1/24 dev v0.70",
        ),
        // An option vsh does not set, or a kind it sets none of: the real `ip` runs the line.
        row(
            VETH,
            "ip link add link v0 name v0.80 type vlan id 80 reorder_hdr off",
        ),
        row(
            VETH,
            "ip link add link v0 name v0.81 type vlan id 81 gvrp on",
        ),
        row(
            "",
            "ip link add g0 type gretap local 10.0.0.1 remote 10.0.0.2",
        ),
        row("", "ip link add bond0 type bond mode active-backup"),
        row("", "ip link add d0 type dummy numtxqueues 2"),
        row("", "ip link add br0 type bridge id 5"),
        row("", "ip link add i0 type ipvlan mode l2"),
    ]);
}

/// Two devices up, each with a network: for multipath routes and device selectors.
const TWO: &str = "ip link add d0 type ifb\nip link set d0 up\n\
                   ip addr add 10.1.1.1/24 dev d0\nip addr add 2001:db8::1/64 dev d0 nodad\n\
                   ip link add d1 type ifb\nip link set d1 up\n\
                   ip addr add 10.2.1.1/24 dev d1\nip addr add 2001:db8:1::1/64 dev d1 nodad";
/// Routes of several tables, protocols, scopes and types, on TWO.
const ROUTED: &str = "ip link add d0 type ifb\nip link set d0 up\n\
                      ip addr add 10.1.1.1/24 dev d0\nip addr add 2001:db8::1/64 dev d0 nodad\n\
                      ip link add d1 type ifb\nip link set d1 up\n\
                      ip addr add 10.2.1.1/24 dev d1\n\
                      ip route add 10.4.0.0/16 via 10.1.1.2 table 10\n\
                      ip route add 10.5.0.0/16 via 10.1.1.2 proto static\n\
                      ip route add 10.6.0.0/16 dev d1 scope link metric 5\n\
                      ip route add blackhole 10.7.0.0/16\n\
                      ip route add 10.8.1.0/24 via 10.2.1.2\n\
                      ip route add default via 10.1.1.254\n\
                      ip -6 route add 2001:db8:5::/48 via 2001:db8::2";

/// `route replace|change|append|prepend|flush|get`, options in iproute2's any order, route
/// `mtu`, multipath, `-4`/`-6`/`-f` before the object, and `route show` selectors.
const ROUTE_VERBS: &[Row] = &[
    native(ADDRS, "ip route replace 10.10.0.0/16 via 10.1.1.3"),
    native(
        ADDRS,
        "ip route add 10.10.0.0/16 via 10.1.1.3\nip route replace 10.10.0.0/16 via 10.1.1.4 metric 0",
    ),
    native(ADDRS, "ip route append 10.11.0.0/16 via 10.1.1.3"),
    native(
        ADDRS,
        "ip -6 route add 2001:db8:9::/48 via 2001:db8::3\nip -6 route append 2001:db8:9::/48 via 2001:db8::4",
    ),
    native(ADDRS, "ip route prepend 10.11.0.0/16 via 10.1.1.3"),
    native(
        ADDRS,
        "ip route add 10.12.0.0/16 via 10.1.1.3\nip route change 10.12.0.0/16 via 10.1.1.4",
    ),
    native(ADDRS, "ip route change 10.12.0.0/16 via 10.1.1.4"),
    native(ADDRS, "ip r repl default via 10.1.1.254"),
    native(ADDRS, "ip r c 10.12.0.0/16 via 10.1.1.4"),
    native(ADDRS, "ip route chg 10.12.0.0/16 via 10.1.1.4"),
    native(ADDRS, "ip route add table 20 default via 10.1.1.254"),
    native(ADDRS, "ip route add table main 10.14.0.0/16 dev d0"),
    native(ADDRS, "ip r a 10.2.0.0/16 via 10.1.1.2 tab 5"),
    native_show(ROUTED, "ip r s ta 10"),
    native(ADDRS, "ip route add dev d0 10.14.0.0/16"),
    native(ADDRS, "ip route add via 10.1.1.2 10.14.0.0/16 metric 3"),
    native(ADDRS, "ip route add proto static scope link 10.14.0.0/16 dev d0"),
    native(ADDRS, "ip route add 10.15.0.0/16 oif d0"),
    native(ADDRS, "ip route add 10.16.0.0/16 via 10.1.1.2 mtu 1400"),
    native(ADDRS, "ip route add mtu 1300 10.16.0.0/16 dev d0"),
    native(ADDRS, "ip route replace 10.16.0.0/16 via 10.1.1.2 mtu 1280 table 7"),
    native(ADDRS, "ip -6 route add 2001:db8:6::/48 via 2001:db8::2 mtu 1400"),
    native(
        TWO,
        "ip route add 10.17.0.0/16 nexthop via 10.1.1.2 dev d0 nexthop via 10.2.1.2 dev d1",
    ),
    native(
        TWO,
        "ip route add 10.17.0.0/16 nexthop via 10.1.1.2 dev d0 weight 3 nexthop via 10.2.1.2 dev d1 weight 1",
    ),
    native(
        TWO,
        "ip route add default nexthop via 10.1.1.2 weight 2 nexthop via 10.2.1.2",
    ),
    native(
        TWO,
        "ip route replace 10.17.0.0/16 table 5 nexthop via 10.1.1.2 nexthop via 10.2.1.2 dev d1",
    ),
    native(
        TWO,
        "ip -6 route add 2001:db8:7::/48 nexthop via 2001:db8::2 dev d0 nexthop via 2001:db8:1::2 dev d1 weight 4",
    ),
    native(ADDRS, "ip -4 route add 10.18.0.0/16 via 10.1.1.2"),
    native(ADDRS, "ip -6 route replace 2001:db8:8::/48 via 2001:db8::2"),
    native(ROUTED, "ip route flush 10.8.1.0/24"),
    native(ROUTED, "ip route flush dev d1"),
    native(ROUTED, "ip route flush table 10"),
    native(ROUTED, "ip route flush proto static"),
    native(ROUTED, "ip route flush root 10.0.0.0/8"),
    native(ROUTED, "ip route flush type blackhole"),
    native(ROUTED, "ip -6 route flush dev d0"),
    native(ROUTED, "ip r f exact default"),
    native(ROUTED, "ip route flush table main"),
    // Not prefixes: iproute2's own words, the real `ip` judges them.
    row(ROUTED, "ip route flush cache"),
    show(ROUTED, "ip r s prot static"),
    native_show(ROUTED, "ip route show"),
    native_show(ROUTED, "ip route show table 10"),
    // One device: the order of link-local addresses of two is as random as their MACs.
    native_show(ROUTED, "ip -4 route show table all"),
    native_show(ROUTED, "ip route show table main"),
    native_show(ROUTED, "ip route show table local"),
    native_show(ROUTED, "ip route list table 10 dev d0"),
    native_show(ROUTED, "ip route show dev d1"),
    native_show(ROUTED, "ip route show proto static"),
    native_show(ROUTED, "ip route show proto kernel"),
    native_show(ROUTED, "ip route show scope link"),
    native_show(ROUTED, "ip route show type blackhole"),
    native_show(ROUTED, "ip route show type unicast"),
    native_show(ADDRS, "ip route show table all type local"),
    native_show(ROUTED, "ip route show root 10.0.0.0/8"),
    native_show(ROUTED, "ip route show match 10.8.1.7"),
    native_show(ROUTED, "ip route show exact 10.5.0.0/16"),
    native_show(ROUTED, "ip route show 10.5.0.0/16"),
    native_show(ROUTED, "ip route show default"),
    native_show(ROUTED, "ip -6 route show"),
    native_show(ADDRS, "ip -6 route show table all"),
    native_show(ROUTED, "ip -6 route show dev d0"),
    native_show(ADDRS, "ip -4 r"),
    native_show(ADDRS, "ip -fam inet6 r"),
    native_show(ADDRS, "ip -f inet6 route show"),
    native_show(ADDRS, "ip -family inet route"),
    native_show(
        TWO,
        "ip route add 10.16.0.0/16 via 10.1.1.2 mtu 1400\nip route show",
    ),
    native_show(
        TWO,
        "ip -6 route add 2001:db8:6::/48 via 2001:db8::2 mtu 1400\nip -6 route",
    ),
    native_show(
        TWO,
        "ip route add 10.17.0.0/16 nexthop via 10.1.1.2 dev d0 weight 2 nexthop via 10.2.1.2 dev d1\nip route",
    ),
    native_show(
        TWO,
        "ip -6 route add 2001:db8:7::/48 nexthop via 2001:db8::2 dev d0 nexthop via 2001:db8:1::2 dev d1 weight 4\nip -6 route",
    ),
    native_show(
        ADDRS,
        "ip route add 10.4.0.0/16 via 10.1.1.2 table 10\nip route show table 10",
    ),
    native_show(
        ADDRS,
        "ip route add 10.4.0.0/16 via 10.1.1.2 table 10\nip route show table all",
    ),
    native_show(ROUTED, "ip route get 10.1.1.7"),
    native_show(ROUTED, "ip route get 10.8.1.9"),
    native_show(ROUTED, "ip route get 10.1.1.1"),
    native_show(ROUTED, "ip route get 10.99.0.1"),
    native_show(ROUTED, "ip route get to 10.5.3.3"),
    native_show(ROUTED, "ip route get 10.1.1.7 from 10.1.1.1"),
    native_show(ROUTED, "ip route get 10.1.1.7 oif d1"),
    native_show(ROUTED, "ip route get 10.7.0.1"),
    native_show(ROUTED, "ip -6 route get 2001:db8::5"),
    native_show(ROUTED, "ip -6 route get 2001:db8:5::1"),
    native_show(ROUTED, "ip r g 127.0.0.1"),
    native_show(ROUTED, "ip route get 10.1.1.1 from 10.2.1.5 iif d1"),
    native_show(ROUTED, "ip route get 10.1.1.7 from 10.2.1.5 iif d1"),
    native_show(ROUTED, "ip route get 10.1.1.7 from 10.1.1.1 oif d0"),
    native_show(ROUTED, "ip route get 10.1.1.255"),
    native_show(ROUTED, "ip -6 route get 2001:db8:99::1"),
    native_show(
        TWO,
        "ip route add 10.16.0.0/16 via 10.1.1.2 mtu 1400\nip route get 10.16.0.1",
    ),
];

#[test]
fn route_verbs_multipath_and_selectors() {
    needs_root!();
    compare(ROUTE_VERBS);
}

/// Several addresses on two devices, of both families, scopes, labels and lifetimes.
const ADDRESSED: &str = "ip link add d0 type ifb\nip link set d0 up\n\
                         ip addr add 10.1.1.1/24 dev d0\n\
                         ip addr add 10.1.1.2/24 dev d0 label d0:1\n\
                         ip addr add 10.3.3.3/32 dev d0 scope link\n\
                         ip addr add 2001:db8::1/64 dev d0 nodad\n\
                         ip addr add 2001:db8:2::1/64 dev d0 nodad\n\
                         ip link add d1 type ifb\nip link set d1 up\n\
                         ip addr add 10.2.1.1/24 dev d1\n\
                         ip addr add 10.4.4.4/24 dev d1 valid_lft 500 preferred_lft 400\n\
                         ip link add d2 type ifb";

/// `addr show` selectors and `addr flush` with them, `-4`/`-6` before `addr`.
const ADDR_SELECTORS: &[Row] = &[
    native_show(ADDRS, "ip -4 a"),
    native_show(ADDRS, "ip -6 addr show dev d0"),
    native_show(ADDRS, "ip -f inet a"),
    native_show(ADDRESSED, "ip -4 addr show"),
    native_show(ADDRESSED, "ip -6 addr show"),
    native_show(ADDRESSED, "ip -4 addr show dev d0"),
    native_show(ADDRESSED, "ip -family inet6 a s d0"),
    native_show(ADDRESSED, "ip addr show scope global"),
    native_show(ADDRESSED, "ip addr show scope link"),
    native_show(ADDRESSED, "ip -4 addr show scope link"),
    native_show(ADDRESSED, "ip addr show permanent"),
    native_show(ADDRESSED, "ip addr show dynamic"),
    native_show(ADDRESSED, "ip addr show to 10.1.1.0/24"),
    native_show(ADDRESSED, "ip addr show to 2001:db8:2::/48"),
    native_show(ADDRESSED, "ip addr show label d0"),
    native_show(ADDRESSED, "ip addr show label 'd0:*'"),
    native_show(ADDRESSED, "ip addr show label 'd*'"),
    native_show(ADDRESSED, "ip addr show primary"),
    native_show(ADDRESSED, "ip addr show secondary"),
    native_show(ADDRESSED, "ip addr show dev d0 scope global primary"),
    native_show(ADDRESSED, "ip -4 addr show up"),
    native_show(ADDRS, "ip addr show scope global"),
    native_show(ADDRS, "ip addr show permanent"),
    native_show(ADDRS, "ip addr show to 10.1.1.0/24"),
    native_show(ADDRS, "ip addr show label d0"),
    native_show(ADDRS, "ip addr show dynamic"),
    native_show(
        DUMMY_UP,
        "ip addr add 2001:db8::9/64 dev d0 nodad\nip -6 addr show dev d0",
    ),
    native_show(
        DUMMY_UP,
        "ip addr add 10.1.1.2/24 dev d0 valid_lft 100 preferred_lft 50\nip -4 addr show d0",
    ),
    native(DUMMY_UP, "ip -6 addr add 2001:db8::5/64 dev d0 nodad"),
    native(DUMMY_UP, "ip -4 addr add 10.1.1.5/24 dev d0"),
    native(DUMMY_UP, "ip -4 addr add 2001:db8::5/64 dev d0"),
    native(DUMMY_UP, "ip -6 addr add 10.1.1.5/24 dev d0"),
    native(ADDRS, "ip -4 addr flush dev d0"),
    native(ADDRS, "ip addr flush dev d0 scope global"),
    native(ADDRESSED, "ip -6 addr flush dev d0"),
    native(ADDRESSED, "ip addr flush scope link"),
    native(ADDRESSED, "ip addr flush label d0:1"),
    native(ADDRESSED, "ip addr flush label 'd*'"),
    native(ADDRESSED, "ip addr flush to 10.1.1.0/24"),
    native(ADDRESSED, "ip -4 addr flush scope global"),
    native(ADDRESSED, "ip addr flush dev d0 dynamic"),
    native(ADDRESSED, "ip addr flush secondary"),
    native(ADDRESSED, "ip -f inet6 address flush scope global"),
    native(ADDRESSED, "ip a f to 2001:db8::/32"),
    native(ADDRESSED, "ip addr flush dev d1 permanent"),
];

#[test]
fn addr_show_selectors_and_flush() {
    needs_root!();
    compare(ADDR_SELECTORS);
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
const ROUTED_KINDS: &str = "ip link add d0 type ifb\nip link set d0 up\n\
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
    native_show(ROUTED_KINDS, "ip -j route"),
    native_show(ROUTED_KINDS, "ip -j -p route show"),
    native_show(ROUTED_KINDS, "ip -6 -j route"),
    native_show(ROUTED_KINDS, "ip -j route show dev d0"),
    native_show(ROUTED_KINDS, "ip -fam inet6 -j -p r"),
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

#[test]
fn device_options_of_link_add_as_iproute2_takes_them() {
    needs_root!();
    compare(&[
        native("", "ip link add d1 txqueuelen 100 type ifb"),
        native("", "ip link add name d1 txqlen 200 mtu 1400 type ifb"),
        native("", "ip link add d1 group 5 type ifb"),
        native("", "ip link add dev d1 arp off multicast on type ifb"),
        native(
            "",
            "ip link add v0 address 02:00:00:00:00:10 type veth peer name v1",
        ),
        native(
            "",
            "ip link add br1 address 02:00:00:00:00:20 type bridge stp_state 1",
        ),
        native("", "ip link add d1 broadcast 02:ff:ff:ff:ff:ff type ifb"),
        native("", "ip link add d1 promisc on type ifb\nip link set d1 up"),
        // Options vsh does not set stay iproute2's.
        row("", "ip link add d1 numtxqueues 2 type ifb"),
        row("", "ip link add d1 index 77 type ifb"),
        native("", "ip link add d1 address 02:00:00:00:00:01 type ifb"),
        row("", "ip link add d1 alias \"an uplink\" type ifb"),
    ]);
}
