//! The one table of builtins: fed to `help`, REPL completion and highlighting, and
//! "did you mean" hints.

/// A builtin verb of the language.
pub struct Builtin {
    pub name: &'static str,
    pub summary: &'static str,
    /// Its forms; the word after the name in each `|`-separated form is a subcommand.
    pub usage: &'static [&'static str],
    pub examples: &'static [&'static str],
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
            "netns NAME",
            "netns attach NAME PID",
            "netns identify [PID]",
            "netns pids NAME",
        ],
        examples: &[
            "netns add netns1",
            "netns netns1 { link set lo up }",
            "netns exec netns1 cat /sys/class/net/lo/operstate",
            "netns netns1        # the next lines run inside netns1; `netns root` returns",
            "spawn netns1 sleep 100; netns attach pinned $!",
        ],
    },
    Builtin {
        name: "link",
        summary: "list, create, change and delete network devices",
        usage: &[
            "link list | link show [dev] DEV",
            "link add [mtu N] [netns NS] [up] NAME type veth peer name PEER [netns NS] [mtu N]",
            "link add NAME [link DEV] type bridge | dummy | ifb | macvlan [mode M] | vxlan id N",
            "link set [dev] DEV up | down | netns NS|PID | master BR | nomaster | mtu N | name NEW",
            "link del [dev] DEV",
        ],
        examples: &[
            "link add veth0 type veth peer name veth1",
            "link set veth1 netns netns1",
            "link set dev veth0 up master br0",
        ],
    },
    Builtin {
        name: "addr",
        summary: "IPv4 and IPv6 addresses",
        usage: &[
            "addr add CIDR dev DEV [brd +|ADDR] [label L] [scope S] [valid_lft N] [nodad] ...",
            "addr del CIDR dev DEV",
            "addr show [up] [dev DEV]",
            "addr flush dev DEV",
        ],
        examples: &[
            "addr add 10.1.1.2/24 dev veth0",
            "addr add 10.1.1.2/24 brd + dev veth0",
            "addr show dev veth0",
        ],
    },
    Builtin {
        name: "veth",
        summary: "a veth pair, the peer optionally created inside a namespace",
        usage: &["veth NAME peer PEER [netns NS]"],
        examples: &["veth veth0 peer veth1 netns netns1"],
    },
    Builtin {
        name: "route",
        summary: "routes of the main table, IPv4 and IPv6, as `ip route`",
        usage: &[
            "route | route show [dev DEV] | route -6 show",
            "route add [blackhole|unreachable|prohibit|local|throw] PREFIX|default [via ADDR] [dev DEV] [src ADDR] [metric N] [table T] [proto P] [scope S] [onlink]",
            "route del PREFIX|default [via ADDR] [dev DEV] [src ADDR] [metric N]",
        ],
        examples: &[
            "route add default via 10.1.1.1",
            "ip -n netns1 route add 10.2.0.0/16 via 10.1.1.2 dev veth1 metric 10",
            "ip -6 route",
        ],
    },
    Builtin {
        name: "bridge",
        summary: "bridge ports as `bridge link` shows them, and a block that builds a bridge",
        usage: &[
            "bridge link [show [dev DEV]]",
            "bridge NAME { port DEV...; addr CIDR }",
        ],
        examples: &[
            "bridge link",
            "bridge br0 { port veth0 veth2; addr 1.2.3.101/24 }",
        ],
    },
    Builtin {
        name: "build",
        summary: "a block whose links come up together when it ends, leaves first",
        usage: &["build { ... }"],
        examples: &["build { for i in 1..100 { veth v$i peer e$i netns h$i; link set v$i up } }"],
    },
    Builtin {
        name: "peer",
        summary: "the other end of a veth: its name, ifindex and namespace",
        usage: &["peer DEV"],
        examples: &["peer veth0", "netns netns1 { peer veth1 }"],
    },
    Builtin {
        name: "stats",
        summary: "a device's counters, as `ethtool -S` shows them, and the link's packet counters",
        usage: &["stats DEV"],
        examples: &["stats veth0"],
    },
    Builtin {
        name: "graph",
        summary: "the live topology of every namespace: a tree, JSON, DOT, Mermaid, SVG or HTML",
        usage: &["graph [--all] [--format text|json|dot|mermaid|svg|html] [-o FILE]"],
        examples: &[
            "graph",
            "graph --format json",
            "graph -o lab.svg",
            "graph --all --format html -o lab.html",
        ],
    },
    Builtin {
        name: "ip",
        summary: "iproute2's spelling of the same builtins; other ip lines run the real ip, not undone on failure",
        usage: &[
            "ip [-n NS] netns|link|addr|route ...   (any prefix: ip a, ip l s, ip r)",
            "ip [-j [-p]] [-br] [-o] [-s] [-d] [-c] [-4|-6] link|addr|route|netns [show] ...   (printed as iproute2 6.1 prints them)",
            "ip OPTIONS OBJECT ...   (ip rule, ip nexthop, ...): runs the real ip program; vsh does not undo it",
        ],
        examples: &[
            "ip -n netns1 addr add 10.1.1.1/24 dev veth1",
            "ip a s dev veth1",
            "ip -br -c addr",
            "ip rule add from 10.1.1.0/24 table 100",
        ],
    },
    Builtin {
        name: "exec",
        summary: "run a program, also one named like a builtin",
        usage: &["exec [-n NS] PROGRAM ARGS...", "exec NS PROGRAM ARGS..."],
        examples: &["exec netns1 ip -j link"],
    },
    Builtin {
        name: "root",
        summary: "run a block in the namespace vsh started in",
        usage: &["root { ... }"],
        examples: &["root { link show veth0 }"],
    },
    Builtin {
        name: "ping",
        summary: "ICMP echo with iputils' flags and summary; reachability blocks",
        usage: &[
            "ping [-c N] [-i SECS] [-W SECS] [-w SECS] [-s SIZE] [-I DEV|ADDR] [-q] DEST",
            "ping [-W SECS] [-v] { SRC -> DEST; SRC !-> DEST; for ... { ... } }",
        ],
        examples: &[
            "ping -c 3 10.1.1.1",
            "! ping -c 1 -W 1 10.1.1.9",
            "ping { netns1 -> 10.1.1.2; root -> 10.1.1.1; netns1 !-> 10.9.9.9 }",
        ],
    },
    Builtin {
        name: "capture",
        summary: "print (and save as pcap) the packets on a device while a block runs",
        usage: &["capture [-c N] [-w FILE.pcap] DEV { ... }"],
        examples: &["capture -c 4 -w veth0.pcap veth0 { ping -c 1 10.1.1.1 }"],
    },
    Builtin {
        name: "trace",
        summary: "each packet's path across every device while a block runs (and one pcapng)",
        usage: &["trace [-w FILE.pcapng] [DEV | NS/DEV ...] { ... }"],
        examples: &[
            "trace { ping -c 1 10.1.1.1 }",
            "trace -w lab.pcapng veth0 veth1 br0 { ping -c 1 -I br0 1.2.3.102 }",
        ],
    },
    Builtin {
        name: "spawn",
        summary: "start a program in the background, in a namespace; $! is its pid",
        usage: &["spawn [-n NS] PROGRAM ARGS...", "spawn NS PROGRAM ARGS..."],
        examples: &["spawn netns1 sleep 100", "netns attach pinned $!"],
    },
    Builtin {
        name: "kill",
        summary: "signal a process (default: SIGTERM to $!)",
        usage: &["kill [-SIGNAL] [PID...]"],
        examples: &["kill", "kill -KILL $!"],
    },
    Builtin {
        name: "wait",
        summary: "wait for spawned programs (default: all of them)",
        usage: &["wait [PID...]"],
        examples: &["wait $!"],
    },
    Builtin {
        name: "let",
        summary: "set a variable",
        usage: &["let NAME = WORD"],
        examples: &["let n = 3"],
    },
    Builtin {
        name: "for",
        summary: "repeat a block over a range or a list of words",
        usage: &["for VAR in A..B { ... }", "for VAR in WORD... { ... }"],
        examples: &[
            "for i in 1..$n { netns add h$i }",
            "for c in red green { netns add $c }",
        ],
    },
    Builtin {
        name: "if",
        summary: "run a block when a condition holds",
        usage: &[
            "if netns exists NAME { ... } else { ... }",
            "if link exists DEV { ... }",
        ],
        examples: &["if ! netns exists red { netns add red }"],
    },
    Builtin {
        name: "deny",
        summary: "forbid moving devices into the host's namespace from here on",
        usage: &["deny host-moves"],
        examples: &["deny host-moves"],
    },
    Builtin {
        name: "help",
        summary: "list the builtins, or show one with examples",
        usage: &["help [NAME]"],
        examples: &["help link"],
    },
];

