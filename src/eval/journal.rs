//! The journal: what a run made, recorded before it is made, so that a failed or interrupted
//! run can be undone, and `vsh down SCRIPT` can remove what the last run of SCRIPT left.
//!
//! One file a script under /run/vsh, one line an entry. A run starts with a `run PID` line;
//! an entry whose creation the kernel refused is cancelled with a `forget` line, so the file
//! can be appended to without rewriting it.

use crate::net::Ns;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where journals live, like iproute2's /run/netns.
pub const JOURNAL_DIR: &str = "/run/vsh";

/// Something a run made (or changed in a way that must be put back).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A namespace in /run/netns (made, or pinned with `netns attach`).
    Netns(String),
    /// A link made in `ns`.
    Link { ns: Ns, name: String },
    /// An address added to a device.
    Addr { ns: Ns, dev: String, prefix: String },
    /// A route added, as `route_text` writes it.
    Route { ns: Ns, spec: String },
    /// A link moved between namespaces; put back on undo unless this run made it.
    Move { name: String, from: Ns, to: Ns },
    /// A link renamed; named back on undo.
    Rename { ns: Ns, from: String, to: String },
}

/// The journal of one script, with the entries of this run kept apart.
pub struct Journal {
    path: Option<PathBuf>,
    file: Option<File>,
    entries: Vec<Entry>,
    /// Index of this run's first entry.
    run_start: usize,
}

impl Journal {
    /// A journal kept only in memory: undo works, `vsh down` cannot find it later.
    pub fn in_memory() -> Self {
        Journal {
            path: None,
            file: None,
            entries: vec![],
            run_start: 0,
        }
    }

    /// The journal file of `key` (a script's absolute path, or a `--name`).
    pub fn path_for(key: &str) -> PathBuf {
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
        Path::new(JOURNAL_DIR).join(format!("{stem}-{hash:016x}.journal"))
    }

    /// Opens (creating) the journal at `path` and starts a new run in it. Entries of earlier
    /// runs that were not removed stay, for `vsh down`.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(JOURNAL_DIR)?;
        let entries = read(path)?;
        let mut file = OpenOptions::new().create(true).append(true).open(path)?;
        writeln!(file, "run {}", std::process::id())?;
        Ok(Journal {
            path: Some(path.to_path_buf()),
            file: Some(file),
            run_start: entries.len(),
            entries,
        })
    }

    /// Records an entry before the object is made.
    pub fn record(&mut self, entry: Entry) {
        if let Some(f) = &mut self.file {
            // A journal that cannot be written only weakens `down`; the run goes on.
            let _ = writeln!(f, "{}", encode(&entry));
        }
        self.entries.push(entry);
    }

    /// The last recorded object was not made after all (the kernel refused it).
    pub fn forget_last(&mut self) {
        if self.entries.len() > self.run_start && self.entries.pop().is_some() {
            if let Some(f) = &mut self.file {
                let _ = writeln!(f, "forget");
            }
        }
    }

    /// Whether this run made the link `name` in `ns` (it may have moved since).
    pub fn made_link(&self, name: &str) -> bool {
        self.entries[self.run_start..]
            .iter()
            .any(|e| matches!(e, Entry::Link { name: n, .. } if n == name))
    }

    /// This run's entries, newest first.
    pub fn this_run(&self) -> Vec<Entry> {
        self.entries[self.run_start..]
            .iter()
            .rev()
            .cloned()
            .collect()
    }

    /// Every entry in the journal, newest first.
    pub fn all(&self) -> Vec<Entry> {
        self.entries.iter().rev().cloned().collect()
    }

    /// Drops this run's entries (they were undone), keeping earlier runs' for `vsh down`.
    pub fn close_run(&mut self) {
        self.entries.truncate(self.run_start);
        self.rewrite();
    }

    /// Drops every entry: the journal's objects are gone.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.run_start = 0;
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
        self.file = None;
    }

    fn rewrite(&mut self) {
        let Some(path) = &self.path else { return };
        if self.entries.is_empty() {
            let _ = std::fs::remove_file(path);
            self.file = None;
            return;
        }
        let text: String = self
            .entries
            .iter()
            .map(|e| encode(e) + "\n")
            .collect::<String>();
        let tmp = path.with_extension("tmp");
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, path);
        }
    }
}

