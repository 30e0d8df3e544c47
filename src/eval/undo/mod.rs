//! Undoing journal entries: after a failed or interrupted run, and for `vsh down`.
//!
//! Objects the run made are removed; values it changed on older objects are put back,
//! newest first. Each step first checks that its object is still the one the journal names
//! (same namespace cookie, same ifindex): what is not is left alone, and said so.

mod neigh;
mod plan;

use super::journal::{At, Attrs, Entry, LinkAt};
use super::Evaluator;
use crate::net::addr;
use crate::net::link::{self, LinkChange, NsTarget};
use crate::net::link_more::{self, LinkMore};
use crate::net::route::{self, Route};
use crate::net::{NetError, Ns, NsId};
use crate::syntax::Span;
use nix::errno::Errno;
use plan::{plan, Step};
use std::collections::HashMap;
use std::os::fd::AsFd;

/// How one step went.
pub enum Done {
    /// Removed or put back.
    Undone(String),
    /// Nothing to do: already gone, or no longer the object the run made.
    Skipped(String),
    /// The kernel refused: the entry stays in the journal.
    Failed(String),
}

/// What undo did, step by step, and the entries it could not undo (oldest first).
pub struct Report {
    pub steps: Vec<Done>,
    pub remaining: Vec<Entry>,
}

impl Report {
    pub fn failed(&self) -> usize {
        self.steps
            .iter()
            .filter(|d| matches!(d, Done::Failed(_)))
            .count()
    }
}

/// A step's object, checked: `Err` says why the step does nothing.
type Checked<T> = std::result::Result<T, Done>;

/// How undo's lines name a namespace, as the script does: `root`, `red`.
fn place(ns: &Ns) -> String {
    ns.to_string()
}

impl Evaluator {
    /// Undoes `entries` (oldest first), newest first, touching only the objects they name.
    pub fn undo(&mut self, entries: &[Entry]) -> Report {
        let mut report = Report {
            steps: vec![],
            remaining: vec![],
        };
        let mut failed: Vec<usize> = Vec::new();
        // Namespace deletes overlap: (step, entry, name) of each queued.
        let mut deleting: Vec<(usize, usize, String)> = Vec::new();
        // Older links moved back, by identity before their move: their index now.
        let mut moved: HashMap<(NsId, u32), u32> = HashMap::new();
        for (i, mut step) in plan(entries) {
            step.remap(&moved);
            if let Step::DelNetns { name, .. } = &step {
                deleting.push((report.steps.len(), i, name.clone()));
            }
            let came_back = match &step {
                Step::MoveBack { now, back, was } => Some((now.name.clone(), back.clone(), *was)),
                // Made again under a new index.
                Step::RestoreTun { link, .. } => {
                    Some((link.name.clone(), link.at.clone(), link.index))
                }
                _ => None,
            };
            let done = self.undo_step(step);
            if let (Some((name, back, was)), Done::Undone(_)) = (came_back, &done) {
                if let Ok(sock) = self.net.route(&back.ns) {
                    if let Ok(Some(l)) = link::get(sock, &name) {
                        moved.insert((back.id, was), l.index);
                    }
                }
            }
            if matches!(done, Done::Failed(_)) {
                failed.push(i);
            }
            report.steps.push(done);
        }
        // One whose unmount failed removed nothing.
        for (name, error) in self.net.settle() {
            if let Some((at, i, _)) = deleting.iter().find(|(_, _, n)| *n == name) {
                // Deleted, but the kernel is slow to destroy its devices elsewhere: not a step
                // to retry, only a reason a rerun may find a name still taken.
                if matches!(error, NetError::StillReleasing { .. }) {
                    if let Done::Undone(line) = &mut report.steps[*at] {
                        line.push_str(&format!(" ({error})"));
                    }
                    continue;
                }
                report.steps[*at] =
                    Done::Failed(format!("cannot remove namespace {name}: {error}"));
                failed.push(*i);
            }
        }
        failed.sort();
        failed.dedup();
        report.remaining = failed.iter().map(|&i| entries[i].clone()).collect();
        report
    }