/// Other names of builtins, as iproute2 spells them: (alias, builtin).
pub const ALIASES: &[(&str, &str)] = &[("address", "addr")];

/// Other names of subcommands, any builtin's: (alias, subcommand).
pub const SUBCOMMAND_ALIASES: &[(&str, &str)] =
    &[("delete", "del"), ("list", "show"), ("ls", "show")];

/// Words of the language that are neither builtins nor their subcommands.
pub const CONTROL: &[&str] = &["else", "in"];

/// The keywords inside statements, by where they stand: completion offers each list there,
/// highlighting marks every word of every list.
pub mod words {
    /// After `ip`.
    pub const IP: &[&str] = &["-n", "addr", "link", "netns", "route"];
    /// After `if`.
    pub const IF: &[&str] = &["link", "netns"];
    /// After `if link` or `if netns`.
    pub const IF_OBJECT: &[&str] = &["exists"];
    /// After `link set DEV`, as often as wanted.
    pub const LINK_SET: &[&str] = &["down", "master", "mtu", "name", "netns", "nomaster", "up"];
    /// In `link add [name] NAME type veth peer [name] PEER [netns NS]`.
    pub const LINK_ADD: &[&str] = &["name", "type", "veth", "peer", "netns"];
    /// After `addr add|del CIDR`, and before a device elsewhere.
    pub const DEV: &[&str] = &["dev"];
    /// After `veth NAME`.
    pub const VETH: &[&str] = &["peer"];
    /// In `route add|del`: the destination `default`, then options.
    pub const ROUTE: &[&str] = &[
        "default", "via", "dev", "src", "metric", "priority", "table", "proto", "protocol",
        "scope", "local",
    ];
    /// Inside `bridge NAME { }`.
    pub const BRIDGE_BLOCK: &[&str] = &["port", "addr", "address"];

