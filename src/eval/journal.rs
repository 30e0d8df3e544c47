//! The journal: what a run made and what it changed, by identity, so that a failed or
//! interrupted run can be undone exactly, and `vsh down SCRIPT` can remove what the runs of
//! SCRIPT left, and nothing else.
//!
//! Objects are named by what they are, not what they are called: a namespace by its kernel
//! cookie ([`NsId`]), a link by its namespace and ifindex. A value a change overwrites is
//! recorded before the change (and cancelled with a `forget` line if the kernel refuses it);
//! an object the run made is recorded once the kernel has made it, with its identity.
//!
//! One directory a script under /run/vsh, one file a run, one line an entry. A live run holds
//! an exclusive lock on its file, so `vsh down` never touches it.

use super::record::{Fields, Line};
use crate::net::addr::{Address, Prefix};
use crate::net::route::{Family, Route, RouteExtra, RouteSpec};
use crate::net::{Ns, NsId};
use nix::fcntl::{Flock, FlockArg};
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where journals live, like iproute2's /run/netns.
pub const JOURNAL_DIR: &str = "/run/vsh";

/// A namespace by name (to reach it) and identity (to be sure it is still the same one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    pub ns: Ns,
    pub id: NsId,
}

/// A link by identity: its namespace and ifindex. `name` is what it was called then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkAt {
    pub at: At,
    pub index: u32,
    pub name: String,
}

impl LinkAt {
    /// What identifies the link while it stays in its namespace.
    pub fn key(&self) -> (NsId, u32) {
        (self.at.id, self.index)
    }
}

/// A link's attributes before a change: only those the change touches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attrs {
    pub up: Option<bool>,
    pub mtu: Option<u32>,
    /// The bridge's ifindex; 0 for none.
    pub master: Option<u32>,
}

/// One thing a run made or changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A namespace the run made, or pinned with `netns attach`.
    Netns { name: String, id: NsId },
    /// A namespace the run deleted, whoever made it.
    NetnsDeleted { name: String, id: NsId },
    /// A link the run made.
    Link(LinkAt),
    /// The peer of a veth the run made: it goes with the pair, but undo must know it is the
    /// run's when it follows it through moves and renames.
    Peer(LinkAt),
    /// A link the run deleted, whoever made it.
    LinkDeleted(LinkAt),
    /// An address the run added.
    Addr { link: LinkAt, prefix: Prefix },
    /// An address as it was before a change that removes it (`addr del`, down, a move).
    AddrSaved { link: LinkAt, addr: Address },
    /// A route the run added; `spec.oif` is an ifindex in `at`.
    Route { at: At, spec: RouteSpec },
    /// A route as it was before a change that may remove it.
    RouteSaved { at: At, route: Route },
    /// A link's attributes before the run changed them.
    Attrs { link: LinkAt, before: Attrs },
    /// A link moved to another namespace, where it has index `to_index`.
    Move { link: LinkAt, to: At, to_index: u32 },
    /// A link renamed.
    Rename { link: LinkAt, to: String },
}

/// The journal of one run.
pub struct Journal {
    /// This run's file, locked while the run lives, if it is kept on disk.
    file: Option<(PathBuf, Flock<File>)>,
    /// This run's entries, oldest first.
    entries: Vec<Entry>,
    /// What this run made and still has, for telling its own objects from older ones.
    made_ns: HashSet<NsId>,
    made_links: HashSet<(NsId, u32)>,
}

impl Journal {
    /// A journal kept only in memory: undo works, `vsh down` cannot find it later.
    pub fn in_memory() -> Self {
        Journal {
            file: None,
            entries: vec![],
            made_ns: HashSet::new(),
            made_links: HashSet::new(),
        }
    }

