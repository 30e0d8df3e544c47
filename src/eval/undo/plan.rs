//! What undo does, worked out from the journal before anything is touched: one step per
//! entry still to undo, newest first, with what the run made followed through its moves and
//! renames, and what lies inside something the run made left to go with it.

use super::super::journal::{At, Attrs, Entry, LinkAt};
use crate::net::addr::{Address, Prefix};
use crate::net::neighbours::Neighbour;
use crate::net::route::{Route, RouteSpec};
use crate::net::tuntap::TunDevice;
use crate::net::NsId;
use std::collections::HashMap;

/// One step of undoing.
#[derive(Debug)]
pub(super) enum Step {
    /// `with`: veths elsewhere whose other end is inside, which go with it.
    DelNetns {
        name: String,
        id: NsId,
        with: Vec<String>,
    },
    /// A link this run made, where it is now.
    DelLink(LinkAt),
    DelAddr {
        link: LinkAt,
        prefix: Prefix,
    },
    DelRoute {
        at: At,
        spec: RouteSpec,
    },
    RestoreAddr {
        link: LinkAt,
        addr: Address,
    },
    RestoreRoute {
        at: At,
        route: Route,
    },
    RestoreAttrs {
        link: LinkAt,
        before: Attrs,
    },
    /// An older link the run moved: `now` is where it went, `back` where it came from.
    /// `was`: its index where it came from (the kernel gives it another if that is taken).
    MoveBack {
        now: LinkAt,
        back: At,
        was: u32,
    },
    RenameBack {
        now: LinkAt,
        back: String,
    },
    /// A neighbour entry the run made.
    DelNeigh {
        link: LinkAt,
        dst: std::net::IpAddr,
        proxy: bool,
    },
    /// A neighbour entry as it was before the run changed or removed it.
    RestoreNeigh {
        link: LinkAt,
        neigh: Neighbour,
    },
    /// An older tun or tap device the run deleted: made again.
    RestoreTun {
        link: LinkAt,
        dev: TunDevice,
    },
}

impl Step {
    /// Follows links that came back from a move under another index.
    pub(super) fn remap(&mut self, moved: &HashMap<(NsId, u32), u32>) {
        let fix = |id: NsId, index: &mut u32| {
            if let Some(&now) = moved.get(&(id, *index)) {
                *index = now;
            }
        };
        match self {
            Step::DelNetns { .. } => {}
            Step::DelLink(l)
            | Step::DelAddr { link: l, .. }
            | Step::RestoreAddr { link: l, .. }
            | Step::RestoreAttrs { link: l, .. }
            | Step::MoveBack { now: l, .. }
            | Step::RenameBack { now: l, .. } => fix(l.at.id, &mut l.index),
            Step::DelNeigh { link: l, .. } => fix(l.at.id, &mut l.index),
            // Its index is the one it had: what the steps after it follow.
            Step::RestoreTun { .. } => {}
            Step::RestoreNeigh { link: l, neigh } => {
                fix(l.at.id, &mut l.index);
                neigh.index = l.index;
            }
            Step::RestoreRoute { route, at } => {
                if let Some(oif) = &mut route.oif {
                    fix(at.id, oif)
                }
            }
            Step::DelRoute { spec, at } => {
                if let Some(oif) = &mut spec.oif {
                    fix(at.id, oif)
                }
            }
        }
    }

    /// The namespace the step acts in.
    fn ns_id(&self) -> NsId {
        match self {
            Step::DelNetns { id, .. } => *id,
            Step::DelLink(l)
            | Step::DelAddr { link: l, .. }
            | Step::RestoreAddr { link: l, .. }
            | Step::RestoreAttrs { link: l, .. }
            | Step::MoveBack { now: l, .. }
            | Step::RenameBack { now: l, .. }
            | Step::DelNeigh { link: l, .. }
            | Step::RestoreNeigh { link: l, .. }
            | Step::RestoreTun { link: l, .. } => l.at.id,
            Step::DelRoute { at, .. } | Step::RestoreRoute { at, .. } => at.id,
        }
    }

