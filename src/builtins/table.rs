//! The builtins, one entry each. A new builtin is one `Builtin` here; a new subcommand one
//! `Form` in its builtin's `forms`; a new option one `flag(..)` or `opt(.., Kind)` in its
//! form's `options` (and its word in the grammar: tests.rs holds the two together).

use super::objects::{NEIGH, TUNTAP};
use super::options::{
    ADDR_ADD, ADDR_SELECT, LINK_ADD, LINK_SET, NETNS_FLAG, PING, ROUTE, ROUTE_SELECT,
};
use super::Kind::*;
use super::{after, arg, flag, keyed, many, opt, Builtin, Form, Opt, BUILTIN, FORM};

/// Words of the language that are neither builtins nor their subcommands or options.
pub const CONTROL: &[&str] = &["else", "in"];

pub(super) const SHOW: &[&str] = &["list", "ls", "lst"];

const NETNS: Builtin = Builtin {
    name: "netns",
    summary: "make, list, delete and enter network namespaces",
    under_ip: true,
    forms: &[
        Form {
            sub: "add",
            operands: &[arg(NewName)],
            usage: &["NAME"],
            ..FORM
        },
        Form {
            sub: "del",
            aliases: &["delete"],
            operands: &[arg(NamedNetns)],
            usage: &["NAME"],
            ..FORM
        },
        Form {
            sub: "list",
            aliases: &["show", "ls"],
            ..FORM
        },
        Form {
            sub: "exec",
            operands: &[arg(Netns), arg(Program), many(File)],
            usage: &["NAME PROGRAM ARGS..."],
            ..FORM
        },
        Form {
            operands: &[arg(Netns)],
            usage: &[
                "NAME { ... }",
                "NAME # the next lines run inside NAME; `netns root` returns",
            ],
            ..FORM
        },
        Form {
            sub: "attach",
            operands: &[arg(NewName), arg(Pid)],
            usage: &["NAME PID"],
            ..FORM
        },
        Form {
            sub: "identify",
            operands: &[arg(Pid)],
            usage: &["[PID]"],
            ..FORM
        },
        Form {
            sub: "pids",
            operands: &[arg(NamedNetns)],
            usage: &["NAME"],
            ..FORM
        },
        Form {
            sub: "exists",
            operands: &[arg(Netns)],
            usage: &["NAME # the condition of `if`"],
            cond: true,
            ..FORM
        },
    ],
    examples: &[
        "netns add netns1",
        "netns netns1 { link set lo up }",
        "netns exec netns1 cat /sys/class/net/lo/operstate",
        "netns netns1        # the next lines run inside netns1; `netns root` returns",
        "spawn netns1 sleep 100; netns attach pinned $!",
    ],
    ..BUILTIN
};

const LINK: Builtin = Builtin {
    name: "link",
    summary: "list, create, change and delete network devices",
    under_ip: true,
    forms: &[
        Form {
            sub: "show",
            aliases: SHOW,
            operands: &[keyed(&["dev"], Device)],
            usage: &["[[dev] DEV]"],
            ..FORM
        },
        Form {
            sub: "add",
            operands: &[keyed(&["name"], NewName)],
            options: LINK_ADD,
            usage: &[
                "[mtu N] [netns NS] [up] NAME type veth peer name PEER [netns NS] [mtu N]",
                "NAME [link DEV] type bridge | dummy | ifb | macvlan [mode M] | vxlan id N",
            ],
            ..FORM
        },
        Form {
            sub: "set",
            operands: &[keyed(&["dev"], Device)],
            options: LINK_SET,
            usage: &[
                "[dev] DEV up | down | netns NS|PID | master BR | nomaster | mtu N | name NEW",
                "[dev] DEV address MAC | broadcast MAC | alias TEXT | txqueuelen N | group N",
                "[dev] DEV arp on|off | multicast on|off | allmulticast on|off | promisc on|off",
                "[dev] DEV type bridge OPTION VALUE... # as `link add NAME type bridge`",
            ],
            ..FORM
        },
        Form {
            sub: "property",
            operands: &[keyed(&["dev"], Device)],
            options: &[flag("add"), flag("del"), opt("altname", NewName)],
            usage: &["add|del [dev] DEV altname NAME..."],
            ..FORM
        },
        Form {
            sub: "del",
            aliases: &["delete"],
            operands: &[keyed(&["dev", "name"], Device)],
            usage: &["[dev] DEV"],
            ..FORM
        },
        Form {
            sub: "exists",
            operands: &[arg(Device)],
            usage: &["DEV # the condition of `if`"],
            cond: true,
            ..FORM
        },
    ],
    examples: &[
        "link add veth0 type veth peer name veth1",
        "link set veth1 netns netns1",
        "link set dev veth0 up master br0",
        "link set veth0 address 02:00:00:00:00:01 alias \"uplink\" txqueuelen 500",
        "link set br0 type bridge stp_state 1",
        "link property add dev veth0 altname uplink0",
    ],
    ..BUILTIN
};

