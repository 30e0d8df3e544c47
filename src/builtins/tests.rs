//! The table against itself and against grammar/vsh.pest: every word the grammar takes is in
//! the table, every word of the table is in the grammar, and `help` shows only table words.

use super::usage::{split, tokens};
use super::*;
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn subcommands_come_from_the_table() {
    assert_eq!(
        subcommands("netns"),
        ["add", "attach", "del", "exec", "identify", "list", "pids"]
    );
    assert_eq!(
        subcommands("link"),
        ["add", "del", "property", "set", "show"]
    );
    assert_eq!(nearest("lnik"), Some("link"));
    assert_eq!(nearest("tcpdump"), None);
    assert_eq!(nearest_subcommand("netns", "ad"), Some("add"));
    assert_eq!(nearest_subcommand("link", "delete"), None);
    assert_eq!(under_ip("a").map(|b| b.name), Some("addr"));
    assert_eq!(under_ip("l").map(|b| b.name), Some("link"));
    assert_eq!(under_ip("address").map(|b| b.name), Some("addr"));
    assert!(under_ip("veth").is_none());
}

#[test]
fn aliases_resolve() {
    assert_eq!(find("address").map(|b| b.name), Some("addr"));
    assert!(find("adress").is_none());
    assert_eq!(
        find("link").and_then(|b| b.form("ls")).map(|f| f.sub),
        Some("show")
    );
    assert_eq!(
        find("route").and_then(|b| b.form("delete")).map(|f| f.sub),
        Some("del")
    );
}

#[test]
fn rules_name_the_words_of_the_table() {
    assert_eq!(rule_word("netns_add"), Some("add"));
    assert_eq!(rule_word("link_del"), Some("del"));
    assert_eq!(rule_word("route_via"), Some("via"));
    assert_eq!(rule_word("route_metric"), Some("metric"));
    assert_eq!(rule_word("ip_route"), Some("route"));
    assert_eq!(rule_word("link_cmd"), Some("link"));
    assert_eq!(rule_word("bridge_port"), Some("port"));
    assert_eq!(rule_word("route_dst"), None);
    assert_eq!(canonical("delete"), "del");
    assert_eq!(canonical("show"), "show");
    assert_eq!(canonical("flush"), "flush");
    assert_eq!(rule_word("for_stmt"), None);
    assert_eq!(
        options_of("ping", "", true),
        ["-c", "-i", "-W", "-w", "-s", "-I"]
    );
    assert_eq!(options_of("link", "set", false), ["up", "down", "nomaster"]);
}

/// Every word in a usage line is the form's, the builtin's or the language's: help cannot
/// show a subcommand or option the table (and so completion) does not know.
#[test]
fn usage_lines_use_only_the_words_of_their_entry() {
    let names: BTreeSet<&str> = BUILTINS.iter().map(|b| b.name).collect();
    for b in BUILTINS {
        for f in b.forms {
            let mut own: BTreeSet<&str> = CONTROL.iter().copied().collect();
            own.extend(&names);
            own.extend(f.aliases);
            own.extend(b.options.iter().chain(f.options).flat_map(|o| {
                let values = match o.takes {
                    Some(Kind::Choice(values)) => values,
                    _ => &[],
                };
                std::iter::once(o.word)
                    .chain(o.aliases.iter().copied())
                    .chain(values.iter().copied())
            }));
            for o in f.operands {
                own.extend(o.keys);
                own.extend(o.kind.keywords());
                if let Kind::Choice(values) = o.kind {
                    own.extend(values);
                }
            }
            for line in f.usage {
                for t in tokens(split(line).0) {
                    // `N`, `DEV`, `-SIGNAL`; not a flag such as `-W`.
                    let bare = t.trim_start_matches('-');
                    let placeholder = bare.starts_with(|c: char| c.is_ascii_uppercase())
                        && (bare.len() == t.len() || bare.len() > 1);
                    let symbol = !t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
                        || t == "->"
                        || t == "!->";
                    assert!(
                        placeholder || symbol || own.contains(t),
                        "`help {}` shows `{t}` in `{line}`: not a word of its entry in src/builtins/table.rs",
                        b.name
                    );
                }
            }
        }
    }
}

#[test]
fn help_lists_what_usage_lines_leave_out() {
    let route = help_lines(find("route").unwrap());
    let del = route
        .iter()
        .position(|l| l.starts_with("route del"))
        .unwrap();
    assert_eq!(
        route[del + 1..del + 3],
        [
            "    also: unicast, blackhole, unreachable, prohibit, local, throw, table WORD, proto WORD,",
            "          scope global|link|host, onlink, mtu N, nexthop WORD, weight N, oif DEV"
        ]
    );
    assert!(help_lines(find("link").unwrap())
        .iter()
        .all(|l| l.len() <= 90));
    let addr = help_lines(find("addr").unwrap());
    assert!(
        addr.iter()
            .any(|l| l.contains("also: preferred_lft N, noprefixroute")),
        "{addr:#?}"
    );
    let veth = help_lines(find("veth").unwrap());
    assert_eq!(veth, ["veth NAME peer PEER [netns NS]"]);
}

/// grammar/vsh.pest's rules: name to body, comments left out.
fn grammar_rules() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/vsh.pest"))
        .expect("grammar/vsh.pest");
    let mut rules = BTreeMap::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("");
        let starts_rule = line.starts_with(|c: char| c.is_ascii_alphabetic())
            && line.split_once('=').is_some_and(|(name, _)| {
                name.trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
        if starts_rule {
            let (name, body) = line.split_once('=').unwrap();
            current = name.trim().to_string();
            rules.insert(current.clone(), body.to_string());
        } else if let Some(body) = rules.get_mut(&current) {
            body.push('\n');
            body.push_str(line);
        }
    }
    rules
}

