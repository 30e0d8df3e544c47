//! Whole scripts of the iproute2 compatibility table (see compat.rs), in the style of the
//! kernel's net selftests and of container-networking tutorials: vsh's own lines and lines
//! that run the real `ip`, mixed, each run by vsh and by bash with the real `ip`.

use crate::compat::{compare, native, native_show, row, show, Row};

/// Whole scripts in the style of the kernel's net selftests and of container-networking
/// tutorials: vsh's own lines and lines that run the real `ip`, mixed.
const SCRIPTS: &[Row] = &[
    // Two namespaces joined by a veth, each end made where it belongs.
    native(
        "",
        "ip netns add s1a
ip netns add s1b
ip link add veth0 netns s1a type veth peer name veth1 netns s1b
ip -n s1a addr add 10.0.1.1/24 dev veth0
ip -n s1b addr add 10.0.1.2/24 dev veth1
ip -n s1a link set veth0 up
ip -n s1b link set veth1 up
ip -n s1a link set lo up
ip -n s1b link set lo up
ip -n s1a route add default via 10.0.1.2",
    ),
    // Containers on a bridge, as a container runtime wires them.
    native(
        "",
        "ip link add br0 type bridge
ip link set br0 up
ip addr add 172.18.0.1/16 dev br0
ip netns add s2c1
ip link add veth-c1 type veth peer name eth0 netns s2c1
ip link set veth-c1 master br0
ip link set veth-c1 up
ip -n s2c1 addr add 172.18.0.2/16 dev eth0
ip -n s2c1 link set eth0 up
ip -n s2c1 link set lo up
ip -n s2c1 route add default via 172.18.0.1
ip netns add s2c2
ip link add veth-c2 type veth peer name eth0 netns s2c2
ip link set veth-c2 master br0
ip link set veth-c2 up
ip -n s2c2 addr add 172.18.0.3/16 dev eth0
ip -n s2c2 link set eth0 up
ip -n s2c2 route add default via 172.18.0.1",
    ),
    // A VXLAN overlay on a bridge, its flood entry written with `bridge fdb`.
    row(
        "ip link add u0 type veth peer name u1\nip addr add 10.0.0.1/24 dev u0\n\
         ip link set u0 up\nip link set u1 up",
        "ip link add vxlan100 type vxlan id 100 dstport 4789 local 10.0.0.1 dev u0
ip link add br100 type bridge
ip link set vxlan100 master br100
ip link set vxlan100 up
ip link set br100 up
bridge fdb append 00:00:00:00:00:00 dev vxlan100 dst 10.0.0.2",
    ),
    // Policy routing: a table of its own and a rule to reach it.
    row(
        "",
        "ip link add d1 type ifb
ip link set d1 up
ip addr add 192.168.50.2/24 dev d1
ip route add default via 192.168.50.1 dev d1 table 50
ip rule add from 192.168.50.2 table 50 priority 1000
ip route add 10.50.0.0/16 via 192.168.50.1",
    ),
    // macvlan endpoints of one parent, one moved into a namespace.
    native(
        "",
        "ip link add p0 type veth peer name p1
ip link add mv1 link p0 type macvlan mode bridge
ip link add mv2 link p0 type macvlan mode bridge
ip netns add s5a
ip link set mv1 netns s5a
ip -n s5a addr add 192.168.60.10/24 dev mv1
ip -n s5a link set mv1 up
ip link set p0 up
ip addr add 192.168.60.11/24 dev mv2",
    ),
    // IPv6 between two namespaces, with a route beyond.
    native(
        "",
        "ip netns add s6a
ip netns add s6b
ip -n s6a link add v6a type veth peer name v6b netns s6b
ip -n s6a addr add 2001:db8:6::1/64 dev v6a nodad
ip -n s6b addr add 2001:db8:6::2/64 dev v6b nodad
ip -n s6a link set v6a up
ip -n s6b link set v6b up
ip -n s6a -6 route add 2001:db8:66::/64 via 2001:db8:6::2",
    ),
    // A router namespace between two hosts.
    native(
        "",
        "ip netns add s7h1
ip netns add s7r
ip netns add s7h2
ip link add h1 netns s7h1 type veth peer name r1 netns s7r
ip link add h2 netns s7h2 type veth peer name r2 netns s7r
ip -n s7h1 addr add 10.71.0.2/24 dev h1
ip -n s7r addr add 10.71.0.1/24 dev r1
ip -n s7r addr add 10.72.0.1/24 dev r2
ip -n s7h2 addr add 10.72.0.2/24 dev h2
ip -n s7h1 link set h1 up
ip -n s7r link set r1 up
ip -n s7r link set r2 up
ip -n s7h2 link set h2 up
ip -n s7h1 route add default via 10.71.0.1
ip -n s7h2 route add default via 10.72.0.1
ip netns exec s7r sysctl -qw net.ipv4.ip_forward=1",
    ),
    // Routes with metrics, a blackhole and an unreachable prefix.
    native(
        "",
        "ip link add eth9 type ifb
ip link set eth9 up
ip addr add 198.51.100.2/24 dev eth9
ip route add 203.0.113.0/24 via 198.51.100.1 metric 100
ip route add 203.0.113.0/24 via 198.51.100.254 metric 200
ip route add blackhole 192.0.2.0/24
ip route add unreachable 192.0.2.128/25
ip route del 203.0.113.0/24 via 198.51.100.254 metric 200",
    ),
    // A tap device and static neighbours.
    native(
        "",
        "ip tuntap add dev tap9 mode tap
ip link set tap9 up
ip addr add 10.90.0.1/24 dev tap9
ip neigh add 10.90.0.2 lladdr 02:00:00:00:09:02 dev tap9 nud permanent
ip neigh replace 10.90.0.3 lladdr 02:00:00:00:09:03 dev tap9",
    ),
    // Renames, MTUs, queue lengths, a chosen MAC address and an alias.
    native(
        "",
        "ip link add tmp0 type veth peer name tmp1
ip link set tmp0 name wan0
ip link set dev wan0 mtu 9000
ip link set tmp1 mtu 9000 txqueuelen 2000 up
ip link set wan0 address 02:00:00:00:10:01
ip link set wan0 alias \"uplink to the lab\"",
    ),
    // A bridge running STP, a port's cost set with `bridge link`.
    row(
        "",
        "ip link add name brv type bridge stp_state 1 priority 100 forward_delay 400
ip link add pv0 type veth peer name pv1
ip link set pv0 master brv
ip link set brv up
ip link set pv0 up
bridge link set dev pv0 cost 5",
    ),
    // Loopbacks of every namespace up, addresses on them.
    row(
        "",
        "ip netns add s12a
ip netns add s12b
ip -all netns exec ip link set lo up
ip -n s12a addr add 10.120.0.1/32 dev lo
ip netns exec s12b ip addr add 10.120.0.2/32 dev lo",
    ),
    // A cheat sheet's abbreviations, then what they made.
    show(
        "",
        "ip l a c0 type veth peer name c1
ip l s c0 up
ip l s c1 up
sleep 1.5
ip a a 10.130.0.1/24 dev c0 nodad
ip r a 10.131.0.0/16 via 10.130.0.2
ip -4 -br a
ip r",
    ),
];