    /// The link the step acts on, by identity.
    fn link_key(&self) -> Option<(NsId, u32)> {
        match self {
            Step::DelLink(l)
            | Step::DelAddr { link: l, .. }
            | Step::RestoreAddr { link: l, .. }
            | Step::RestoreAttrs { link: l, .. }
            | Step::MoveBack { now: l, .. }
            | Step::RenameBack { now: l, .. }
            | Step::RestoreTun { link: l, .. } => Some(l.key()),
            // A proxy entry without a device (index 0) goes with no link.
            Step::DelNeigh { link: l, .. } | Step::RestoreNeigh { link: l, .. } => {
                (l.index != 0).then(|| l.key())
            }
            Step::RestoreRoute { route, at } => route.oif.map(|i| (at.id, i)),
            Step::DelRoute { spec, at } => spec.oif.map(|i| (at.id, i)),
            Step::DelNetns { .. } => None,
        }
    }
}

/// Works out the steps from entries given oldest first, each with the index of the entry it
/// undoes, newest first. A link made and then moved or renamed is deleted where it ended up;
/// whatever is inside something the run made goes with it and needs no step of its own.
pub(super) fn plan(entries: &[Entry]) -> Vec<(usize, Step)> {
    let mut p = Planner::default();
    for (i, e) in entries.iter().enumerate() {
        if let Some(step) = p.step(e) {
            p.steps.push(Some((i, step)));
        }
    }
    p.prune()
}

/// What the walk over the journal knows so far.
#[derive(Default)]
struct Planner {
    /// Each entry's step, with the entry's index; `None` once it has nothing left to undo.
    steps: Vec<Option<(usize, Step)>>,
    /// Namespaces this run made: by identity, to the index of their step.
    made_ns: HashMap<NsId, usize>,
    /// Links this run made, likewise; a veth's peer has no step of its own: it goes with the
    /// pair.
    made_links: HashMap<(NsId, u32), Option<usize>>,
    /// The two ends of each veth the run made, both ways, wherever they are now.
    pairs: HashMap<(NsId, u32), (NsId, u32)>,
    last_made: Option<(NsId, u32)>,
}

impl Planner {
    /// The step that undoes `e`; `None` if it needs none of its own (it changes the steps
    /// already planned).
    fn step(&mut self, e: &Entry) -> Option<Step> {
        Some(match e {
            Entry::Netns { name, id } => {
                self.made_ns.insert(*id, self.steps.len());
                Step::DelNetns {
                    name: name.clone(),
                    id: *id,
                    with: vec![],
                }
            }
            Entry::NetnsDeleted { id, .. } => {
                self.netns_deleted(*id);
                return None;
            }
            Entry::Link(l) => {
                self.made_links.insert(l.key(), Some(self.steps.len()));
                self.last_made = Some(l.key());
                Step::DelLink(l.clone())
            }
            Entry::Peer(l) => {
                self.made_links.insert(l.key(), None);
                // Journaled right after the veth it is the other end of.
                if let Some(end) = self.last_made {
                    self.pairs.insert(end, l.key());
                    self.pairs.insert(l.key(), end);
                }
                return None;
            }
            Entry::LinkDeleted(l) => {
                // A veth takes its other end with it.
                if let Some(other) = self.pairs.get(&l.key()).copied() {
                    self.gone(other);
                }
                self.gone(l.key());
                return None;
            }
            Entry::Addr { link, prefix } => Step::DelAddr {
                link: link.clone(),
                prefix: *prefix,
            },
            Entry::AddrSaved { link, addr } => Step::RestoreAddr {
                link: link.clone(),
                addr: addr.clone(),
            },
            Entry::Route { at, spec } => Step::DelRoute {
                at: at.clone(),
                spec: spec.clone(),
            },
            Entry::RouteSaved { at, route } => Step::RestoreRoute {
                at: at.clone(),
                route: route.clone(),
            },
            Entry::Attrs { link, before } => Step::RestoreAttrs {
                link: link.clone(),
                before: before.clone(),
            },
            Entry::Neigh { link, dst, proxy } => Step::DelNeigh {
                link: link.clone(),
                dst: *dst,
                proxy: *proxy,
            },
            Entry::NeighSaved { link, neigh } => Step::RestoreNeigh {
                link: link.clone(),
                neigh: neigh.clone(),
            },
            Entry::TunSaved { link, dev } => Step::RestoreTun {
                link: link.clone(),
                dev: dev.clone(),
            },
            Entry::Move { link, to, to_index } => return self.moved(link, to, *to_index),
            Entry::Rename { link, to } => return self.renamed(link, to),
        })
    }

