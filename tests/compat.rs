//! iproute2 compatibility: each row is a line (or a short script) as people paste it from
//! what they read, run once by vsh and once by bash with the real `ip` in twin sandboxes.
//! Each row runs in a namespace of its own (`r0`, `r1`, ...), after the same setup on both
//! sides; afterwards the state of every namespace (`ip -j -d link`, `ip -j addr`, routes of
//! every table, neighbours, `bridge -j link`) must be the same, so must success or failure,
//! and for show commands the printed output byte for byte. The rows live in compat_rows.rs.

use crate::lab::Lab;
use regex::Regex;
use serde_json::Value;
use std::collections::BTreeMap;

/// One line (or script) and what it runs on.
pub struct Row {
    /// iproute2 lines run by bash in the row's namespace before the line, on both sides.
    pub setup: &'static str,
    /// The line: a vsh script, and the same text run by bash with the real `ip`.
    pub line: &'static str,
    /// Also compare what the line prints, byte for byte.
    pub show: bool,
    /// vsh performs the line itself (journaled, undone): `--check` must not say that it runs
    /// the real `ip` or `bridge`.
    pub native: bool,
}

/// What the line does, compared only by its state.
pub const fn row(setup: &'static str, line: &'static str) -> Row {
    Row {
        setup,
        line,
        show: false,
        native: false,
    }
}

/// A show command: its output is compared byte for byte too.
pub const fn show(setup: &'static str, line: &'static str) -> Row {
    Row {
        setup,
        line,
        show: true,
        native: false,
    }
}

/// A line vsh performs itself, compared by its state.
pub const fn native(setup: &'static str, line: &'static str) -> Row {
    Row {
        native: true,
        ..row(setup, line)
    }
}

/// A show command vsh prints itself, compared byte for byte.
pub const fn native_show(setup: &'static str, line: &'static str) -> Row {
    Row {
        native: true,
        ..show(setup, line)
    }
}

/// The lines of native rows that vsh would hand to the real program instead.
fn not_native(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.native)
        .filter_map(|r| {
            let program = vsh::syntax::parse(r.line)
                .unwrap_or_else(|e| panic!("native row {:?} does not parse: {e:?}", r.line));
            let (_, notes) = vsh::eval::check::check_with_notes(&program);
            (!notes.is_empty())
                .then(|| format!("{:?} runs the real `{}`", r.line, notes[0].program))
        })
        .collect()
}

/// What one side saw: per row, its exit status and output; per namespace, its state.
#[derive(Default)]
struct Side {
    status: BTreeMap<usize, i32>,
    stdout: BTreeMap<usize, String>,
    state: BTreeMap<String, String>,
}

/// The state of every namespace, one iproute2 dump after another.
const DUMPS: &[&str] = &[
    "ip -n $ns -j -d link show",
    "ip -n $ns -j addr show",
    "ip -n $ns -j -4 route show table all",
    "ip -n $ns -j -6 route show table all",
    "ip -n $ns -j neigh show",
    "bridge -n $ns -j link show",
];

/// The bash text that runs every row with `runner` (vsh, or bash) and dumps the state.
fn script(rows: &[Row], runner: &str) -> String {
    let mut s = String::from("set -u\n");
    for (i, r) in rows.iter().enumerate() {
        s.push_str(&format!(
            "ip netns add r{i} || exit 90\n\
             cat >setup{i} <<'VSH_COMPAT_EOF'\n{}\nVSH_COMPAT_EOF\n\
             cat >line{i} <<'VSH_COMPAT_EOF'\n{}\nVSH_COMPAT_EOF\n\
             nsenter --net=/run/netns/r{i} sysctl -qw net.ipv6.conf.all.accept_dad=0 \
               net.ipv6.conf.default.accept_dad=0 || exit 93\n\
             nsenter --net=/run/netns/r{i} bash -e setup{i} >/dev/null || exit 91\n\
             nsenter --net=/run/netns/r{i} {runner} line{i} >out{i} 2>err{i}; echo \"@@status {i} $?\"\n\
             echo \"@@stdout {i}\"; cat out{i}; echo \"@@end\"\n",
            r.setup, r.line
        ));
    }
    // The kernel settles carrier and operational state (and the routes that follow them)
    // a moment later (linkwatch): dump once they stay the same for a second.
    s.push_str(
        "links() { for ns in $(ip netns list | cut -d' ' -f1); do \
           ip -n $ns -j -d link show; ip -n $ns -6 route show table all; done; }\n\
         prev=$(links); for try in 1 2 3 4 5 6 7 8; do sleep 1; now=$(links); \
           [ \"$now\" = \"$prev\" ] && break; prev=$now; done\n",
    );
    s.push_str("for ns in $(ip netns list | cut -d' ' -f1 | sort); do\n  echo \"@@ns $ns\"\n");
    for d in DUMPS {
        s.push_str(&format!("  {d} || exit 92\n"));
    }
    s.push_str("done\n");
    s
}