const ADDR: Builtin = Builtin {
    name: "addr",
    aliases: &["address"],
    summary: "IPv4 and IPv6 addresses",
    under_ip: true,
    forms: &[
        Form {
            sub: "add",
            operands: &[keyed(&["local"], Prefix), after(&["dev"], Device)],
            options: ADDR_ADD,
            usage: &["CIDR dev DEV [brd +|ADDR] [label L] [scope S] [valid_lft N] [nodad] ..."],
            ..FORM
        },
        Form {
            sub: "del",
            aliases: &["delete"],
            operands: &[arg(Address), after(&["dev"], Device)],
            usage: &["CIDR dev DEV"],
            ..FORM
        },
        Form {
            sub: "show",
            aliases: SHOW,
            operands: &[keyed(&["dev"], Device)],
            options: ADDR_SELECT,
            usage: &["[up] [dev DEV] [scope S] [label PATTERN] [to PREFIX] [permanent|dynamic] [primary|secondary]"],
            ..FORM
        },
        Form {
            sub: "flush",
            operands: &[keyed(&["dev"], Device)],
            options: ADDR_SELECT,
            usage: &["[dev DEV] [scope S] [label PATTERN] [to PREFIX] [permanent|dynamic] ..."],
            ..FORM
        },
    ],
    examples: &[
        "addr add 10.1.1.2/24 dev veth0",
        "addr add 10.1.1.2/24 brd + dev veth0",
        "addr show dev veth0",
    ],
    ..BUILTIN
};

const ROUTE_BUILTIN: Builtin = Builtin {
    name: "route",
    summary: "routes of every table, IPv4 and IPv6, as `ip route`",
    options: &[flag("-4"), flag("-6")],
    under_ip: true,
    forms: &[
        Form { usage: &["[-4|-6] # as `route show`; `-6` (before or after `route`): IPv6"], ..FORM },
        Form {
            sub: "show",
            aliases: &["list", "ls"],
            options: ROUTE_SELECT,
            usage: &["[dev DEV] [table T] [proto P] [scope S] [type T] [root|match|exact PREFIX]"],
            ..FORM
        },
        Form {
            sub: "add",
            operands: &[arg(Destination)],
            options: ROUTE,
            usage: &["[blackhole|unreachable|prohibit|local|throw] PREFIX|default [via ADDR] [dev DEV] [src ADDR] [metric N] [table T] [proto P] [scope S] [onlink]"],
            ..FORM
        },
        Form {
            sub: "del",
            aliases: &["delete"],
            operands: &[arg(Destination)],
            options: ROUTE,
            usage: &["PREFIX|default [via ADDR] [dev DEV] [src ADDR] [metric N] ..."],
            ..FORM
        },
        Form {
            sub: "replace",
            operands: &[arg(Destination)],
            options: ROUTE,
            usage: &["PREFIX|default ... # made or overwritten"],
            ..FORM
        },
        Form {
            sub: "change",
            aliases: &["chg"],
            operands: &[arg(Destination)],
            options: ROUTE,
            usage: &["PREFIX|default ... # overwritten only"],
            ..FORM
        },
        Form {
            sub: "append",
            operands: &[arg(Destination)],
            options: ROUTE,
            usage: &["PREFIX|default ... # after the routes to PREFIX"],
            ..FORM
        },
        Form {
            sub: "prepend",
            operands: &[arg(Destination)],
            options: ROUTE,
            usage: &["PREFIX|default ... # before the routes to PREFIX"],
            ..FORM
        },
        Form {
            sub: "flush",
            options: ROUTE_SELECT,
            usage: &["[dev DEV] [table T] [proto P] [scope S] [type T] [root|match|exact] PREFIX"],
            ..FORM
        },
        Form {
            sub: "get",
            operands: &[arg(Ip)],
            options: &[opt("from", Ip), opt("iif", Device), opt("oif", Device), opt("to", Ip)],
            usage: &["ADDR [from ADDR] [iif DEV] [oif DEV]"],
            ..FORM
        },
    ],
    examples: &[
        "route add default via 10.1.1.1",
        "ip route replace default via 10.1.1.254",
        "ip route add 10.9.0.0/16 nexthop via 10.1.1.2 dev v0 nexthop via 10.2.1.2 dev v1",
        "ip route get 10.9.0.1",
        "ip -n netns1 route add 10.2.0.0/16 via 10.1.1.2 dev veth1 metric 10",
        "ip -6 route",
    ],
    ..BUILTIN
};