    /// A namespace deleted: gone with all it held, and the veths whose other end it held;
    /// nothing of them is left to undo.
    fn netns_deleted(&mut self, id: NsId) {
        if let Some(s) = self.made_ns.remove(&id) {
            self.steps[s] = None;
        }
        let inside: Vec<_> = self.pairs.keys().filter(|k| k.0 == id).copied().collect();
        for key in inside {
            if let Some(other) = self.pairs.get(&key).copied() {
                self.gone(other);
            }
        }
        for s in self.steps.iter_mut() {
            if s.as_ref().is_some_and(|(_, st)| st.ns_id() == id) {
                *s = None;
            }
        }
    }

    /// A link moved to `to`: one the run made is followed (and deleted where it ends up), an
    /// older one is moved back.
    fn moved(&mut self, link: &LinkAt, to: &At, to_index: u32) -> Option<Step> {
        let now = LinkAt {
            at: to.clone(),
            index: to_index,
            name: link.name.clone(),
        };
        if let Some(other) = self.pairs.remove(&link.key()) {
            self.pairs.insert(other, now.key());
            self.pairs.insert(now.key(), other);
        }
        if let Some(s) = self.made_links.remove(&link.key()) {
            if let Some((_, Step::DelLink(l))) = s.and_then(|s| self.steps[s].as_mut()) {
                *l = now.clone();
            }
            self.made_links.insert(now.key(), s);
            return None;
        }
        Some(Step::MoveBack {
            now,
            back: link.at.clone(),
            was: link.index,
        })
    }

    /// A link renamed: one the run made is deleted by its new name, an older one renamed back.
    fn renamed(&mut self, link: &LinkAt, to: &str) -> Option<Step> {
        if let Some(&s) = self.made_links.get(&link.key()) {
            if let Some((_, Step::DelLink(l))) = s.and_then(|s| self.steps[s].as_mut()) {
                l.name = to.to_string();
            }
            return None;
        }
        Some(Step::RenameBack {
            now: LinkAt {
                name: to.to_string(),
                ..link.clone()
            },
            back: link.name.clone(),
        })
    }

    /// A link the run made is gone (deleted, or with its namespace): nothing of it to undo.
    fn gone(&mut self, key: (NsId, u32)) {
        self.made_links.remove(&key);
        for s in self.steps.iter_mut() {
            if s.as_ref().is_some_and(|(_, st)| st.link_key() == Some(key)) {
                *s = None;
            }
        }
    }

    /// The steps left once those inside what the run made (which go with it) are dropped,
    /// newest first.
    fn prune(mut self) -> Vec<(usize, Step)> {
        let mut out: Vec<(usize, Step)> = Vec::new();
        let mut with: HashMap<NsId, Vec<String>> = HashMap::new();
        for (pos, s) in std::mem::take(&mut self.steps).into_iter().enumerate() {
            let Some((i, step)) = s else { continue };
            if !self.redundant(pos, &step, &mut with) {
                out.push((i, step));
            }
        }
        for (_, step) in out.iter_mut() {
            if let Step::DelNetns { id, with: w, .. } = step {
                *w = with.remove(id).unwrap_or_default();
            }
        }
        out.reverse();
        out
    }

