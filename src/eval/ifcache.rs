//! Ifindex by name, per namespace: a statement naming a device asks the kernel once, the
//! statements after it reuse the answer.
//!
//! Only names seen to exist are kept, and everything is forgotten after any statement that
//! may delete, rename or move a link anywhere: `link del` (a veth takes its peer along, maybe
//! in another namespace), `link set ... name|netns`, `netns del` (its links and their peers
//! die), and every program vsh runs (`ip link del` ...). Statements not known to be harmless,
//! builtins added later included, forget everything too. A name made here stays valid: a new
//! link never takes an index another still holds.

use super::Evaluator;
use crate::net::Ns;
use crate::syntax::ast::{LinkCmd, LinkOp, NetnsCmd, StmtKind};
use std::collections::HashMap;

/// Known ifindexes: namespace -> name -> index.
#[derive(Default)]
pub struct IfCache {
    known: HashMap<Ns, HashMap<String, u32>>,
}

impl IfCache {
    /// The index `name` had in `ns` when last seen, if nothing has changed since.
    pub fn get(&self, ns: &Ns, name: &str) -> Option<u32> {
        self.known.get(ns)?.get(name).copied()
    }

    /// Remember that `name` is link `index` in `ns`.
    pub fn put(&mut self, ns: &Ns, name: &str, index: u32) {
        self.known
            .entry(ns.clone())
            .or_default()
            .insert(name.to_owned(), index);
    }

    /// Forget everything.
    pub fn clear(&mut self) {
        self.known.clear();
    }

    /// Called after every statement (whatever its outcome): forget everything unless the
    /// statement cannot have removed, renamed or moved a link. Blocks and loops are harmless
    /// themselves: each statement of their bodies passes here.
    pub fn after(&mut self, kind: &StmtKind) {
        let harmless = match kind {
            StmtKind::Let { .. }
            | StmtKind::For { .. }
            | StmtKind::If { .. }
            | StmtKind::Not(_)
            | StmtKind::NetnsBlock { .. }
            | StmtKind::NetnsEnter(_)
            | StmtKind::Help(_)
            | StmtKind::RootBlock(_)
            | StmtKind::InNetns { .. }
            | StmtKind::IpShow { .. }
            | StmtKind::Addr(_)
            | StmtKind::Veth { .. }
            // Each statement inside passes here itself.
            | StmtKind::Pipeline(_)
            | StmtKind::Redirected { .. }
            | StmtKind::AndOr { .. } => true,
            StmtKind::Netns(cmd) => matches!(cmd, NetnsCmd::Add(_) | NetnsCmd::List),
            StmtKind::Link(cmd) => match cmd {
                LinkCmd::Show { .. } | LinkCmd::Add { .. } => true,
                LinkCmd::Set { ops, .. } => ops.iter().all(|op| {
                    matches!(
                        op,
                        LinkOp::Up(_)
                            | LinkOp::Down(_)
                            | LinkOp::NoMaster(_)
                            | LinkOp::Master(_)
                            | LinkOp::Mtu(_)
                            | LinkOp::Address(_)
                            | LinkOp::Broadcast(_)
                            | LinkOp::Alias(_)
                            | LinkOp::TxQueueLen(_)
                            | LinkOp::Group(_)
                            | LinkOp::Switch(..)
                            | LinkOp::Type { .. }
                    )
                }),
                // An altname names its link as well as its name does.
                LinkCmd::Property { .. } | LinkCmd::Del { .. } => false,
            },
            _ => false,
        };
        if !harmless && !self.known.is_empty() {
            self.clear();
        }
    }
}

impl Evaluator {
    /// The ifindex of link `name` in the current namespace, from the cache or the kernel;
    /// `None` if there is no such link.
    pub(super) fn ifindex_of(
        &mut self,
        name: &str,
        span: crate::syntax::Span,
    ) -> super::Result<Option<u32>> {
        if let Some(index) = self.ifindex.get(&self.ns, name) {
            return Ok(Some(index));
        }
        let found = self.find_link(name, span)?.map(|l| l.index);
        if let Some(index) = found {
            let ns = self.ns.clone();
            self.ifindex.put(&ns, name, index);
        }
        Ok(found)
    }
}