fn parse(out: &str) -> Side {
    let mut side = Side::default();
    let mut lines = out.split_inclusive('\n');
    let mut ns: Option<String> = None;
    while let Some(line) = lines.next() {
        let l = line.trim_end_matches('\n');
        if let Some(rest) = l.strip_prefix("@@status ") {
            let (i, code) = rest.split_once(' ').unwrap();
            side.status
                .insert(i.parse().unwrap(), code.parse().unwrap());
        } else if let Some(i) = l.strip_prefix("@@stdout ") {
            let mut text = String::new();
            for line in lines.by_ref() {
                if line == "@@end\n" {
                    break;
                }
                text.push_str(line);
            }
            side.stdout.insert(i.parse().unwrap(), text);
        } else if let Some(name) = l.strip_prefix("@@ns ") {
            ns = Some(name.to_string());
        } else if let Some(name) = &ns {
            side.state.entry(name.clone()).or_default().push_str(line);
        }
    }
    side
}

/// Printed output with random MAC addresses and the link-local addresses made from them
/// written alike.
fn normalize_text(text: &str) -> String {
    // Bridge ids write a MAC address without leading zeros: `8000.7a:73:60:2:89:d4`.
    let bridge_id = Regex::new(r"([0-9a-f]{4}\.)[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}").unwrap();
    let text = bridge_id.replace_all(text, "${1}MAC");
    let mac = Regex::new(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}").unwrap();
    let fe80 = Regex::new(r"fe80::[0-9a-f]+:[0-9a-f:]+").unwrap();
    let text = mac.replace_all(&text, |c: &regex::Captures| {
        let m = &c[0];
        if m.starts_with("02:00:00") || m == "ff:ff:ff:ff:ff:ff" || m == "00:00:00:00:00:00" {
            m.to_string()
        } else {
            "MAC".to_string()
        }
    });
    let text = fe80.replace_all(&text, "fe80::LL");
    // A link-local address is tentative for the moment it takes the kernel to find it needs
    // no duplicate detection (NOARP devices, accept_dad 0).
    let text = text.replace(
        "fe80::LL/64 scope link tentative ",
        "fe80::LL/64 scope link ",
    );
    // Bridge timers (`gc_timer    9.96`, `"gc_timer":9.96`) run on either side.
    let timers = Regex::new(r#"(_timer"?:? *)[0-9]+\.[0-9]{2}"#).unwrap();
    let text = timers.replace_all(&text, "${1}T");
    // Seconds left of a lifetime, as printed a moment apart on either side.
    let secs = Regex::new(r"(\d+)sec").unwrap();
    secs.replace_all(&text, |c: &regex::Captures| {
        let n: u64 = c[1].parse().unwrap_or(0);
        format!("{}sec", (n + 5) / 10 * 10)
    })
    .into_owned()
}

/// The state with what differs between any two runs of the same lines made alike: interface
/// indexes, random MAC addresses (and the IPv6 link-local addresses and bridge ids made from
/// them), timers, and the seconds a lifetime lost while the run went on.
fn normalize(state: &str) -> String {
    // Bridge ids write a MAC address without leading zeros: `8000.7a:73:60:2:89:d4`.
    let mac = Regex::new(r"\b[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}\b").unwrap();
    let fe80 = Regex::new(r"^fe80::[0-9a-f:]+$").unwrap();
    let mut out = String::new();
    for line in state.lines() {
        let mut v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(_) => {
                out.push_str(line);
                out.push('\n');
                continue;
            }
        };
        clean(&mut v, &mac, &fe80);
        // Routes of one prefix through several devices come in the order the kernel added
        // them, which is not what is compared.
        if let Value::Array(items) = &mut v {
            if items.iter().all(|i| i.get("dst").is_some()) {
                items.sort_by_key(|i| i.to_string());
            }
        }
        out.push_str(&serde_json::to_string_pretty(&v).unwrap());
        out.push('\n');
    }
    out
}