/// Reads a journal file: entries of all runs, with `forget` lines applied.
pub fn read(path: &Path) -> std::io::Result<Vec<Entry>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(e),
    };
    let mut entries = Vec::new();
    for line in text.lines() {
        if line == "forget" {
            entries.pop();
        } else if let Some(e) = decode(line) {
            entries.push(e);
        }
    }
    Ok(entries)
}

fn ns_text(ns: &Ns) -> String {
    match ns {
        Ns::Root => "@root".to_string(),
        Ns::Named(n) => esc(n),
    }
}

fn ns_parse(s: &str) -> Ns {
    if s == "@root" {
        Ns::Root
    } else {
        Ns::Named(unesc(s))
    }
}

fn encode(e: &Entry) -> String {
    match e {
        Entry::Netns(n) => format!("netns {}", esc(n)),
        Entry::Link { ns, name } => format!("link {} {}", ns_text(ns), esc(name)),
        Entry::Addr { ns, dev, prefix } => {
            format!("addr {} {} {}", ns_text(ns), esc(dev), esc(prefix))
        }
        Entry::Route { ns, spec } => format!("route {} {}", ns_text(ns), esc(spec)),
        Entry::Move { name, from, to } => {
            format!("move {} {} {}", esc(name), ns_text(from), ns_text(to))
        }
        Entry::Rename { ns, from, to } => {
            format!("rename {} {} {}", ns_text(ns), esc(from), esc(to))
        }
    }
}

fn decode(line: &str) -> Option<Entry> {
    let w: Vec<&str> = line.split(' ').collect();
    Some(match w.as_slice() {
        ["netns", n] => Entry::Netns(unesc(n)),
        ["link", ns, name] => Entry::Link {
            ns: ns_parse(ns),
            name: unesc(name),
        },
        ["addr", ns, dev, prefix] => Entry::Addr {
            ns: ns_parse(ns),
            dev: unesc(dev),
            prefix: unesc(prefix),
        },
        ["route", ns, spec] => Entry::Route {
            ns: ns_parse(ns),
            spec: unesc(spec),
        },
        ["move", name, from, to] => Entry::Move {
            name: unesc(name),
            from: ns_parse(from),
            to: ns_parse(to),
        },
        ["rename", ns, from, to] => Entry::Rename {
            ns: ns_parse(ns),
            from: unesc(from),
            to: unesc(to),
        },
        _ => return None,
    })
}

/// Names may hold spaces (namespace names can); `%` escapes keep one entry a line of words.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' | ' ' | '\n' | '\t' | '@' => out.push_str(&format!("%{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn unesc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            let hex: String = chars.by_ref().take(2).collect();
            if let Ok(n) = u8::from_str_radix(&hex, 16) {
                out.push(char::from(n));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_through_text() {
        let entries = [
            Entry::Netns("my lab@1%".into()),
            Entry::Link {
                ns: Ns::Root,
                name: "veth0".into(),
            },
            Entry::Addr {
                ns: Ns::Named("red".into()),
                dev: "veth1".into(),
                prefix: "2001:db8::1/64".into(),
            },
            Entry::Move {
                name: "veth1".into(),
                from: Ns::Root,
                to: Ns::Named("red".into()),
            },
            Entry::Rename {
                ns: Ns::Root,
                from: "a".into(),
                to: "b".into(),
            },
            Entry::Route {
                ns: Ns::Root,
                spec: "4 10.2.0.0/24 10.1.1.1 veth0 - -".into(),
            },
        ];
        for e in entries {
            assert_eq!(decode(&encode(&e)), Some(e));
        }
    }
}