/// The quoted keywords (`"add"`) and flags (`"-c"`) of a rule's body.
fn quoted(body: &str) -> BTreeSet<String> {
    body.split('"')
        .skip(1)
        .step_by(2)
        .filter(|w| {
            let word = w.trim_start_matches('-');
            word.starts_with(|c: char| c.is_ascii_alphanumeric())
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                && (w.starts_with('-') || w.starts_with(|c: char| c.is_ascii_lowercase()))
        })
        .map(String::from)
        .collect()
}

/// Rules whose words are not vsh's: iproute2's objects and `ip` options (any prefix), the
/// selectors and options that send a line to the real `ip`, the letters of `set -o`.
const NOT_THE_TABLES: &[&str] = &[
    "ip_object_name",
    "ip_arg_key",
    "ip_netns_key",
    "addr_show_key",
    "addr_other_key",
    "route_family",
    "set_o",
    "tuntap_other",
    "tuntap_tap",
    // iproute2's output options (`-json`, `-brief`, ...) and `netns` by their prefixes.
    "ip_out_opt",
    "bridge_out_opt",
    "ip_netns_obj",
    // iproute2's `-family` option by its prefixes, and the families and route types: values.
    "ip_family_key",
    "ip_family_name",
    "route_family",
    "route_type_name",
    // Kinds: values of `link add ... type`, a choice of the table's.
    "kind_vxlan",
    "kind_macvlan",
    "kind_vlan",
];

/// Flags of the table the grammar spells in pieces (`"-" ~ "-"? ~ ("netns" | ... | "n")`),
/// with the rule that does.
const IN_PIECES: &[(&str, &str)] = &[("-n", "ip_netns_key")];

fn same(what: &str, grammar: &BTreeSet<String>, table: &BTreeSet<&str>) {
    let table: BTreeSet<String> = table.iter().map(|w| w.to_string()).collect();
    let only_grammar: Vec<_> = grammar.difference(&table).collect();
    let only_table: Vec<_> = table.difference(grammar).collect();
    assert!(
        only_grammar.is_empty() && only_table.is_empty(),
        "{what}: only in grammar/vsh.pest: {only_grammar:?}; only in src/builtins/table.rs: {only_table:?}"
    );
}

#[test]
fn the_grammar_and_the_table_have_the_same_words() {
    let rules = grammar_rules();
    let rule = |name: &str| {
        rules
            .get(name)
            .unwrap_or_else(|| panic!("no rule {name} in grammar/vsh.pest"))
    };
    let mut grammar = BTreeSet::new();
    for (name, body) in &rules {
        if NOT_THE_TABLES.contains(&name.as_str()) {
            continue;
        }
        let words = quoted(body);
        if name.starts_with("kp_") {
            // iproute2's prefixes of a keyword: the whole words only.
            grammar.extend(
                words
                    .iter()
                    .filter(|w| !words.iter().any(|o| o != *w && o.starts_with(w.as_str())))
                    .cloned(),
            );
        } else {
            grammar.extend(words);
        }
    }
    for (flag, pieces) in IN_PIECES {
        assert!(
            rule(pieces).contains("\"n\""),
            "{pieces} no longer makes {flag}"
        );
        grammar.insert(flag.to_string());
    }
    same("words", &grammar, &words());

    // What starts a statement: `reserved`, and the builtins `vsh_form` recognises.
    let names: BTreeSet<&str> = BUILTINS.iter().map(|b| b.name).collect();
    let forms = quoted(rule("vsh_form"));
    let heads: BTreeSet<String> = quoted(rule("reserved"))
        .into_iter()
        .chain(forms.into_iter().filter(|w| names.contains(w.as_str())))
        .collect();
    let alone = BUILTINS.iter().filter(|b| !b.ip_only);
    let mut table_heads: BTreeSet<&str> = alone
        .flat_map(|b| std::iter::once(b.name).chain(b.aliases.iter().copied()))
        .collect();
    table_heads.extend(CONTROL);
    same("statement heads", &heads, &table_heads);

    // `route` and its subcommands under every name start a vsh form, not net-tools' route.
    let route = find("route").unwrap();
    let mut table_route: BTreeSet<&str> = route
        .forms
        .iter()
        .filter(|f| !f.sub.is_empty())
        .flat_map(|f| std::iter::once(f.sub).chain(f.aliases.iter().copied()))
        .collect();
    table_route.insert("route");
    table_route.extend(route.options.iter().map(|o| o.word));
    let grammar_route: BTreeSet<String> = rule("vsh_form")
        .split("\n  |")
        .filter(|alt| alt.contains("\"route\""))
        .flat_map(quoted)
        .collect();
    same("`route` forms", &grammar_route, &table_route);

    // The builtins `ip` performs itself: `ip_cmd` names each (`netns_cmd`, `ip_link`).
    let ip_cmd = rule("ip_cmd");
    let grammar_ip: BTreeSet<String> = ip_cmd
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|r| !["ip_netns", "ip_end"].contains(r))
        .filter_map(|r| r.strip_prefix("ip_").or_else(|| r.strip_suffix("_cmd")))
        .map(String::from)
        .collect();
    let table_ip: BTreeSet<&str> = BUILTINS
        .iter()
        .filter(|b| b.under_ip)
        .map(|b| b.name)
        .collect();
    same("`ip` objects", &grammar_ip, &table_ip);
}