fn clean(v: &mut Value, mac: &Regex, fe80: &Regex) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| {
                // Numbers the kernel picks: indexes, namespace ids (assigned to each namespace a
                // link's peer ever lived in), timers.
                !(k == "ifindex"
                    || k == "link_index"
                    || k == "link_netnsid"
                    || k.contains("timer")
                    || k == "used")
            });
            // A neighbour being resolved moves through states on the kernel's timers
            // (INCOMPLETE, then FAILED a second later): which one a dump sees is timing.
            if let Some(Value::Array(states)) = map.get_mut("state") {
                for st in states.iter_mut() {
                    if matches!(
                        st.as_str(),
                        Some("INCOMPLETE" | "FAILED" | "STALE" | "DELAY" | "PROBE" | "REACHABLE")
                    ) {
                        *st = Value::from("dynamic");
                    }
                }
            }
            for (k, val) in map.iter_mut() {
                // A lifetime counts down while the other rows run: finite or forever.
                if k.ends_with("life_time") && val.as_u64() != Some(u32::MAX as u64) {
                    *val = Value::from("finite");
                }
                clean(val, mac, fe80);
            }
            // Addresses made from a random MAC address: fe80::/64 link-local ones.
            if let Some(Value::Array(infos)) = map.get_mut("addr_info") {
                infos.retain(|a| !a["local"].as_str().is_some_and(|l| fe80.is_match(l)));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| clean(i, mac, fe80)),
        Value::String(s) => {
            // MAC addresses a row chose itself start with 02:00:00 and stay.
            let kept = |m: &str| m.starts_with("02:00:00") || m == "ff:ff:ff:ff:ff:ff";
            let replaced = mac.replace_all(s, |c: &regex::Captures| {
                if kept(&c[0]) || c[0].chars().all(|ch| ch == '0' || ch == ':') {
                    c[0].to_string()
                } else {
                    "MAC".to_string()
                }
            });
            *s = if fe80.is_match(&replaced) {
                "fe80::LL".to_string()
            } else {
                replaced.into_owned()
            };
        }
        _ => {}
    }
}

/// Runs every row on both sides and fails with every row that differs.
pub fn compare(rows: &[Row]) {
    let programs = not_native(rows);
    assert!(
        programs.is_empty(),
        "rows marked native are not: {programs:#?}"
    );
    // The twin sandboxes run side by side.
    let (vsh, ip) = std::thread::scope(|s| {
        let vsh = s.spawn(|| Lab::new("").shell(&script(rows, "\"$VSH\"")).run());
        let ip = Lab::new("").shell(&script(rows, "bash -e")).run();
        (vsh.join().expect("the vsh side runs"), ip)
    });
    let (vsh, ip) = (vsh.success(), ip.success());
    let (a, b) = (parse(&vsh.stdout), parse(&ip.stdout));
    let mut bad = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let (sa, sb) = (a.status.get(&i), b.status.get(&i));
        let mut why = Vec::new();
        match (sa, sb) {
            (Some(x), Some(y)) if (*x == 0) == (*y == 0) => {}
            _ => why.push(format!("status: vsh {sa:?}, ip {sb:?}")),
        }
        let (oa, ob) = (
            a.stdout.get(&i).map(|s| normalize_text(s)),
            b.stdout.get(&i).map(|s| normalize_text(s)),
        );
        if r.show && oa != ob {
            why.push(format!(
                "output:\n--- vsh\n{}--- ip\n{}",
                a.stdout.get(&i).map_or("", |s| s),
                b.stdout.get(&i).map_or("", |s| s)
            ));
        }
        let ns = format!("r{i}");
        let (na, nb) = (
            a.state.get(&ns).map(|s| normalize(s)),
            b.state.get(&ns).map(|s| normalize(s)),
        );
        if na != nb {
            why.push(format!(
                "state:\n{}",
                diff(na.as_deref().unwrap_or(""), nb.as_deref().unwrap_or(""))
            ));
        }
        if !why.is_empty() {
            bad.push(format!("row {i}: {:?}\n{}", r.line, why.join("\n")));
        }
    }
    // Namespaces the rows made besides their own.
    for (name, state) in &b.state {
        if name.starts_with('r') && name[1..].parse::<usize>().is_ok() {
            continue;
        }
        let theirs = normalize(state);
        let ours = a.state.get(name).map(|s| normalize(s));
        if ours.as_deref() != Some(theirs.as_str()) {
            bad.push(format!(
                "namespace {name} differs (or is missing under vsh):\n{}",
                diff(ours.as_deref().unwrap_or(""), &theirs)
            ));
        }
    }
    for name in a.state.keys() {
        if !b.state.contains_key(name) {
            bad.push(format!("namespace {name} made by vsh only"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} rows differ from iproute2:\n\n{}",
        bad.len(),
        rows.len(),
        bad.join("\n\n")
    );
}

/// The lines of `a` and `b` that differ, a few either side.
fn diff(a: &str, b: &str) -> String {
    let (la, lb): (Vec<_>, Vec<_>) = (a.lines().collect(), b.lines().collect());
    let mut out = String::new();
    for i in 0..la.len().max(lb.len()) {
        let (x, y) = (la.get(i), lb.get(i));
        if x != y {
            out.push_str(&format!(
                "  line {i}: vsh {:?}\n          ip  {:?}\n",
                x.unwrap_or(&""),
                y.unwrap_or(&"")
            ));
            if out.len() > 2000 {
                break;
            }
        }
    }
    out
}
