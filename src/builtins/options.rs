//! The longer option lists of the table's forms (table.rs), one list a form. A new option is
//! one `flag("word")` or `opt("word", Kind)` in its list.

use super::Kind::*;
use super::{flag, opt, Kind, Opt};

/// `link set DEV ...`, as often as wanted.
pub(super) const LINK_SET: &[Opt] = &[
    flag("up"),
    flag("down"),
    opt("netns", Netns),
    opt("master", Bridge),
    flag("nomaster"),
    opt("mtu", Number),
    opt("name", NewName),
    Opt {
        word: "address",
        aliases: &[],
        takes: Some(Mac),
    },
    Opt {
        word: "broadcast",
        aliases: &["brd"],
        takes: Some(Mac),
    },
    opt("alias", Word),
    Opt {
        word: "txqueuelen",
        aliases: &["txqlen", "qlen"],
        takes: Some(Number),
    },
    opt("group", Word),
    opt("arp", ON_OFF),
    opt("multicast", ON_OFF),
    opt("allmulticast", ON_OFF),
    opt("promisc", ON_OFF),
    opt("type", Choice(&["bridge"])),
];

const ON_OFF: Kind = Choice(&["on", "off"]);

/// `link add`: the device's own options, `type`, a veth's peer and the kinds' options
/// (src/eval/kinds.rs).
pub(super) const LINK_ADD: &[Opt] = &[
    opt("mtu", Number),
    opt("netns", Netns),
    flag("up"),
    opt("address", Mac),
    Opt {
        word: "broadcast",
        aliases: &["brd"],
        takes: Some(Mac),
    },
    Opt {
        word: "txqueuelen",
        aliases: &["txqlen", "qlen"],
        takes: Some(Number),
    },
    opt("arp", ON_OFF),
    opt("multicast", ON_OFF),
    opt("allmulticast", ON_OFF),
    opt("promisc", ON_OFF),
    opt("master", Bridge),
    opt("link", Device),
    opt(
        "type",
        Choice(&[
            "veth", "bridge", "dummy", "ifb", "macvlan", "macvtap", "vlan", "vxlan",
        ]),
    ),
    opt("peer", NewName),
    opt(
        "mode",
        Choice(&["private", "vepa", "bridge", "passthru", "source"]),
    ),
    opt("id", Number),
    Opt {
        word: "protocol",
        aliases: &["proto"],
        takes: Some(Choice(&["802.1Q", "802.1ad"])),
    },
    opt("dev", Device),
    opt("dstport", Number),
    opt("local", Ip),
    opt("remote", Ip),
    opt("group", Ip),
    opt("ttl", Number),
    opt("hoplimit", Number),
    opt("tos", Word),
    flag("learning"),
    flag("nolearning"),
    flag("proxy"),
    flag("udpcsum"),
    flag("noudpcsum"),
    flag("external"),
    Opt {
        word: "srcport",
        aliases: &["port"],
        takes: Some(Number),
    },
    flag("noexternal"),
    opt("stp_state", Number),
    opt("forward_delay", Number),
    opt("hello_time", Number),
    opt("max_age", Number),
    opt("ageing_time", Number),
    opt("priority", Number),
    opt("vlan_filtering", Number),
    opt("vlan_default_pvid", Number),
    opt("mcast_snooping", Number),
    opt("mcast_querier", Number),
];

pub(super) const ADDR_ADD: &[Opt] = &[
    Opt {
        word: "brd",
        aliases: &["broadcast"],
        takes: Some(Ip),
    },
    opt("label", Word),
    opt("scope", Choice(&["global", "site", "link", "host"])),
    opt("valid_lft", Number),
    opt("preferred_lft", Number),
    flag("nodad"),
    flag("noprefixroute"),
    flag("home"),
    flag("mngtmpaddr"),
    flag("optimistic"),
    flag("autojoin"),
];

/// `route add|del`: the type before the destination, then options.
pub(super) const ROUTE: &[Opt] = &[
    flag("unicast"),
    flag("blackhole"),
    flag("unreachable"),
    flag("prohibit"),
    flag("local"),
    flag("throw"),
    opt("via", Ip),
    opt("dev", Device),
    opt("src", Ip),
    Opt {
        word: "metric",
        aliases: &["priority"],
        takes: Some(Number),
    },
    opt("table", Word),
    Opt {
        word: "proto",
        aliases: &["protocol"],
        takes: Some(Word),
    },
    opt("scope", Choice(&["global", "link", "host"])),
    flag("onlink"),
    opt("mtu", Number),
    opt("nexthop", Word),
    opt("weight", Number),
    opt("oif", Device),
];

/// `addr show|flush`: the selectors.
pub(super) const ADDR_SELECT: &[Opt] = &[
    flag("up"),
    opt("scope", Choice(&["global", "site", "link", "host"])),
    opt("label", Word),
    opt("to", Prefix),
    flag("permanent"),
    flag("dynamic"),
    flag("primary"),
    flag("secondary"),
];

/// `route show|flush`: the selectors.
pub(super) const ROUTE_SELECT: &[Opt] = &[
    opt("dev", Device),
    opt("table", Word),
    Opt {
        word: "proto",
        aliases: &["protocol"],
        takes: Some(Word),
    },
    opt("scope", Choice(&["global", "link", "host"])),
    opt("type", Word),
    opt("root", Prefix),
    opt("match", Prefix),
    opt("exact", Prefix),
];

/// `-n NS`: the namespace to act in.
pub(super) const NETNS_FLAG: &[Opt] = &[opt("-n", Netns)];

pub(super) const PING: &[Opt] = &[
    opt("-c", Number),
    opt("-i", Number),
    opt("-W", Number),
    opt("-w", Number),
    opt("-s", Number),
    opt("-I", Device),
    flag("-q"),
    flag("-v"),
];
