//! The journal: what a run made, recorded before it is made, so that a failed or interrupted
//! run can be undone, and `vsh down SCRIPT` can remove what the runs of SCRIPT left.
//!
//! One directory a script under /run/vsh, one file a run, one line an entry. An entry whose
//! creation the kernel refused is cancelled with a `forget` line, so a file is only ever
//! appended to.

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

/// The journal of one run of a script. Each run writes its own file in the script's
/// directory under /run/vsh, so concurrent runs never touch each other's entries; `vsh down`
/// reads them all.
pub struct Journal {
    /// This run's file, if it is kept on disk.
    file: Option<(PathBuf, File)>,
    /// This run's entries, oldest first.
    entries: Vec<Entry>,
}

impl Journal {
    /// A journal kept only in memory: undo works, `vsh down` cannot find it later.
    pub fn in_memory() -> Self {
        Journal {
            file: None,
            entries: vec![],
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

    /// Starts this run's file in `dir`, named so that files sort in the order runs started.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let path = dir.join(format!("{started:024}-{}.journal", std::process::id()));
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)?;
        Ok(Journal {
            file: Some((path, file)),
            entries: vec![],
        })
    }

    /// Records an entry before the object is made.
    pub fn record(&mut self, entry: Entry) {
        if let Some((_, f)) = &mut self.file {
            // A journal that cannot be written only weakens `down`; the run goes on.
            let _ = writeln!(f, "{}", encode(&entry));
        }
        self.entries.push(entry);
    }

    /// The last recorded object was not made after all (the kernel refused it).
    pub fn forget_last(&mut self) {
        if self.entries.pop().is_some() {
            if let Some((_, f)) = &mut self.file {
                let _ = writeln!(f, "forget");
            }
        }
    }

    /// This run's entries, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// This run's objects are gone (undone), or there were none: its file goes too.
    pub fn close_run(&mut self) {
        self.entries.clear();
        if let Some((path, _)) = self.file.take() {
            let _ = std::fs::remove_file(&path);
            // The script's directory goes with its last run (not while another run has one).
            if let Some(dir) = path.parent() {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

/// The entries of every run journaled in `dir`, oldest first.
pub fn read_all(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(e),
    };
    files.sort();
    let mut entries = Vec::new();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "journal"))
    {
        entries.extend(read(f)?);
    }
    Ok(entries)
}

/// Forgets every run journaled in `dir`: their objects are gone.
pub fn remove_all(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

/// Reads one run's journal file, with its `forget` lines applied.
fn read(path: &Path) -> std::io::Result<Vec<Entry>> {
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
