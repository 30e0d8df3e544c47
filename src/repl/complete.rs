//! What Tab offers where the cursor is, from the table of builtins (src/builtins/): the
//! subcommands, options and operands of the statement typed so far, and live names by the
//! operand's kind (namespaces, devices, bridges, addresses) from a `Names` source.

use crate::builtins::{self, Builtin, Form, Kind, Opt, BUILTINS};

/// Where live names come from: the evaluator in the REPL, a fixed list in tests.
pub trait Names {
    /// The namespaces in /run/netns.
    fn netns(&mut self) -> Vec<String>;
    /// The devices of namespace `ns` (`None`: the current one); only bridges with `bridges`.
    fn links(&mut self, ns: Option<&str>, bridges: bool) -> Vec<String>;
    /// The addresses (`10.0.0.1/24`) of namespace `ns`'s devices.
    fn addresses(&mut self, ns: Option<&str>) -> Vec<String>;
    /// The variables set, without `$`.
    fn variables(&mut self) -> Vec<String>;
}

/// The completions of the word that ends `before` (the line up to the cursor).
#[derive(Debug, PartialEq)]
pub struct Completion {
    /// The byte where the word starts.
    pub start: usize,
    /// The candidates that start with the word, sorted.
    pub names: Vec<String>,
    /// Whether file paths fit here too (a program and its arguments).
    pub files: bool,
}

pub fn complete(before: &str, names: &mut dyn Names) -> Completion {
    let is_break = |c: char| c.is_whitespace() || ";{}".contains(c);
    let start = before.rfind(is_break).map_or(0, |i| i + 1);
    let word = &before[start..];
    // A pipe, `&&`, `||` and `$(` start a statement too.
    let stmt_start = before[..start]
        .rfind(|c: char| ";{}\n|&(".contains(c))
        .map_or(0, |i| i + 1);
    let prev: Vec<&str> = before[stmt_start..start].split_whitespace().collect();
    let want = if word.starts_with('$') {
        Want {
            live: names
                .variables()
                .into_iter()
                .map(|v| format!("${v}"))
                .collect(),
            ..Want::default()
        }
    } else {
        match block_of(&before[..stmt_start]) {
            Some((form, opener)) => walk(form, &[opener, prev].concat(), None),
            None => expect(&prev),
        }
    };
    let mut found = want.live;
    found.extend(want.words.iter().map(|w| w.to_string()));
    for kind in &want.kinds {
        found.extend(live(*kind, want.ns, names));
    }
    found.retain(|n| n.starts_with(word));
    found.sort();
    found.dedup();
    let files = want.files
        || want
            .kinds
            .iter()
            .any(|k| matches!(k, Kind::Program | Kind::File));
    Completion {
        start,
        names: found,
        files,
    }
}

/// The form whose block the cursor is in, when its statements are the form's options
/// (`bridge br0 { port `), and the words of the form before the block (`br0`).
fn block_of(before: &str) -> Option<(&'static Form, Vec<&str>)> {
    let mut open = vec![];
    for (i, c) in before.char_indices() {
        match c {
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    let brace = *open.last()?;
    let opener_start = before[..brace]
        .rfind(|c: char| ";{}\n|&(".contains(c))
        .map_or(0, |i| i + 1);
    let words: Vec<&str> = before[opener_start..brace].split_whitespace().collect();
    let (first, rest) = words.split_first()?;
    let form = builtins::find(first)?.plain().filter(|f| f.block_items)?;
    Some((form, rest.to_vec()))
}

/// The live names of a kind, in namespace `ns` (`None`: the current one).
fn live(kind: Kind, ns: Option<&str>, names: &mut dyn Names) -> Vec<String> {
    match kind {
        Kind::Netns => {
            let mut all = names.netns();
            all.push("root".into());
            all
        }
        Kind::NamedNetns => names.netns(),
        Kind::Device => names.links(ns, false),
        Kind::Bridge => names.links(ns, true),
        Kind::Address => names.addresses(ns),
        Kind::BuiltinName => BUILTINS.iter().map(|b| b.name.to_string()).collect(),
        Kind::Choice(values) => values.iter().map(|v| v.to_string()).collect(),
        _ => vec![],
    }
}

/// What fits at the cursor: words of the table, names of kinds, and files.
#[derive(Debug, Default, PartialEq)]
struct Want<'a> {
    words: Vec<&'static str>,
    kinds: Vec<Kind>,
    /// The namespace the statement acts in, when `-n NS` says (`ip -n red link set `).
    ns: Option<&'a str>,
    live: Vec<String>,
    files: bool,
}

impl<'a> Want<'a> {
    fn kind(kind: Kind, ns: Option<&'a str>) -> Self {
        Want {
            kinds: vec![kind],
            words: kind.keywords().to_vec(),
            ns,
            ..Want::default()
        }
    }
}

/// Decides from the words of the statement before the cursor.
fn expect<'a>(prev: &[&'a str]) -> Want<'a> {
    let mut words = prev;
    let mut cond = false;
    // `!`, `if` and `else if` stand before a statement; `if` takes conditions too.
    while let Some((&first, rest)) = words.split_first() {
        match first {
            "!" | "else" => {}
            "if" => cond = true,
            _ => break,
        }
        words = rest;
    }
    let Some((&first, rest)) = words.split_first() else {
        return Want {
            words: BUILTINS
                .iter()
                .filter(|b| !b.ip_only)
                .map(|b| b.name)
                .collect(),
            ..Want::default()
        };
    };
    match builtins::find(first).filter(|b| !b.ip_only) {
        Some(ip) if ip.name == "ip" => under_ip(ip, rest, cond),
        Some(b) => statement(b, rest, cond, None),
        // A program's arguments: most often files.
        None => Want {
            files: true,
            ..Want::default()
        },
    }
}