    /// Does one step (a namespace delete is queued, and settled by the caller).
    fn undo_step(&mut self, step: Step) -> Done {
        self.try_step(step).unwrap_or_else(|done| done)
    }

    /// `Err` carries how the step ended; every path ends there but a queued namespace delete.
    fn try_step(&mut self, step: Step) -> Checked<Done> {
        match step {
            Step::DelNetns { name, id, with } => self.del_netns(&name, id, &with),
            Step::DelLink(l) => {
                let what = format!("link {} in {}", l.name, place(&l.at.ns));
                self.same_link(&l, &what)?;
                let sock = self.sock(&l.at)?;
                Err(done(
                    link::del(sock, l.index),
                    format!("removed {what}"),
                    format!("cannot remove {what}"),
                ))
            }
            Step::DelAddr { link, prefix } => {
                let what = format!(
                    "address {prefix} from {} in {}",
                    link.name,
                    place(&link.at.ns)
                );
                self.same_link(&link, &what)?;
                let sock = self.sock(&link.at)?;
                Err(done(
                    addr::del(sock, link.index, &prefix),
                    format!("removed {what}"),
                    format!("cannot remove {what}"),
                ))
            }
            Step::DelRoute { at, spec } => {
                let dst = spec.dst.map_or("default".into(), |p| p.to_string());
                let what = format!("route {dst} in {}", place(&at.ns));
                self.same_ns(&at, &what)?;
                let sock = self.sock(&at)?;
                Err(done(
                    route::del(sock, &spec),
                    format!("removed {what}"),
                    format!("cannot remove {what}"),
                ))
            }
            Step::RestoreAddr { link, addr: a } => {
                let what = format!(
                    "address {} on {} in {}",
                    a.prefix,
                    link.name,
                    place(&link.at.ns)
                );
                self.same_link(&link, &what)?;
                let sock = self.sock(&link.at)?;
                Err(restored(
                    addr::restore(sock, link.index, &a),
                    format!("put back {what}"),
                    format!("cannot put back {what}"),
                ))
            }
            Step::RestoreRoute { at, route: r } => self.restore_route(&at, &r),
            Step::RestoreAttrs { link, before } => self.restore_attrs(&link, &before),
            Step::MoveBack { now, back, .. } => self.move_back(&now, &back),
            Step::DelNeigh { link, dst, proxy } => self.del_neigh(&link, dst, proxy),
            Step::RestoreNeigh { link, neigh } => self.restore_neigh(&link, &neigh),
            Step::RestoreTun { link, dev } => self.restore_tun(&link, &dev),
            Step::RenameBack { now, back } => {
                let what = format!("link {} back to {back} in {}", now.name, place(&now.at.ns));
                self.same_link(&now, &format!("link {}", now.name))?;
                let sock = self.sock(&now.at)?;
                Err(done(
                    link::rename(sock, now.index, &back),
                    format!("renamed {what}"),
                    format!("cannot rename {what}"),
                ))
            }
        }
    }

    /// Queues the delete of a namespace the run made (settled by the caller).
    fn del_netns(&mut self, name: &str, id: NsId, with: &[String]) -> Checked<Done> {
        let ns = Ns::Named(name.to_string());
        self.same_ns(&At { ns, id }, &format!("namespace {name}"))?;
        self.net
            .del(name)
            .map_err(|e| refused(format!("cannot remove namespace {name}"), e))?;
        Ok(Done::Undone(match with {
            [] => format!("removed namespace {name}"),
            w => format!("removed namespace {name}, and with it {}", w.join(", ")),
        }))
    }

    /// Puts back a route the run deleted or replaced.
    fn restore_route(&mut self, at: &At, r: &Route) -> Checked<Done> {
        let dst = match r.dst {
            Some(d) => format!("{d}/{}", r.dst_len),
            None => "default".into(),
        };
        let what = format!("route {dst} in {}", place(&at.ns));
        self.same_ns(at, &what)?;
        let sock = self.sock(at)?;
        Err(restored(
            route::restore(sock, r),
            format!("put back {what}"),
            format!("cannot put back {what}"),
        ))
    }