/// The plain form of a builtin that takes `usage` and nothing the table needs to name.
const fn plain(
    operands: &'static [crate::builtins::Operand],
    usage: &'static [&'static str],
) -> Form {
    Form {
        operands,
        usage,
        ..FORM
    }
}

pub const BUILTINS: &[Builtin] = &[
    NETNS,
    LINK,
    ADDR,
    Builtin {
        name: "veth",
        summary: "a veth pair, the peer optionally created inside a namespace",
        forms: &[Form {
            operands: &[arg(NewName), after(&["peer"], NewName)],
            options: &[opt("netns", Netns)],
            usage: &["NAME peer PEER [netns NS]"],
            ..FORM
        }],
        examples: &["veth veth0 peer veth1 netns netns1"],
        ..BUILTIN
    },
    ROUTE_BUILTIN,
    NEIGH,
    TUNTAP,
    Builtin {
        name: "bridge",
        summary: "bridge ports as `bridge link` shows them, and a block that builds a bridge",
        forms: &[
            Form {
                sub: "link",
                operands: &[keyed(&["dev"], Device)],
                options: &[Opt { word: "show", aliases: &["list", "ls"], takes: None }],
                usage: &["[show [dev DEV]]"],
                ..FORM
            },
            Form {
                operands: &[arg(NewName)],
                options: &[opt("port", Device), Opt { word: "addr", aliases: &["address"], takes: Some(Prefix) }],
                usage: &["NAME { port DEV...; addr CIDR }"],
                block_items: true,
                ..FORM
            },
        ],
        examples: &["bridge link", "bridge br0 { port veth0 veth2; addr 1.2.3.101/24 }"],
        ..BUILTIN
    },
    Builtin {
        name: "build",
        summary: "a block whose links come up together when it ends, leaves first",
        forms: &[plain(&[], &["{ ... }"])],
        examples: &["build { for i in 1..100 { veth v$i peer e$i netns h$i; link set v$i up } }"],
        ..BUILTIN
    },
    Builtin {
        name: "peer",
        summary: "the other end of a veth: its name, ifindex and namespace",
        forms: &[plain(&[keyed(&["dev"], Device)], &["DEV"])],
        examples: &["peer veth0", "netns netns1 { peer veth1 }"],
        ..BUILTIN
    },
    Builtin {
        name: "stats",
        summary: "a device's counters, as `ethtool -S` shows them, and the link's packet counters",
        forms: &[plain(&[keyed(&["dev"], Device)], &["DEV"])],
        examples: &["stats veth0"],
        ..BUILTIN
    },
    Builtin {
        name: "graph",
        summary: "the live topology of every namespace: a tree, JSON, DOT, Mermaid, SVG or HTML",
        forms: &[Form {
            options: &[
                flag("--all"),
                opt("--format", Choice(&["text", "json", "dot", "mermaid", "svg", "html"])),
                opt("-o", File),
            ],
            usage: &["[--all] [--format text|json|dot|mermaid|svg|html] [-o FILE]"],
            ..FORM
        }],
        examples: &["graph", "graph --format json", "graph -o lab.svg", "graph --all --format html -o lab.html"],
        ..BUILTIN
    },
    Builtin {
        name: "ip",
        summary: "iproute2's spelling of the same builtins; other ip lines run the real ip, not undone on failure",
        options: NETNS_FLAG,
        forms: &[plain(
            &[],
            &[
                "[-n NS] netns|link|addr|route|neigh|tuntap ... # any prefix: ip a, ip l s, ip r, ip n",
                "OPTIONS link|addr|route|netns ... # -j -p -br -o -s -d -c -4 -6 before a show: printed as iproute2 6.1 prints them",
                "OPTIONS OBJECT ... # ip rule, ip nexthop, ...: runs the real ip program; vsh does not undo it",
            ],
        )],
        examples: &[
            "ip -n netns1 addr add 10.1.1.1/24 dev veth1",
            "ip a s dev veth1",
            "ip rule add from 10.1.1.0/24 table 100",
        ],
        ..BUILTIN
    },
    Builtin {
        name: "exec",
        summary: "run a program, also one named like a builtin",
        options: NETNS_FLAG,
        forms: &[plain(&[arg(Program), many(File)], &["[-n NS] PROGRAM ARGS...", "NS PROGRAM ARGS..."])],
        examples: &["exec netns1 ip -j link"],
        ..BUILTIN
    },
    Builtin {
        name: "root",
        summary: "run a block in the namespace vsh started in",
        forms: &[plain(&[], &["{ ... }"])],
        examples: &["root { link show veth0 }"],
        ..BUILTIN
    },
    Builtin {
        name: "ping",
        summary: "ICMP echo with iputils' flags and summary; reachability blocks",
        forms: &[Form {
            operands: &[arg(Ip)],
            options: PING,
            usage: &[
                "[-c N] [-i SECS] [-W SECS] [-w SECS] [-s SIZE] [-I DEV|ADDR] [-q] DEST",
                "[-W SECS] [-v] { SRC -> DEST; SRC !-> DEST; for ... { ... } }",
            ],
            ..FORM
        }],
        examples: &[
            "ping -c 3 10.1.1.1",
            "! ping -c 1 -W 1 10.1.1.9",
            "ping { netns1 -> 10.1.1.2; root -> 10.1.1.1; netns1 !-> 10.9.9.9 }",
        ],
        ..BUILTIN
    },
    Builtin {
        name: "capture",
        summary: "print (and save as pcap) the packets on a device while a block runs",
        forms: &[Form {
            operands: &[arg(Device)],
            options: &[opt("-c", Number), opt("-w", File)],
            usage: &["[-c N] [-w FILE.pcap] DEV { ... }"],
            ..FORM
        }],
        examples: &["capture -c 4 -w veth0.pcap veth0 { ping -c 1 10.1.1.1 }"],
        ..BUILTIN
    },
    Builtin {
        name: "trace",
        summary: "each packet's path across every device while a block runs (and one pcapng)",
        forms: &[Form {
            operands: &[many(Device)],
            options: &[opt("-w", File)],
            usage: &["[-w FILE.pcapng] [DEV | NS/DEV ...] { ... }"],
            ..FORM
        }],
        examples: &[
            "trace { ping -c 1 10.1.1.1 }",
            "trace -w lab.pcapng veth0 veth1 br0 { ping -c 1 -I br0 1.2.3.102 }",
        ],
        ..BUILTIN
    },
    Builtin {
        name: "spawn",
        summary: "start a program in the background, in a namespace; $! is its pid",
        options: NETNS_FLAG,
        forms: &[plain(&[arg(Program), many(File)], &["[-n NS] PROGRAM ARGS...", "NS PROGRAM ARGS..."])],
        examples: &["spawn netns1 sleep 100", "netns attach pinned $!"],
        ..BUILTIN
    },
    Builtin {
        name: "kill",
        summary: "signal a process (default: SIGTERM to $!)",
        forms: &[plain(&[many(Pid)], &["[-SIGNAL] [PID...]"])],
        examples: &["kill", "kill -KILL $!"],
        ..BUILTIN
    },
    Builtin {
        name: "wait",
        summary: "wait for spawned programs (default: all of them)",
        forms: &[plain(&[many(Pid)], &["[PID...]"])],
        examples: &["wait $!"],
        ..BUILTIN
    },
    Builtin {
        name: "let",
        summary: "set a variable",
        forms: &[plain(&[arg(NewName)], &["NAME = WORD"])],
        examples: &["let n = 3"],
        ..BUILTIN
    },
    Builtin {
        name: "for",
        summary: "repeat a block over a range or a list of words",
        forms: &[plain(&[arg(NewName)], &["VAR in A..B { ... }", "VAR in WORD... { ... }"])],
        examples: &["for i in 1..$n { netns add h$i }", "for c in red green { netns add $c }"],
        ..BUILTIN
    },
    Builtin {
        name: "if",
        summary: "run a block when a condition holds",
        forms: &[plain(
            &[],
            &["CONDITION { ... } [else { ... }] # CONDITION: `netns exists NAME`, `link exists DEV`, `! CONDITION` or a statement"],
        )],
        examples: &["if ! netns exists red { netns add red }"],
        ..BUILTIN
    },
    Builtin {
        name: "deny",
        summary: "forbid moving devices into the host's namespace from here on",
        forms: &[plain(&[arg(Choice(&["host-moves"]))], &["host-moves"])],
        examples: &["deny host-moves"],
        ..BUILTIN
    },
    Builtin {
        name: "help",
        summary: "list the builtins, or show one with examples",
        forms: &[plain(&[arg(BuiltinName)], &["[NAME]"])],
        examples: &["help link"],
        ..BUILTIN
    },
];