    /// Every list above.
    pub const ALL: &[&[&str]] = &[
        IP,
        IF,
        IF_OBJECT,
        LINK_SET,
        LINK_ADD,
        DEV,
        VETH,
        ROUTE,
        BRIDGE_BLOCK,
    ];
}

/// The builtin called `name`, or that `name` is another name of (`address`: `addr`).
pub fn find(name: &str) -> Option<&'static Builtin> {
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, builtin)| builtin);
    BUILTINS.iter().find(|b| b.name == name)
}

/// Every keyword of the language: builtins, their subcommands, other names of both, control
/// words and the words inside statements (not flags such as `-n`). The grammar's keyword
/// rules are the same set (a test reads grammar/vsh.pest to hold them to it).
pub fn keywords() -> std::collections::BTreeSet<&'static str> {
    let mut all: std::collections::BTreeSet<&'static str> =
        BUILTINS.iter().map(|b| b.name).collect();
    all.extend(BUILTINS.iter().flat_map(|b| subcommands(b.name)));
    all.extend(ALIASES.iter().map(|(alias, _)| *alias));
    all.extend(SUBCOMMAND_ALIASES.iter().map(|(alias, _)| *alias));
    all.extend(CONTROL);
    all.extend(words::ALL.iter().flat_map(|list| list.iter()));
    all.retain(|w| !w.starts_with('-'));
    all
}

/// The subcommands of a builtin (`add`, `del`, ... for `netns`), read from its usage lines.
pub fn subcommands(name: &str) -> Vec<&'static str> {
    let mut subs: Vec<&'static str> = find(name)
        .into_iter()
        .flat_map(|b| b.usage.iter())
        .flat_map(|u| u.split(" | "))
        .filter_map(|form| {
            let mut words = form.split_whitespace();
            // Alternatives that do not repeat the name are values, not subcommands.
            if words.next()? != name {
                return None;
            }
            let second = words.next()?;
            second
                .chars()
                .all(|c| c.is_ascii_lowercase())
                .then_some(second)
        })
        .collect();
    subs.sort_unstable();
    subs.dedup();
    subs
}

/// The builtin closest in spelling to `word`, if one is close enough to be a likely typo.
pub fn nearest(word: &str) -> Option<&'static str> {
    BUILTINS
        .iter()
        .map(|b| (distance(word, b.name), b.name))
        .filter(|(d, name)| *d <= 2 && *d < name.len())
        .min()
        .map(|(_, name)| name)
}