    /// Puts back a link's state, MTU and master as they were before the run.
    fn restore_attrs(&mut self, link: &LinkAt, before: &Attrs) -> Checked<Done> {
        let what = format!("{} in {}", link.name, place(&link.at.ns));
        self.same_link(link, &what)?;
        let sock = self.sock(&link.at)?;
        let change = LinkChange {
            up: before.up,
            mtu: before.mtu,
            master: before.master,
        };
        let result = link_more::change_more(sock, link.index, change, &more_of(before))
            .and_then(|()| restore_altnames(sock, link.index, before));
        Err(restored(
            result,
            format!("put back {}", describe(before, &what)),
            format!("cannot put back {}", describe(before, &what)),
        ))
    }

    /// Moves an older link the run moved back to the namespace it came from.
    fn move_back(&mut self, now: &LinkAt, back: &At) -> Checked<Done> {
        let what = format!("link {} back to {}", now.name, place(&back.ns));
        self.same_link(now, &format!("link {} in {}", now.name, place(&now.at.ns)))?;
        self.same_ns(
            back,
            &format!("{} (to move {} back)", place(&back.ns), now.name),
        )?;
        let fd = self
            .net
            .fd(&back.ns)
            .and_then(|fd| {
                fd.try_clone_to_owned()
                    .map_err(|e| NetError::io("dup namespace fd", &e))
            })
            .map_err(|e| refused(format!("cannot move {what}"), e))?;
        let sock = self.sock(&now.at)?;
        Err(done(
            link::set_netns(sock, now.index, NsTarget::Fd(fd.as_fd())),
            format!("moved {what}"),
            format!("cannot move {what}"),
        ))
    }

    /// The route socket of a namespace already checked to be the journal's: the evaluator's
    /// own, with its message, as a step that failed.
    fn sock(&mut self, at: &At) -> Checked<&mut crate::net::netlink::RouteSocket> {
        self.socket(&at.ns, Span::default())
            .map_err(|e| Done::Failed(e.to_string()))
    }

    /// Checks that `at` still names the namespace the journal saw.
    fn same_ns(&mut self, at: &At, what: &str) -> Checked<()> {
        match self.net.identity(&at.ns) {
            Ok(Some(id)) if id == at.id => Ok(()),
            Ok(Some(_)) => Err(Done::Skipped(format!(
                "left {what} alone: namespace {} is not the one the run saw (deleted and made again since)",
                place(&at.ns)
            ))),
            Ok(None) => Err(Done::Skipped(format!(
                "{what}: namespace {} is gone already",
                place(&at.ns)
            ))),
            Err(e) => Err(Done::Failed(format!("cannot check {what}: {e}"))),
        }
    }

    /// As [`Self::same_link`]; a proxy entry without a device only needs its namespace.
    fn same_neigh_link(&mut self, l: &LinkAt, what: &str) -> Checked<()> {
        match l.index {
            0 => self.same_ns(&l.at, what),
            _ => self.same_link(l, what),
        }
    }

    /// Checks that the link the journal names is still there, in the same namespace.
    fn same_link(&mut self, l: &LinkAt, what: &str) -> Checked<()> {
        self.same_ns(&l.at, what)?;
        let sock = self.sock(&l.at)?;
        match link::get_index(sock, l.index) {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(Done::Skipped(format!("{what}: the link is gone already"))),
            Err(e) => Err(Done::Failed(format!("cannot check {what}: {e}"))),
        }
    }
}

/// " on DEV", or nothing for a proxy entry without a device.
fn on(l: &LinkAt) -> String {
    match l.index {
        0 => String::new(),
        _ => format!(" on {}", l.name),
    }
}

/// A step's result: done, already gone (not an error for undo), or refused.
fn done(result: crate::net::Result<()>, ok: String, failed: String) -> Done {
    match result {
        Ok(()) => Done::Undone(ok),
        Err(e) => match e.errno() {
            // Already as undo wants it: the object went, or the value is back.
            Some(Errno::ENODEV | Errno::ESRCH | Errno::EADDRNOTAVAIL) => {
                Done::Skipped(format!("{failed}: gone already"))
            }
            _ => Done::Failed(format!("{failed}: {e}")),
        },
    }
}

