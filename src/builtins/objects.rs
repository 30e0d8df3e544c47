//! The table's entries for iproute2's neighbour and tun/tap objects (`ip neigh`, `ip tuntap`).

use super::table::SHOW;
use super::Kind::*;
use super::{arg, flag, opt, Builtin, Form, Kind, Opt, BUILTIN, FORM};

const NUD: Kind = Choice(&[
    "permanent",
    "noarp",
    "reachable",
    "stale",
    "none",
    "incomplete",
    "delay",
    "probe",
    "failed",
]);

const NEIGH_OPTS: &[Opt] = &[
    Opt {
        word: "lladdr",
        aliases: &[],
        takes: Some(Mac),
    },
    opt("nud", NUD),
    opt("dev", Device),
    opt("to", Ip),
    flag("proxy"),
    flag("router"),
];

pub(super) const NEIGH: Builtin = Builtin {
    name: "neigh",
    aliases: &["neighbour", "neighbor"],
    summary: "neighbour (ARP and NDISC) entries, as `ip neigh`",
    under_ip: true,
    forms: &[
        Form {
            sub: "show",
            aliases: SHOW,
            options: &[
                opt("dev", Device),
                opt("to", Prefix),
                opt("nud", NUD),
                flag("proxy"),
                flag("unused"),
            ],
            usage: &["[dev DEV] [to PREFIX] [nud STATE] [proxy] [unused]"],
            ..FORM
        },
        Form {
            sub: "add",
            operands: &[arg(Ip)],
            options: NEIGH_OPTS,
            usage: &[
                "ADDR lladdr MAC dev DEV [nud permanent|noarp|reachable|stale] [router]",
                "proxy ADDR [dev DEV]",
            ],
            ..FORM
        },
        Form {
            sub: "replace",
            operands: &[arg(Ip)],
            options: NEIGH_OPTS,
            usage: &["ADDR lladdr MAC dev DEV [nud STATE] [router] # made or overwritten"],
            ..FORM
        },
        Form {
            sub: "change",
            aliases: &["chg"],
            operands: &[arg(Ip)],
            options: NEIGH_OPTS,
            usage: &["ADDR lladdr MAC dev DEV [nud STATE] [router] # overwritten only"],
            ..FORM
        },
        Form {
            sub: "del",
            aliases: &["delete"],
            operands: &[arg(Ip)],
            options: NEIGH_OPTS,
            usage: &["ADDR dev DEV", "proxy ADDR [dev DEV]"],
            ..FORM
        },
        Form {
            sub: "flush",
            options: &[
                opt("dev", Device),
                opt("to", Prefix),
                opt("nud", NUD),
                flag("proxy"),
                Opt {
                    word: "all",
                    aliases: &["any", "default"],
                    takes: None,
                },
            ],
            usage: &["dev DEV", "all", "to PREFIX [nud STATE]"],
            ..FORM
        },
        Form {
            sub: "get",
            operands: &[arg(Ip)],
            options: &[opt("dev", Device)],
            usage: &["ADDR dev DEV"],
            ..FORM
        },
    ],
    examples: &[
        "neigh add 10.1.1.2 lladdr 02:00:00:00:00:02 dev veth0",
        "ip n replace 10.1.1.3 lladdr 02:00:00:00:00:03 dev veth0 nud stale",
        "ip neigh show dev veth0",
    ],
    ..BUILTIN
};

const TUNTAP_OPTS: &[Opt] = &[
    Opt {
        word: "dev",
        aliases: &["name"],
        takes: Some(NewName),
    },
    opt("mode", Choice(&["tun", "tap"])),
    opt("user", Word),
    opt("group", Word),
    flag("pi"),
    flag("vnet_hdr"),
    flag("multi_queue"),
];

pub(super) const TUNTAP: Builtin = Builtin {
    name: "tuntap",
    summary: "persistent tun and tap devices, as `ip tuntap`",
    under_ip: true,
    forms: &[
        Form {
            sub: "show",
            aliases: &["list"],
            ..FORM
        },
        Form {
            sub: "add",
            options: TUNTAP_OPTS,
            usage: &["[dev] NAME mode tun|tap [user U] [group G] [pi] [vnet_hdr] [multi_queue]"],
            ..FORM
        },
        Form {
            sub: "del",
            aliases: &["delete"],
            options: TUNTAP_OPTS,
            usage: &["[dev] NAME mode tun|tap"],
            ..FORM
        },
    ],
    examples: &["ip tuntap add dev tap0 mode tap", "ip tuntap show"],
    ..BUILTIN
};