#[test]
fn whole_scripts_build_what_iproute2_builds() {
    needs_root!();
    compare(SCRIPTS);
}

/// Whole scripts of route verbs, multipath and selectors, all vsh's own.
const ROUTE_SCRIPTS: &[Row] = &[
    // Two uplinks: a default route through each, then both at once, a table per uplink.
    native_show(
        "",
        "ip link add up1 type ifb
ip link add up2 type ifb
ip link set up1 up
ip link set up2 up
ip addr add 192.0.2.2/24 dev up1
ip addr add 198.51.100.2/24 dev up2
ip route add default via 192.0.2.1 metric 100
ip route append default via 198.51.100.1 metric 200
ip route add 10.0.0.0/8 via 192.0.2.1 table 100
ip route add table 200 10.0.0.0/8 via 198.51.100.1
ip route replace default metric 100 nexthop via 192.0.2.1 dev up1 nexthop via 198.51.100.1 dev up2 weight 2
ip route flush table 200
ip route change default via 198.51.100.1 dev up2 metric 200
ip -4 route show table all
ip route get 198.51.100.7
ip route show match 10.1.2.3 table 100",
    ),
    // IPv6 renumbering: a second prefix, its route moved over, the old prefix flushed.
    native_show(
        "",
        "ip link add v6a type ifb
ip link set v6a up
ip -6 addr add 2001:db8:a::1/64 dev v6a nodad
ip -6 addr add 2001:db8:b::1/64 dev v6a nodad
ip -6 route add 2001:db8:100::/48 via 2001:db8:a::fe
ip -6 route replace 2001:db8:100::/48 via 2001:db8:b::fe mtu 1400
ip -6 addr flush dev v6a to 2001:db8:a::/64
ip -6 addr show dev v6a
ip -6 route show dev v6a
ip -6 route get 2001:db8:100::1",
    ),
    // A lab torn down by selectors: one label's addresses, a protocol's routes, a device's.
    native(
        "",
        "ip link add lan0 type ifb
ip link set lan0 up
ip addr add 172.16.0.1/24 dev lan0
ip addr add 172.16.0.2/24 dev lan0 label lan0:vip
ip addr add 172.16.1.1/24 dev lan0 label lan0:vip2
ip route add 172.17.0.0/16 via 172.16.0.254 proto static
ip route add 172.18.0.0/16 via 172.16.0.254 proto 99
ip route add blackhole 172.19.0.0/16
ip addr flush label 'lan0:vip*'
ip route flush proto static
ip route flush type blackhole
ip addr flush dev lan0 scope global",
    ),
];

#[test]
fn whole_scripts_of_route_verbs_and_selectors() {
    needs_root!();
    compare(ROUTE_SCRIPTS);
}