    /// The journal directory of `key` (a script's absolute path, or a `--name`).
    pub fn dir_for(key: &str) -> PathBuf {
        // A readable stem and a hash of the whole key, within NAME_MAX.
        let stem: String = Path::new(key)
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .take(64)
            .collect();
        let hash = key.bytes().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
        });
        Path::new(JOURNAL_DIR).join(format!("{stem}-{hash:016x}"))
    }

    /// Starts this run's file in `dir`, named so that files sort in the order runs started,
    /// and locks it for the life of the run.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let path = dir.join(format!("{started:024}-{}.journal", std::process::id()));
        // Another run's `close_run` may remove the directory between our mkdir and create.
        let mut attempts = 0;
        let file = loop {
            std::fs::create_dir_all(dir)?;
            match OpenOptions::new().create_new(true).append(true).open(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && attempts < 10 => {
                    attempts += 1
                }
                other => break other?,
            }
        };
        let file = Flock::lock(file, FlockArg::LockExclusiveNonblock)
            .map_err(|(_, e)| std::io::Error::from(e))?;
        Ok(Journal {
            file: Some((path, file)),
            ..Journal::in_memory()
        })
    }

    /// Records entries: values before a change, or an object just made.
    pub fn record(&mut self, entries: Vec<Entry>) {
        for entry in entries {
            if let Some((_, f)) = &mut self.file {
                // A journal that cannot be written only weakens `down`; the run goes on.
                let _ = writeln!(f, "{}", encode(&entry));
            }
            match &entry {
                Entry::Netns { id, .. } => {
                    self.made_ns.insert(*id);
                }
                Entry::Link(l) | Entry::Peer(l) => {
                    self.made_links.insert(l.key());
                }
                Entry::Move { link, to, to_index } if self.made_links.remove(&link.key()) => {
                    self.made_links.insert((to.id, *to_index));
                }
                _ => {}
            }
            self.entries.push(entry);
        }
    }

    /// The last `n` entries recorded describe a change the kernel refused: forget them.
    pub fn forget(&mut self, n: usize) {
        for _ in 0..n {
            if self.entries.pop().is_some() {
                if let Some((_, f)) = &mut self.file {
                    let _ = writeln!(f, "forget");
                }
            }
        }
    }

    /// Whether this run made the namespace `ns`, or the link `index` in it: then undo
    /// removes it whole, and changes to it need no journal entry.
    pub fn made(&self, ns: NsId, index: Option<u32>) -> bool {
        self.made_ns.contains(&ns) || index.is_some_and(|i| self.made_links.contains(&(ns, i)))
    }

    /// This run's entries, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Undo is over: `remaining` are the entries it could not undo. With none, this run's
    /// file goes; otherwise it holds just them, for a later `vsh down` to retry.
    pub fn close_run(&mut self, remaining: &[Entry]) {
        self.entries.clear();
        self.made_ns.clear();
        self.made_links.clear();
        if let Some((path, file)) = self.file.take() {
            finish_file(&path, file, remaining);
        }
    }
}

/// One run's journal file, locked for `vsh down`.
pub struct RunFile {
    pub path: PathBuf,
    lock: Flock<File>,
    pub entries: Vec<Entry>,
}

impl RunFile {
    /// Rewrites the file with `remaining`, or removes it if there are none.
    pub fn finish(self, remaining: &[Entry]) {
        finish_file(&self.path, self.lock, remaining);
    }
}

/// What `vsh down` finds in a script's directory.
pub struct Runs {
    /// The runs that are over, newest first.
    pub done: Vec<RunFile>,
    /// The files of runs still going (locked by them).
    pub live: Vec<PathBuf>,
}

/// Every run journaled in `dir`: the finished ones read and locked, the live ones named.
pub fn runs(dir: &Path) -> std::io::Result<Runs> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => vec![],
        Err(e) => return Err(e),
    };
    files.retain(|f| f.extension().is_some_and(|e| e == "journal"));
    files.sort();
    files.reverse();
    let mut runs = Runs {
        done: vec![],
        live: vec![],
    };
    for path in files {
        let file = match OpenOptions::new().read(true).append(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(lock) => {
                let text = std::fs::read_to_string(&path)?;
                runs.done.push(RunFile {
                    path,
                    lock,
                    entries: parse(&text),
                });
            }
            Err((_, nix::errno::Errno::EWOULDBLOCK)) => runs.live.push(path),
            Err((_, e)) => return Err(e.into()),
        }
    }
    Ok(runs)
}

fn finish_file(path: &Path, mut file: Flock<File>, remaining: &[Entry]) {
    if remaining.is_empty() {
        let _ = std::fs::remove_file(path);
        // The script's directory goes with its last run (not while another run has one).
        if let Some(dir) = path.parent() {
            let _ = std::fs::remove_dir(dir);
        }
        return;
    }
    let text: String = remaining.iter().map(|e| encode(e) + "\n").collect();
    let _ = file.set_len(0);
    let _ = file.write_all(text.as_bytes());
}

/// A journal file's entries, with its `forget` lines applied.
fn parse(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    for line in text.lines() {
        if line == "forget" {
            entries.pop();
        } else if let Some(e) = decode(line) {
            entries.push(e);
        }
    }
    entries
}

fn put_at(line: &mut Line, prefix: &str, at: &At) {
    line.ns(&format!("{prefix}ns"), &at.ns);
    line.num(&format!("{prefix}id"), at.id.0);
}

fn put_link(line: &mut Line, l: &LinkAt) {
    put_at(line, "", &l.at);
    line.num("index", l.index);
    line.text("name", &l.name);
}