/// `ip [-n NS] OBJECT ...`: the object is a builtin by any prefix (`ip a` is `addr`).
fn under_ip<'a>(ip: &Builtin, rest: &[&'a str], cond: bool) -> Want<'a> {
    let (rest, ns) = match leading_options(ip.options, rest, None) {
        Ok(found) => found,
        Err(want) => return want,
    };
    match rest.split_first() {
        None => Want {
            words: BUILTINS
                .iter()
                .filter(|b| b.under_ip)
                .map(|b| b.name)
                .chain(ip.options.iter().map(|o| o.word))
                .collect(),
            ..Want::default()
        },
        Some((object, tail)) => match builtins::under_ip(object) {
            Some(b) => statement(b, tail, cond, ns),
            // The real `ip` runs the line: its words are its own.
            None => Want::default(),
        },
    }
}

/// Skips `options` at the start of `words` (`-n NS`, `-6`); `Err` when the cursor is at the
/// value of one.
fn leading_options<'w, 'a>(
    options: &'static [Opt],
    words: &'w [&'a str],
    mut ns: Option<&'a str>,
) -> Result<(&'w [&'a str], Option<&'a str>), Want<'a>> {
    let mut i = 0;
    while let Some(o) = words.get(i).and_then(|w| options.iter().find(|o| o.is(w))) {
        if let Some(kind) = o.takes {
            let Some(value) = words.get(i + 1) else {
                return Err(Want::kind(kind, ns));
            };
            if kind == Kind::Netns {
                ns = Some(value);
            }
            i += 1;
        }
        i += 1;
    }
    Ok((&words[i..], ns))
}

/// A builtin's statement: its subcommand, then the form's operands and options.
fn statement<'a>(b: &Builtin, rest: &[&'a str], cond: bool, ns: Option<&'a str>) -> Want<'a> {
    let (rest, ns) = match leading_options(b.options, rest, ns) {
        Ok(found) => found,
        Err(want) => return want,
    };
    let Some((&sub, tail)) = rest.split_first() else {
        // A subcommand, or what the form without one starts with (`netns NAME {`).
        let mut want = match b.plain() {
            Some(plain) => walk(plain, &[], ns),
            None => Want::default(),
        };
        want.words.extend(
            b.forms
                .iter()
                .filter(|f| !f.sub.is_empty() && (cond || !f.cond))
                .map(|f| f.sub),
        );
        want.words.extend(b.options.iter().map(|o| o.word));
        return want;
    };
    match (b.form(sub), b.plain()) {
        (Some(form), _) => walk(form, tail, ns),
        (None, Some(plain)) => walk(plain, rest, ns),
        (None, None) => after_keyword(b, rest, ns),
    }
}

