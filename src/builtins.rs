//! The one table of builtins: fed to help, completion and "did you mean" hints.

/// A builtin verb of the language.
pub struct Builtin {
    pub name: &'static str,
    pub summary: &'static str,
    pub usage: &'static [&'static str],
}

pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "netns",
        summary: "make, list, delete and enter network namespaces",
        usage: &[
            "netns add NAME",
            "netns del NAME",
            "netns list",
            "netns exec NAME PROGRAM ARGS...",
            "netns NAME { ... }",
            "netns attach NAME PID",
            "netns identify [PID]",
            "netns pids NAME",
        ],
    },
    Builtin {
        name: "link",
        summary: "list, create, change and delete network devices",
        usage: &[
            "link list | link show [dev] DEV",
            "link add NAME type veth peer name PEER [netns NS]",
            "link add NAME type bridge | dummy | ifb | macvlan link DEV | vxlan id N",
            "link set [dev] DEV up | down | netns NS|PID | master BR | nomaster | mtu N | name NEW",
            "link del [dev] DEV",
        ],
    },
    Builtin {
        name: "addr",
        summary: "IPv4 and IPv6 addresses",
        usage: &[
            "addr add CIDR dev DEV",
            "addr del CIDR dev DEV",
            "addr show [dev DEV]",
        ],
    },
    Builtin {
        name: "veth",
        summary: "a veth pair, the peer optionally created inside a namespace",
        usage: &["veth NAME peer PEER [netns NS]"],
    },
    Builtin {
        name: "ip",
        summary: "iproute2's spelling of the same builtins",
        usage: &["ip [-n NS] netns|link|addr ..."],
    },
    Builtin {
        name: "exec",
        summary: "run a program, also one named like a builtin",
        usage: &["exec [-n NS] PROGRAM ARGS...", "exec NS PROGRAM ARGS..."],
    },
    Builtin {
        name: "root",
        summary: "run a block in the namespace vsh started in",
        usage: &["root { ... }"],
    },
    Builtin {
        name: "ping",
        summary: "ICMP echo with iputils' flags and summary; reachability blocks",
        usage: &[
            "ping [-c N] [-i SECS] [-W SECS] [-w SECS] [-s SIZE] [-I DEV] [-q] DEST",
            "ping [-W SECS] { SRC -> DEST; SRC !-> DEST }",
        ],
    },
    Builtin {
        name: "capture",
        summary: "print (and save as pcap) the packets on a device while a block runs",
        usage: &["capture [-c N] [-w FILE.pcap] DEV { ... }"],
    },
    Builtin {
        name: "spawn",
        summary: "start a program in the background, in a namespace; $! is its pid",
        usage: &["spawn [-n NS] PROGRAM ARGS...", "spawn NS PROGRAM ARGS..."],
    },
    Builtin {
        name: "kill",
        summary: "signal a process (default: SIGTERM to $!)",
        usage: &["kill [-SIGNAL] [PID...]"],
    },
    Builtin {
        name: "wait",
        summary: "wait for spawned programs (default: all of them)",
        usage: &["wait [PID...]"],
    },
    Builtin {
        name: "let",
        summary: "set a variable",
        usage: &["let NAME = WORD"],
    },
    Builtin {
        name: "for",
        summary: "repeat a block over a range or a list of words",
        usage: &["for i in 1..$n { ... }", "for name in red green { ... }"],
    },
    Builtin {
        name: "if",
        summary: "run a block when a condition holds",
        usage: &[
            "if netns exists NAME { ... } else { ... }",
            "if link exists DEV { ... }",
        ],
    },
];

/// The builtin closest in spelling to `word`, if one is close enough to be a likely typo.
pub fn nearest(word: &str) -> Option<&'static str> {
    BUILTINS
        .iter()
        .map(|b| (distance(word, b.name), b.name))
        .filter(|(d, name)| *d <= 2 && *d < name.len())
        .min()
        .map(|(_, name)| name)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