fn encode(e: &Entry) -> String {
    let mut line;
    match e {
        Entry::Netns { name, id } | Entry::NetnsDeleted { name, id } => {
            line = Line::new(match e {
                Entry::Netns { .. } => "netns",
                _ => "netns-deleted",
            });
            line.text("name", name);
            line.num("id", id.0);
        }
        Entry::Link(l) | Entry::Peer(l) | Entry::LinkDeleted(l) => {
            line = Line::new(match e {
                Entry::Link(_) => "link",
                Entry::Peer(_) => "peer",
                _ => "link-deleted",
            });
            put_link(&mut line, l);
        }
        Entry::Addr { link, prefix } => {
            line = Line::new("addr");
            put_link(&mut line, link);
            line.opt("prefix", Some(prefix));
        }
        Entry::AddrSaved { link, addr } => {
            line = Line::new("addr-saved");
            put_link(&mut line, link);
            line.opt("prefix", Some(addr.prefix));
            line.opt("peer", addr.peer);
            line.opt("brd", addr.broadcast);
            line.num("scope", addr.scope);
            line.opt("label", addr.label.as_ref());
            line.num("flags", addr.flags);
        }
        Entry::Route { at, spec } => {
            line = Line::new("route");
            put_at(&mut line, "", at);
            line.num("family", family_number(spec.family));
            line.opt("dst", spec.dst);
            line.opt("via", spec.gateway);
            line.opt("oif", spec.oif);
            line.opt("src", spec.prefsrc);
            line.opt("metric", spec.metric);
            line.opt("table", spec.extra.table);
            line.opt("proto", spec.extra.protocol);
            line.opt("scope", spec.extra.scope);
            line.opt("type", spec.extra.kind);
            line.opt("onlink", spec.extra.onlink.then_some(1));
        }
        Entry::RouteSaved { at, route: r } => {
            line = Line::new("route-saved");
            put_at(&mut line, "", at);
            line.num("family", family_number(r.family));
            line.opt("dst", r.dst);
            line.num("dst_len", r.dst_len);
            line.opt("via", r.gateway);
            line.opt("oif", r.oif);
            line.opt("src", r.prefsrc);
            line.opt("metric", r.metric);
            line.num("table", r.table);
            line.num("proto", r.protocol);
            line.num("scope", r.scope);
            line.num("type", r.kind);
            line.num("flags", r.flags);
            line.opt("pref", r.pref);
        }
        Entry::Attrs { link, before } => {
            line = Line::new("attrs");
            put_link(&mut line, link);
            line.opt("up", before.up.map(u8::from));
            line.opt("mtu", before.mtu);
            line.opt("master", before.master);
        }
        Entry::Move { link, to, to_index } => {
            line = Line::new("move");
            put_link(&mut line, link);
            put_at(&mut line, "to_", to);
            line.num("to_index", *to_index);
        }
        Entry::Rename { link, to } => {
            line = Line::new("rename");
            put_link(&mut line, link);
            line.text("to", to);
        }
    }
    line.finish()
}

fn get_at(f: &Fields, prefix: &str) -> Option<At> {
    Some(At {
        ns: f.ns(&format!("{prefix}ns"))?,
        id: NsId(f.get(&format!("{prefix}id"))?),
    })
}

fn get_link(f: &Fields) -> Option<LinkAt> {
    Some(LinkAt {
        at: get_at(f, "")?,
        index: f.get("index")?,
        name: f.text("name")?,
    })
}

fn decode(text: &str) -> Option<Entry> {
    let (kind, f) = Fields::parse(text)?;
    Some(match kind.as_str() {
        "netns" => Entry::Netns {
            name: f.text("name")?,
            id: NsId(f.get("id")?),
        },
        "netns-deleted" => Entry::NetnsDeleted {
            name: f.text("name")?,
            id: NsId(f.get("id")?),
        },
        "link" => Entry::Link(get_link(&f)?),
        "peer" => Entry::Peer(get_link(&f)?),
        "link-deleted" => Entry::LinkDeleted(get_link(&f)?),
        "addr" => Entry::Addr {
            link: get_link(&f)?,
            prefix: f.get("prefix")?,
        },
        "addr-saved" => {
            let link = get_link(&f)?;
            Entry::AddrSaved {
                addr: Address {
                    index: link.index,
                    prefix: f.get("prefix")?,
                    peer: f.opt("peer")?,
                    broadcast: f.opt("brd")?,
                    scope: f.get("scope")?,
                    label: f.opt("label")?,
                    flags: f.get("flags")?,
                    valid_lft: None,
                    preferred_lft: None,
                },
                link,
            }
        }
        "route" => Entry::Route {
            at: get_at(&f, "")?,
            spec: RouteSpec {
                family: family_of(f.get("family")?)?,
                dst: f.opt("dst")?,
                gateway: f.opt("via")?,
                oif: f.opt("oif")?,
                prefsrc: f.opt("src")?,
                metric: f.opt("metric")?,
                extra: RouteExtra {
                    table: f.opt("table")?,
                    protocol: f.opt("proto")?,
                    scope: f.opt("scope")?,
                    kind: f.opt("type")?,
                    onlink: f.opt::<u8>("onlink")?.is_some(),
                },
            },
        },
        "route-saved" => Entry::RouteSaved {
            at: get_at(&f, "")?,
            route: Route {
                family: family_of(f.get("family")?)?,
                dst: f.opt("dst")?,
                dst_len: f.get("dst_len")?,
                gateway: f.opt("via")?,
                oif: f.opt("oif")?,
                prefsrc: f.opt("src")?,
                metric: f.opt("metric")?,
                table: f.get("table")?,
                protocol: f.get("proto")?,
                scope: f.get("scope")?,
                kind: f.get("type")?,
                flags: f.get("flags")?,
                pref: f.opt("pref")?,
            },
        },
        "attrs" => Entry::Attrs {
            link: get_link(&f)?,
            before: Attrs {
                up: f.opt::<u8>("up")?.map(|u| u != 0),
                mtu: f.opt("mtu")?,
                master: f.opt("master")?,
            },
        },
        "move" => Entry::Move {
            link: get_link(&f)?,
            to: get_at(&f, "to_")?,
            to_index: f.get("to_index")?,
        },
        "rename" => Entry::Rename {
            link: get_link(&f)?,
            to: f.text("to")?,
        },
        _ => return None,
    })
}