/// A form's words after its subcommand: what the last word asks for, or what may follow.
fn walk<'a>(f: &'static Form, words: &[&'a str], mut ns: Option<&'a str>) -> Want<'a> {
    let mut filled = vec![false; f.operands.len()];
    let mut i = 0;
    while let Some(&w) = words.get(i) {
        let value = words.get(i + 1).copied();
        if let Some(o) = f.option(w) {
            if let Some(kind) = o.takes {
                let Some(value) = value else {
                    return Want::kind(kind, ns);
                };
                if o.word == "-n" {
                    ns = Some(value);
                }
                i += 1;
            }
        } else if let Some(k) =
            (0..filled.len()).find(|&k| !filled[k] && f.operands[k].keys.contains(&w))
        {
            let Some(_) = value else {
                return Want::kind(f.operands[k].kind, ns);
            };
            filled[k] = !f.operands[k].repeats;
            i += 1;
        } else if let Some(k) = (0..filled.len()).find(|&k| !filled[k] && !f.operands[k].keyed_only)
        {
            // A program's words are its own.
            if f.operands[k].kind == Kind::Program {
                return Want {
                    files: true,
                    ..Want::default()
                };
            }
            filled[k] = !f.operands[k].repeats;
        }
        i += 1;
    }
    // The next operand by position if one is missing; else options, and the operands that
    // come after their keyword.
    let dashed = f
        .options
        .iter()
        .filter(|o| o.word.starts_with('-'))
        .map(|o| o.word);
    let next = (0..filled.len()).find(|&k| !filled[k] && !f.operands[k].keyed_only);
    let mut want = match next {
        Some(k) => {
            let mut want = Want::kind(f.operands[k].kind, ns);
            want.words.extend(f.operands[k].keys.first());
            want
        }
        None => {
            let mut want = Want {
                ns,
                ..Want::default()
            };
            want.words.extend(
                (0..filled.len())
                    .filter(|&k| !filled[k])
                    .flat_map(|k| f.operands[k].keys.first().copied()),
            );
            want.words.extend(
                f.options
                    .iter()
                    .filter(|o| !o.word.starts_with('-'))
                    .map(|o| o.word),
            );
            want
        }
    };
    want.words.extend(dashed);
    want
}

