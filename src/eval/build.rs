//! `build { ... }`: bring-up without storms.
//!
//! A link brought up while a lab is being built starts talking at once: IPv6 duplicate
//! address detection, router solicitations and MLD reports, each flooded by the bridge to
//! every port already up, so building N hosts floods O(N²) frames. Inside `build { }`, every
//! `up` (of `link set`, of a bridge block) is recorded instead of sent; when the block ends,
//! the links come up leaves first: namespace-side ends and loopbacks, then bridge ports, then
//! bridges, so the frames a host sends while its port or bridge is still down go nowhere.
//!
//! No script can tell the difference but by speed: a statement that can observe the network
//! (ping, capture, exec, spawn, a program, show and list, stats, peer, routes, whose gateways
//! must be reachable) first brings up what is pending; after a `spawn` or inside a `capture`,
//! a program may watch at any time, so the rest of the block runs as written. If the body
//! fails, what is pending still comes up before the error goes on, so undo and `--keep` see
//! the network the same statements would have left without the block. Each deferred up is
//! sent by the same code as `link set DEV up` (and a refusal is reported at the statement
//! that asked for it).

use super::error::Result;
use super::Evaluator;
use crate::net::link;
use crate::net::Ns;
use crate::syntax::ast::{AddrCmd, Block, BridgeCmd, LinkCmd, NetnsCmd, StmtKind};
use crate::syntax::Span;
use std::collections::HashMap;

/// The state of the outermost `build { }` being run.
pub(crate) struct Deferred {
    /// Whether ups still wait (not after a `spawn`, nor inside a `capture`).
    active: bool,
    /// Nested `build` blocks inside this one: only the outermost brings links up.
    depth: usize,
    /// Links to bring up, in the order their statements asked.
    pending: Vec<Pending>,
}

/// One link to bring up when the block ends.
struct Pending {
    ns: Ns,
    index: u32,
    name: String,
    /// The statement that asked: a refusal is reported there.
    span: Span,
}

impl Evaluator {
    /// `build { BODY }`
    pub(super) fn build_block(&mut self, body: &Block) -> Result<()> {
        if let Some(d) = &mut self.deferred {
            d.depth += 1;
            let result = self.block(body);
            if let Some(d) = &mut self.deferred {
                d.depth -= 1;
            }
            return result;
        }
        self.deferred = Some(Deferred {
            active: true,
            depth: 0,
            pending: Vec::new(),
        });
        let result = self.block(body);
        // Also after a failure: the network is then as the statements that ran left it.
        let brought_up = self.bring_up_pending();
        self.deferred = None;
        result.and(brought_up)
    }

    /// Whether bringing up link `index` of the current namespace waits for the block's end;
    /// if so, it is recorded.
    pub(super) fn defer_up(&mut self, index: u32, name: &str, span: Span) -> bool {
        let ns = self.ns.clone();
        let Some(d) = self.deferred.as_mut().filter(|d| d.active) else {
            return false;
        };
        if !d.pending.iter().any(|p| p.ns == ns && p.index == index) {
            d.pending.push(Pending {
                ns,
                index,
                name: name.to_string(),
                span,
            });
        }
        true
    }

    /// A link set down, moved away or deleted (`index` `None`: the whole namespace is
    /// deleted): no pending up for it any more, and its ifindex may be reused.
    pub(super) fn forget_up(&mut self, ns: &Ns, index: Option<u32>) {
        if let Some(d) = &mut self.deferred {
            d.pending
                .retain(|p| !(p.ns == *ns && index.is_none_or(|i| i == p.index)));
        }
    }

    /// Before every statement: one that can observe the network first brings up what is
    /// pending; after one that leaves a program watching, nothing waits any more.
    pub(super) fn before_observing(&mut self, kind: &StmtKind) -> Result<()> {
        if self.deferred.is_none() {
            return Ok(());
        }
        match kind {
            // What a statement of these kinds does to its own link is its business: only a
            // deleted link or namespace voids a pending up.
            StmtKind::Link(LinkCmd::Del { dev }) => {
                let ns = self.ns.clone();
                if let Ok(name) = self.ifname(dev) {
                    if let Ok(Some(l)) = self.find_link(&name, dev.span) {
                        self.forget_up(&ns, Some(l.index));
                    }
                }
                Ok(())
            }
            StmtKind::Netns(NetnsCmd::Del(w)) => {
                if let Ok(name) = self.netns_name(w) {
                    self.forget_up(&Ns::Named(name), None);
                }
                Ok(())
            }
            _ if observes(kind) => {
                self.bring_up_pending()?;
                if matches!(kind, StmtKind::Spawn { .. } | StmtKind::Capture { .. }) {
                    if let Some(d) = &mut self.deferred {
                        d.active = false;
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Brings up every pending link, leaves first, each with `link set DEV up`'s request.
    fn bring_up_pending(&mut self) -> Result<()> {
        let Some(d) = self.deferred.as_mut().filter(|d| d.depth == 0) else {
            return Ok(());
        };
        let pending = std::mem::take(&mut d.pending);
        if pending.is_empty() {
            return Ok(());
        }
        let active = std::mem::replace(&mut d.active, false);
        let result = self.bring_up(pending);
        if let Some(d) = &mut self.deferred {
            d.active = active;
        }
        result
    }

    fn bring_up(&mut self, pending: Vec<Pending>) -> Result<()> {
        // Each link's place: 0 a leaf, 1 a bridge port, 2 a bridge. Asked link by link: a
        // dump of a namespace with thousands of ports would hold them all at once. A link
        // not found under its name (renamed since) comes up with the leaves.
        let mut rank: HashMap<(Ns, u32), u8> = HashMap::new();
        for p in &pending {
            let Ok(sock) = self.net.route(&p.ns) else {
                continue;
            };
            if let Ok(Some(l)) = link::get(sock, &p.name).map(|l| l.filter(|l| l.index == p.index))
            {
                let r = if l.kind.as_deref() == Some("bridge") {
                    2
                } else if l.master.is_some_and(|m| m != 0) {
                    1
                } else {
                    0
                };
                rank.insert((p.ns.clone(), p.index), r);
            }
        }
        let mut order: Vec<&Pending> = pending.iter().collect();
        order.sort_by_key(|p| rank.get(&(p.ns.clone(), p.index)).copied().unwrap_or(0));
        for p in order {
            let up = super::resolve::OpReq::Up(p.span);
            self.within(p.ns.clone(), |ev| {
                ev.change_link(p.index, &p.name, &[&up], p.span)
            })?;
        }
        Ok(())
    }
}

/// Statements whose result can depend on whether links are up.
fn observes(kind: &StmtKind) -> bool {
    matches!(
        kind,
        StmtKind::Ping { .. }
            | StmtKind::PingBlock { .. }
            | StmtKind::Capture { .. }
            | StmtKind::Exec { .. }
            | StmtKind::External { .. }
            | StmtKind::Spawn { .. }
            | StmtKind::Peer(_)
            | StmtKind::Stats(_)
            | StmtKind::Route(_)
            | StmtKind::Link(LinkCmd::Show { .. })
            | StmtKind::Addr(AddrCmd::Show { .. })
            | StmtKind::Bridge(BridgeCmd::Link { .. })
            | StmtKind::Netns(NetnsCmd::Exec { .. })
    )
}