fn family_number(f: Family) -> u8 {
    match f {
        Family::V4 => 4,
        Family::V6 => 6,
    }
}

fn family_of(n: u8) -> Option<Family> {
    match n {
        4 => Some(Family::V4),
        6 => Some(Family::V6),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ns: &str, id: u64) -> At {
        At {
            ns: if ns == "root" {
                Ns::Root
            } else {
                Ns::Named(ns.into())
            },
            id: NsId(id),
        }
    }

    fn link(ns: &str, index: u32, name: &str) -> LinkAt {
        LinkAt {
            at: at(ns, 7),
            index,
            name: name.into(),
        }
    }

    #[test]
    fn entries_round_trip_through_text() {
        let entries = [
            Entry::Netns {
                name: "my lab@1%=".into(),
                id: NsId(4096),
            },
            Entry::NetnsDeleted {
                name: "red".into(),
                id: NsId(1),
            },
            Entry::Link(link("root", 3, "veth0")),
            Entry::LinkDeleted(link("red", 9, "b r")),
            Entry::Peer(link("red", 2, "veth1")),
            Entry::Addr {
                link: link("red", 2, "veth1"),
                prefix: "2001:db8::1/64".parse().unwrap(),
            },
            Entry::AddrSaved {
                link: link("root", 4, "v0"),
                addr: Address {
                    index: 4,
                    prefix: "10.1.1.1/24".parse().unwrap(),
                    peer: None,
                    broadcast: Some("10.1.1.255".parse().unwrap()),
                    scope: 0,
                    label: Some("v0:1".into()),
                    flags: 0x80,
                    valid_lft: None,
                    preferred_lft: None,
                },
            },
            Entry::Route {
                at: at("root", 1),
                spec: RouteSpec {
                    family: Family::V4,
                    dst: Some("10.2.0.0/24".parse().unwrap()),
                    gateway: Some("10.1.1.1".parse().unwrap()),
                    oif: None,
                    prefsrc: None,
                    metric: Some(7),
                    extra: RouteExtra {
                        table: Some(100),
                        kind: Some(6),
                        onlink: true,
                        ..RouteExtra::default()
                    },
                },
            },
            Entry::RouteSaved {
                at: at("red", 2),
                route: Route {
                    family: Family::V6,
                    dst: None,
                    dst_len: 0,
                    gateway: Some("2001:db8::2".parse().unwrap()),
                    oif: Some(3),
                    prefsrc: None,
                    metric: Some(1024),
                    table: 254,
                    protocol: 3,
                    scope: 0,
                    kind: 1,
                    flags: 0,
                    pref: Some(0),
                },
            },
            Entry::Attrs {
                link: link("root", 5, "br0"),
                before: Attrs {
                    up: Some(true),
                    mtu: None,
                    master: Some(0),
                },
            },
            Entry::Move {
                link: link("root", 5, "v1"),
                to: at("red", 9),
                to_index: 2,
            },
            Entry::Rename {
                link: link("root", 5, "a"),
                to: "b".into(),
            },
        ];
        for e in entries {
            assert_eq!(decode(&encode(&e)), Some(e));
        }
    }

    #[test]
    fn forget_lines_cancel_the_entries_before_them() {
        let made = Entry::Netns {
            name: "a".into(),
            id: NsId(1),
        };
        let text = format!("{}\n{}\nforget\n", encode(&made), encode(&made));
        assert_eq!(parse(&text), [made]);
    }
}
