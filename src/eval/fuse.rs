//! Look-ahead over two consecutive statements: a veth pair made, then its peer moved.
//!
//! ```text
//! link add v1 type veth peer name e1      (or: veth v1 peer e1)
//! link set e1 netns h1
//! ```
//! is how the document (and most lab scripts) puts one end of a pair into a namespace. Moving
//! a link costs the kernel ~16 ms (it waits for RCU grace periods); creating the peer directly
//! inside h1 (IFLA_NET_NS_FD on the peer) ~0.4 ms. So when the second statement follows the
//! first and only moves the new peer, both run as that one request.
//!
//! Fusion must change no observable result: the same names in the same namespaces, the same
//! state (a moved link arrives down, without addresses or master: so does a peer made in place),
//! the same `$?`, and if anything would fail, the same error at the same statement. So it is
//! only tried when the checks the two statements would make pass: the names are valid, the
//! peer's name is free here, the target exists and is another namespace (named, not a PID).
//! Otherwise, or if the kernel refuses the fused request (a name taken, in either namespace:
//! it then made nothing), both statements run one after the other as written. What the kernel
//! picks by itself may differ: the peer's ifindex (made in place, it takes the target's next
//! free one; moved, it keeps its old one if free) and, as with any new link, the MAC addresses.
//! One coincidence of indexes is visible (both ends with the same index): that pair is undone
//! and made as written.

use super::Evaluator;
use crate::net::link::{self, LinkKind};
use crate::net::Ns;
use crate::syntax::ast::{LinkCmd, LinkOp, LinkType, Stmt, StmtKind, Word};
use std::os::fd::AsFd;

/// Two statements that can run as one request: create `name` here, `peer` inside `target`.
struct Plan {
    name: String,
    peer: String,
    target: Ns,
}

impl Evaluator {
    /// Runs `first` and `second` as one request if that changes nothing observable; returns
    /// whether it did. `false` means nothing ran: run them one by one.
    pub(super) fn run_fused(&mut self, first: &Stmt, second: &Stmt) -> bool {
        // A pending signal, a queued `netns del` (awaited before any other statement), or a
        // move `deny host-moves` forbids, is handled by the statements run as written.
        if crate::net::interrupt::pending().is_some() || !self.deleting.is_empty() {
            return false;
        }
        let Some(plan) = self.fusion_plan(first, second) else {
            return false;
        };
        if self.deny_host_moves && !self.isolated && plan.target == Ns::Root {
            return false;
        }
        let Ok(fd) = self.ns_fd(&plan.target, second.span) else {
            return false;
        };
        let ns = self.ns.clone();
        let Ok(sock) = self.net.route(&ns) else {
            return false;
        };
        let kind = LinkKind::Veth {
            peer: &plan.peer,
            peer_ns: Some(fd.as_fd()),
        };
        // A refused request made nothing: running both as written then reports what failed.
        if link::add(sock, &plan.name, &kind).is_err() {
            return false;
        }
        // Made apart, the two ends take two indexes of one namespace: never equal. Made in two
        // namespaces, they can be (2 and 2 in fresh ones), and the kernel treats a veth whose
        // peer has its own index differently: no IFLA_LINK (`ip link` prints no `@ifN`), and
        // carrier changes reported up to a second late. Then undo, and run both as written.
        match link::get(sock, &plan.name) {
            Ok(Some(made))
                if made.link == Some(made.index) && link::del(sock, made.index).is_ok() =>
            {
                return false;
            }
            _ => {}
        }
        // Journaled as the pair statement would be; deleting it takes the peer too. A
        // journal that cannot be written stops the run at the next statement.
        if self
            .note_made_link(&ns, &plan.name, Some(&plan.target), first.span)
            .is_err()
        {
            return false;
        }
        self.status = 0;
        true
    }

    /// What the two statements do, if they are a pair made then its peer moved, and every
    /// check they would make passes.
    fn fusion_plan(&mut self, first: &Stmt, second: &Stmt) -> Option<Plan> {
        let (name, peer) = match &first.kind {
            StmtKind::Link(LinkCmd::Add {
                name,
                kind:
                    LinkType::Veth {
                        peer: Some(peer),
                        peer_netns: None,
                        peer_ops,
                        ..
                    },
                ops,
            }) if ops.is_empty() && peer_ops.is_empty() => (name, peer),
            StmtKind::Veth {
                name,
                peer,
                netns: None,
            } => (name, peer),
            _ => return None,
        };
        let (dev, to) = match &second.kind {
            StmtKind::Link(LinkCmd::Set { dev, ops }) => match ops.as_slice() {
                [LinkOp::Netns(to)] => (dev, to),
                _ => return None,
            },
            _ => return None,
        };
        let name = self.ifname(name).ok()?;
        let peer = self.ifname(peer).ok()?;
        // The second statement's words are read as they would be after the first succeeded.
        let saved = std::mem::replace(&mut self.status, 0);
        let second_words = self.moved_words(dev, to);
        self.status = saved;
        let (dev, target) = second_words?;
        if dev != peer || name == peer || target == self.ns {
            return None;
        }
        // Made here first, the pair would fail if the peer's name is taken here, where the
        // fused request would not look. A name taken in the target makes the fused request
        // fail, and the fallback then fails at the move, as written.
        let here = self.ns.clone();
        if self.name_taken(&here, &peer)? {
            return None;
        }
        Some(Plan { name, peer, target })
    }

    /// The device and the namespace of `link set DEV netns NS`, if NS names an existing
    /// namespace (not a PID: which namespace that is, only the kernel knows).
    fn moved_words(&mut self, dev: &Word, to: &Word) -> Option<(String, Ns)> {
        let dev = self.ifname(dev).ok()?;
        let text = self.word(to).ok()?;
        if text.parse::<u32>().is_ok() {
            return None;
        }
        let target = self.ns_ref(to, false).ok()?;
        Some((dev, target))
    }

    /// Whether `ns` has a link called `name`; `None` if we cannot tell.
    fn name_taken(&mut self, ns: &Ns, name: &str) -> Option<bool> {
        let sock = self.net.route(ns).ok()?;
        link::get(sock, name).ok().map(|l| l.is_some())
    }
}