    /// Whether the step at `pos` goes with something the run made. A veth whose other end is
    /// in a namespace the run made is noted in `with`, for that namespace's step to name.
    fn redundant(&self, pos: usize, step: &Step, with: &mut HashMap<NsId, Vec<String>>) -> bool {
        let own = match step {
            Step::DelNetns { id, .. } => self.made_ns.get(id) == Some(&pos),
            Step::DelLink(l) => self.made_links.get(&l.key()) == Some(&Some(pos)),
            _ => false,
        };
        let made_ns = &self.made_ns;
        // A step inside what the run made goes with it; moving an older link back out of a
        // namespace the run made still has to happen before that namespace goes.
        match step {
            Step::DelNetns { .. } | Step::MoveBack { .. } => false,
            // A veth whose other end is in a namespace the run made goes with it: the
            // kernel destroys namespaces in batches, far faster than links one by one.
            Step::DelLink(l) => {
                let other_end = self
                    .pairs
                    .get(&l.key())
                    .filter(|p| made_ns.contains_key(&p.0));
                if let (true, false, Some(p)) = (own, made_ns.contains_key(&l.at.id), other_end) {
                    with.entry(p.0)
                        .or_default()
                        .push(format!("veth {} in {}", l.name, l.at.ns));
                }
                !own || made_ns.contains_key(&step.ns_id()) || other_end.is_some()
            }
            _ => {
                made_ns.contains_key(&step.ns_id())
                    || step
                        .link_key()
                        .is_some_and(|k| self.made_links.contains_key(&k))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ns: &str, id: u64) -> At {
        At::test(ns, id)
    }

    fn link(ns: &str, id: u64, index: u32, name: &str) -> LinkAt {
        LinkAt::test(ns, id, index, name)
    }

    fn names(entries: &[Entry]) -> Vec<String> {
        plan(entries)
            .iter()
            .map(|(_, s)| match s {
                Step::MoveBack { now, .. } => format!("back {}", now.name),
                Step::DelLink(l) => format!("del {} in {}", l.name, l.at.ns),
                Step::DelNetns { name, .. } => format!("del ns {name}"),
                Step::RestoreAttrs { link, .. } => format!("attrs {}", link.name),
                Step::RenameBack { back, .. } => format!("rename to {back}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_made_link_is_deleted_where_it_ended_up_and_an_older_one_goes_back() {
        let entries = [
            Entry::Netns {
                name: "red".into(),
                id: NsId(2),
            },
            Entry::Link(link("root", 1, 5, "a")),
            Entry::Move {
                link: link("root", 1, 5, "a"),
                to: at("red", 2),
                to_index: 3,
            },
            Entry::Rename {
                link: link("red", 2, 3, "a"),
                to: "b".into(),
            },
            Entry::Attrs {
                link: link("root", 1, 4, "old"),
                before: Attrs::default(),
            },
            Entry::Move {
                link: link("root", 1, 4, "old"),
                to: at("red", 2),
                to_index: 4,
            },
            Entry::Attrs {
                link: link("red", 2, 4, "old"),
                before: Attrs::default(),
            },
        ];
        // The made link went with red; the older one comes back out before red goes, and its
        // attributes in red need no undoing (red goes), those before the move do.
        assert_eq!(names(&entries), ["back old", "attrs old", "del ns red"]);
        // A pair with one end in red goes with red, wherever its other end is.
        let pair = [
            Entry::Netns {
                name: "red".into(),
                id: NsId(2),
            },
            Entry::Link(link("root", 1, 5, "v1")),
            Entry::Peer(link("root", 1, 6, "e1")),
            Entry::Move {
                link: link("root", 1, 6, "e1"),
                to: at("red", 2),
                to_index: 2,
            },
        ];
        assert_eq!(names(&pair), ["del ns red"]);
    }

    #[test]
    fn what_the_run_made_and_deleted_is_not_undone() {
        let entries = [
            Entry::Netns {
                name: "ncj".into(),
                id: NsId(9),
            },
            Entry::NetnsDeleted {
                name: "ncj".into(),
                id: NsId(9),
            },
            Entry::Link(link("root", 1, 7, "v")),
            Entry::LinkDeleted(link("root", 1, 7, "v")),
        ];
        assert!(names(&entries).is_empty());
    }

    #[test]
    fn a_veth_goes_with_the_namespace_its_other_end_was_in() {
        let entries = [
            Entry::Netns {
                name: "red".into(),
                id: NsId(2),
            },
            Entry::Link(link("root", 1, 5, "a")),
            Entry::Peer(link("red", 2, 2, "b")),
            Entry::Link(link("root", 1, 6, "c")),
            Entry::Peer(link("root", 1, 7, "d")),
            Entry::Move {
                link: link("root", 1, 7, "d"),
                to: at("red", 2),
                to_index: 3,
            },
            Entry::NetnsDeleted {
                name: "red".into(),
                id: NsId(2),
            },
        ];
        assert!(names(&entries).is_empty(), "{:?}", names(&entries));
    }

    #[test]
    fn changes_to_a_made_link_need_no_step() {
        let entries = [
            Entry::Link(link("root", 1, 7, "v")),
            Entry::Attrs {
                link: link("root", 1, 7, "v"),
                before: Attrs::default(),
            },
            Entry::Rename {
                link: link("root", 1, 7, "v"),
                to: "w".into(),
            },
            Entry::Rename {
                link: link("root", 1, 8, "x"),
                to: "y".into(),
            },
        ];
        assert_eq!(names(&entries), ["rename to x", "del w in root"]);
    }
}