/// The subcommand of `builtin` closest in spelling to `word` (`ad` for `netns`: `add`), if
/// `word` is not one itself and one is close enough to be a likely typo.
pub fn nearest_subcommand(builtin: &str, word: &str) -> Option<&'static str> {
    let subs = subcommands(builtin);
    if subs.contains(&word) {
        return None;
    }
    subs.into_iter()
        .map(|s| (distance(word, s), s))
        .filter(|(d, s)| *d <= 2 && *d < s.len() && *d < word.len().max(2))
        .min()
        .map(|(_, s)| s)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn subcommands_come_from_usage() {
        assert_eq!(
            subcommands("netns"),
            ["add", "attach", "del", "exec", "identify", "list", "pids"]
        );
        assert_eq!(subcommands("link"), ["add", "del", "list", "set", "show"]);
        assert_eq!(nearest("lnik"), Some("link"));
        assert_eq!(nearest("tcpdump"), None);
    }

    /// The body of the grammar rule `name`, up to its closing brace alone on a line.
    fn rule<'g>(grammar: &'g str, name: &str) -> &'g str {
        let start = grammar
            .find(&format!("\n{name} "))
            .unwrap_or_else(|| panic!("no rule {name} in grammar/vsh.pest"));
        let body = &grammar[start..];
        &body[..body
            .find("\n}")
            .expect("a rule ends with `}` alone on a line")]
    }

    /// The quoted words (not flags, not symbols) of `text`.
    fn quoted(text: &str) -> BTreeSet<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            .map(String::from)
            .collect()
    }

    fn same(what: &str, grammar: &BTreeSet<String>, table: &BTreeSet<&str>) {
        let table: BTreeSet<String> = table.iter().map(|w| w.to_string()).collect();
        let only_grammar: Vec<_> = grammar.difference(&table).collect();
        let only_table: Vec<_> = table.difference(grammar).collect();
        assert!(
            only_grammar.is_empty() && only_table.is_empty(),
            "{what}: only in grammar/vsh.pest: {only_grammar:?}; only in src/builtins.rs: {only_table:?}"
        );
    }

    #[test]
    fn the_grammar_and_the_table_have_the_same_keywords() {
        let grammar =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/vsh.pest"))
                .expect("grammar/vsh.pest");
        let reserved = quoted(rule(&grammar, "reserved"));
        let forms = quoted(rule(&grammar, "vsh_form"));
        let names: BTreeSet<&str> = BUILTINS.iter().map(|b| b.name).collect();

        // What starts a statement: `reserved`, and the builtins `vsh_form` recognises.
        let heads: BTreeSet<String> = reserved
            .iter()
            .chain(forms.iter().filter(|w| names.contains(w.as_str())))
            .cloned()
            .collect();
        let mut table_heads = names.clone();
        table_heads.extend(ALIASES.iter().map(|(alias, _)| *alias));
        table_heads.extend(CONTROL);
        same("statement heads", &heads, &table_heads);

        // `route` and its subcommands under every name.
        let route_subs = subcommands("route");
        let mut table_route: BTreeSet<&str> = route_subs.iter().copied().collect();
        table_route.extend(
            SUBCOMMAND_ALIASES
                .iter()
                .filter(|(_, sub)| route_subs.contains(sub))
                .map(|(alias, _)| *alias),
        );
        table_route.insert("route");
        let grammar_route: BTreeSet<String> = rule(&grammar, "vsh_form")
            .split("\n  |")
            .filter(|alt| alt.trim_start().starts_with("\"route\""))
            .flat_map(quoted)
            .collect();
        same("`route` forms", &grammar_route, &table_route);

        // Every keyword, anywhere.
        let mut all: BTreeSet<String> = grammar
            .lines()
            .filter(|l| l.starts_with("k_"))
            .flat_map(quoted)
            .collect();
        // A `kp_` rule takes iproute2's prefixes of its keyword, the whole word first.
        all.extend(
            grammar
                .lines()
                .filter(|l| l.starts_with("kp_"))
                .filter_map(|l| quoted(l).into_iter().max_by_key(|w| w.len())),
        );
        all.extend(reserved);
        all.extend(forms);
        same("keywords", &all, &keywords());
    }

    #[test]
    fn aliases_resolve() {
        assert_eq!(find("address").map(|b| b.name), Some("addr"));
        assert!(find("adress").is_none());
    }
}