/// A statement whose subcommand is not the table's own spelling (iproute2's `ip a s dev`):
/// the last word, if it is an option or keyword of any form, says what follows.
fn after_keyword<'a>(b: &Builtin, words: &[&'a str], ns: Option<&'a str>) -> Want<'a> {
    let Some(last) = words.last() else {
        return Want::default();
    };
    let from_options = b
        .forms
        .iter()
        .flat_map(|f| f.options.iter())
        .find(|o| o.is(last))
        .and_then(|o| o.takes);
    let from_keys = b
        .forms
        .iter()
        .flat_map(|f| f.operands.iter())
        .find(|o| o.keys.contains(last))
        .map(|o| o.kind);
    from_options
        .or(from_keys)
        .map_or_else(Want::default, |kind| Want::kind(kind, ns))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A namespace `red` with `veth0` and bridge `br0`, and a root namespace with `eth0`.
    struct Fake;

    impl Names for Fake {
        fn netns(&mut self) -> Vec<String> {
            vec!["red".into(), "blue".into()]
        }
        fn links(&mut self, ns: Option<&str>, bridges: bool) -> Vec<String> {
            let all: &[&str] = match ns {
                Some("red") => &["lo", "veth0", "br0"],
                _ => &["lo", "eth0"],
            };
            all.iter()
                .filter(|n| !bridges || n.starts_with("br"))
                .map(|n| n.to_string())
                .collect()
        }
        fn addresses(&mut self, ns: Option<&str>) -> Vec<String> {
            match ns {
                Some("red") => vec!["10.1.1.2/24".into()],
                _ => vec!["127.0.0.1/8".into(), "10.0.0.1/24".into()],
            }
        }
        fn variables(&mut self) -> Vec<String> {
            vec!["n".into(), "dev".into()]
        }
    }

    /// The candidates for the line typed so far.
    fn tab(line: &str) -> Vec<String> {
        complete(line, &mut Fake).names
    }

    #[test]
    fn namespace_names_where_a_namespace_goes() {
        assert_eq!(tab("netns exec "), ["blue", "red", "root"]);
        assert_eq!(tab("netns del "), ["blue", "red"]);
        assert_eq!(tab("netns pids r"), ["red"]);
        // `netns NAME {` is the common form: names and subcommands together.
        assert_eq!(tab("netns r"), ["red", "root"]);
        assert_eq!(tab("netns a"), ["add", "attach"]);
        assert_eq!(tab("ip -n "), ["blue", "red", "root"]);
        assert_eq!(tab("link set veth0 netns b"), ["blue"]);
        assert_eq!(tab("exec -n r"), ["red", "root"]);
        assert_eq!(tab("if netns exists "), ["blue", "red", "root"]);
        assert_eq!(tab("if ! netns e"), ["exec", "exists"]);
        // `exists` is a condition, not a statement.
        assert_eq!(tab("netns e"), ["exec"]);
    }

    #[test]
    fn device_names_where_a_device_goes() {
        assert_eq!(tab("link set "), ["dev", "eth0", "lo"]);
        assert_eq!(tab("link set dev e"), ["eth0"]);
        assert_eq!(tab("link del "), ["dev", "eth0", "lo"]);
        assert_eq!(tab("addr add 10.0.0.1/24 dev "), ["eth0", "lo"]);
        assert_eq!(tab("peer "), ["dev", "eth0", "lo"]);
        assert_eq!(tab("stats e"), ["eth0"]);
        assert_eq!(tab("capture -c 3 e"), ["eth0"]);
        assert_eq!(
            tab("route add 10.0.0.0/8 via 10.1.1.1 dev "),
            ["eth0", "lo"]
        );
        assert_eq!(tab("link add m link e"), ["eth0"]);
        assert_eq!(tab("if link exists l"), ["lo"]);
        // `-n NS` says whose devices.
        assert_eq!(tab("ip -n red link set v"), ["veth0"]);
        assert_eq!(tab("ip -n red a s dev "), ["br0", "lo", "veth0"]);
        assert_eq!(tab("ip link set "), ["dev", "eth0", "lo"]);
    }

    #[test]
    fn bridges_after_master_and_addresses_after_addr_del() {
        assert_eq!(tab("ip -n red link set veth0 master "), ["br0"]);
        assert_eq!(tab("link add v0 master "), Vec::<String>::new());
        assert_eq!(tab("addr del "), ["10.0.0.1/24", "127.0.0.1/8"]);
        assert_eq!(tab("ip -n red addr del 1"), ["10.1.1.2/24"]);
        assert_eq!(tab("addr del 10.0.0.1/24 "), ["dev"]);
    }

    #[test]
    fn subcommands_and_options_from_the_table() {
        assert_eq!(tab("link "), ["add", "del", "property", "set", "show"]);
        assert_eq!(
            tab("ip "),
            ["-n", "addr", "link", "neigh", "netns", "route", "tuntap"]
        );
        assert_eq!(
            tab("link set veth0 "),
            [
                "address",
                "alias",
                "allmulticast",
                "arp",
                "broadcast",
                "down",
                "group",
                "master",
                "mtu",
                "multicast",
                "name",
                "netns",
                "nomaster",
                "promisc",
                "txqueuelen",
                "type",
                "up"
            ]
        );
        assert_eq!(tab("link set veth0 up m"), ["master", "mtu", "multicast"]);
        assert_eq!(tab("addr add 10.0.0.1/24 d"), ["dev"]);
        assert_eq!(
            tab("addr add 10.0.0.1/24 dev eth0 n"),
            ["nodad", "noprefixroute"]
        );
        assert_eq!(tab("route add "), ["default"]);
        assert_eq!(tab("route add default v"), ["via"]);
        assert_eq!(tab("veth v0 "), ["netns", "peer"]);
        assert_eq!(
            tab("ping -"),
            ["-I", "-W", "-c", "-i", "-q", "-s", "-v", "-w"]
        );
        assert_eq!(tab("graph --format s"), ["svg"]);
        assert_eq!(tab("help ro"), ["root", "route"]);
        assert_eq!(tab("deny "), ["host-moves"]);
        assert_eq!(tab("li"), ["link"]);
        assert_eq!(tab("if "), tab(""));
        assert_eq!(tab("echo $"), ["$dev", "$n"]);
        assert_eq!(tab("netns red { link set l"), ["lo"]);
        // Inside `bridge NAME { }`, its items.
        assert_eq!(tab("bridge br1 { "), ["addr", "port"]);
        assert_eq!(tab("bridge br1 { port e"), ["eth0"]);
        assert_eq!(tab("bridge br1 { port eth0; a"), ["addr"]);
        assert_eq!(tab("bridge br1 { port eth0 }; l"), ["let", "link"]);
        assert_eq!(
            tab("link show | grep x && link set "),
            ["dev", "eth0", "lo"]
        );
    }

    #[test]
    fn files_for_programs_and_their_arguments() {
        assert!(complete("cat /sys", &mut Fake).files);
        assert!(complete("netns exec red ls ", &mut Fake).files);
        assert!(complete("capture -w ", &mut Fake).files);
        assert!(!complete("link set ", &mut Fake).files);
        assert_eq!(complete("link set veth0 up; li", &mut Fake).start, 19);
    }
}