/// A put-back's result: as [`done`], but a value already there is no failure (it was saved
/// in case the change took it away, and it did not): nothing to say.
fn restored(result: crate::net::Result<()>, ok: String, failed: String) -> Done {
    match result {
        Err(e) if e.errno() == Some(Errno::EEXIST) => Done::Skipped(String::new()),
        other => done(other, ok, failed),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn refused(what: String, e: NetError) -> Done {
    Done::Failed(format!("{what}: {e}"))
}

/// The attributes beyond state, MTU and master that `a` puts back.
fn more_of(a: &Attrs) -> LinkMore {
    let (mask, flags) = a.flags.unwrap_or_default();
    LinkMore {
        // A device that had no address had none to put back.
        address: a.address.clone().filter(|b| !b.is_empty()),
        broadcast: a.broadcast.clone().filter(|b| !b.is_empty()),
        alias: a.alias.clone(),
        mask,
        flags,
        txqlen: a.txqlen,
        group: a.group,
        bridge: (!a.bridge.is_empty()).then(|| a.bridge.clone()),
    }
}

/// Removes the altnames added since `a` was saved and adds back those removed.
fn restore_altnames(
    sock: &mut crate::net::netlink::RouteSocket,
    index: u32,
    a: &Attrs,
) -> crate::net::Result<()> {
    let Some(before) = &a.altnames else {
        return Ok(());
    };
    let now = link::get_index(sock, index)?.map_or_else(Vec::new, |l| l.altnames);
    let added: Vec<String> = now
        .iter()
        .filter(|n| !before.contains(n))
        .cloned()
        .collect();
    let removed: Vec<String> = before
        .iter()
        .filter(|n| !now.contains(n))
        .cloned()
        .collect();
    if !added.is_empty() {
        link_more::altnames(sock, index, false, &added)?;
    }
    if !removed.is_empty() {
        link_more::altnames(sock, index, true, &removed)?;
    }
    Ok(())
}

/// "mtu 1500, down, no master on v0 in the root namespace"
fn describe(a: &Attrs, what: &str) -> String {
    let mut parts = Vec::new();
    if let Some(hw) = &a.address {
        parts.push(format!("address {}", hex(hw)));
    }
    if let Some(brd) = &a.broadcast {
        parts.push(format!("broadcast {}", hex(brd)));
    }
    if let Some(alias) = &a.alias {
        parts.push(match alias.as_str() {
            "" => "no alias".to_string(),
            text => format!("alias \"{text}\""),
        });
    }
    if let Some((mask, flags)) = a.flags {
        for (bit, name, on_when_set) in [
            (link_more::IFF_NOARP, "arp", false),
            (link_more::IFF_MULTICAST, "multicast", true),
            (link_more::IFF_ALLMULTI, "allmulticast", true),
            (link_more::IFF_PROMISC, "promisc", true),
        ] {
            if mask & bit != 0 {
                let on = (flags & bit != 0) == on_when_set;
                parts.push(format!("{name} {}", if on { "on" } else { "off" }));
            }
        }
    }
    if let Some(q) = a.txqlen {
        parts.push(format!("txqueuelen {q}"));
    }
    if let Some(g) = a.group {
        parts.push(format!("group {g}"));
    }
    for o in &a.bridge {
        let (name, value) = o.name_value();
        parts.push(format!("{name} {value}"));
    }
    if let Some(names) = &a.altnames {
        parts.push(match names.as_slice() {
            [] => "no altnames".to_string(),
            n => format!("altnames {}", n.join(", ")),
        });
    }
    if let Some(mtu) = a.mtu {
        parts.push(format!("mtu {mtu}"));
    }
    if let Some(m) = a.master {
        parts.push(if m == 0 {
            "no master".to_string()
        } else {
            format!("master if{m}")
        });
    }
    if let Some(up) = a.up {
        parts.push(if up { "up" } else { "down" }.to_string());
    }
    format!("{} of {what}", parts.join(", "))
}
