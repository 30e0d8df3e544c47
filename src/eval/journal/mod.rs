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

mod text;

use crate::net::addr::{Address, Prefix};
use crate::net::neighbours::Neighbour;
use crate::net::route::{Route, RouteSpec};
use crate::net::tuntap::TunDevice;
use crate::net::{Ns, NsId};
use nix::fcntl::{Flock, FlockArg};
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use text::{encode, parse};

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

#[cfg(test)]
impl At {
    /// `root`, or a named namespace, with a made-up identity.
    pub fn test(ns: &str, id: u64) -> At {
        let ns = match ns {
            "root" => Ns::Root,
            name => Ns::Named(name.into()),
        };
        At { ns, id: NsId(id) }
    }
}

impl LinkAt {
    #[cfg(test)]
    pub fn test(ns: &str, id: u64, index: u32, name: &str) -> LinkAt {
        LinkAt {
            at: At::test(ns, id),
            index,
            name: name.into(),
        }
    }

    /// What identifies the link while it stays in its namespace.
    pub fn key(&self) -> (NsId, u32) {
        (self.at.id, self.index)
    }
}

/// A link's attributes before a change: only those the change touches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attrs {
    pub up: Option<bool>,
    pub mtu: Option<u32>,
    /// The bridge's ifindex; 0 for none.
    pub master: Option<u32>,
    /// The hardware address (empty: none).
    pub address: Option<Vec<u8>>,
    /// The hardware broadcast address (empty: none).
    pub broadcast: Option<Vec<u8>>,
    /// The alias (empty: none).
    pub alias: Option<String>,
    /// IFF_* bits a change touched, and their values then: (mask, flags).
    pub flags: Option<(u32, u32)>,
    pub txqlen: Option<u32>,
    pub group: Option<u32>,
    /// A bridge's options a change touched, with their values then.
    pub bridge: Vec<crate::net::link::BridgeOpt>,
    /// Every alternative name, before names were added or removed.
    pub altnames: Option<Vec<String>>,
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
    /// A neighbour entry the run made; `link.index` 0 for a proxy entry without a device.
    Neigh {
        link: LinkAt,
        dst: std::net::IpAddr,
        proxy: bool,
    },
    /// A neighbour entry as it was before a change that overwrites or removes it.
    NeighSaved { link: LinkAt, neigh: Neighbour },
    /// A tun or tap device the run deleted that it did not make, as it was: undo makes it
    /// again (under another ifindex, which the steps after it follow).
    TunSaved { link: LinkAt, dev: TunDevice },
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
