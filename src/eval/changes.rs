//! Journaling changes as the evaluator makes them: identities of what a run makes, and the
//! values a change to an older object overwrites, so that undo can put them back.

use super::error::Result;
use super::journal::{At, Attrs, Entry, LinkAt};
use super::netns::fail;
use super::Evaluator;
use crate::net::addr::{self, Prefix};
use crate::net::link::{self, LinkChange};
use crate::net::route::{self, Family};
use crate::net::Ns;
use crate::syntax::Span;

impl Evaluator {
    /// `ns` by name and identity.
    pub(super) fn at(&mut self, ns: &Ns, span: Span) -> Result<At> {
        let id = self.net.known_identity(ns).map_err(fail(
            format!("cannot open {}", super::netns::where_(ns)),
            span,
        ))?;
        Ok(At { ns: ns.clone(), id })
    }

    /// Link `index` of `ns` by identity.
    pub(super) fn link_at(
        &mut self,
        ns: &Ns,
        index: u32,
        name: &str,
        span: Span,
    ) -> Result<LinkAt> {
        Ok(LinkAt {
            at: self.at(ns, span)?,
            index,
            name: name.to_string(),
        })
    }

    /// Whether this run made link `index` of `ns` (or `ns` itself): changes to it need no
    /// journal entry, undo removes it whole.
    pub(super) fn made_here(&mut self, ns: &Ns, index: Option<u32>, span: Span) -> Result<bool> {
        let at = self.at(ns, span)?;
        Ok(self.journal.made(at.id, index))
    }

    /// Records `entries` (values a change overwrites), runs the change, and forgets them if
    /// the kernel refused it.
    pub(super) fn journaled<T>(
        &mut self,
        entries: Vec<Entry>,
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        let n = entries.len();
        self.journal.record(entries);
        let result = f(self);
        if result.is_err() {
            self.journal.forget(n);
        }
        result
    }

    /// Journals namespace `name`, just made (or pinned) by this run.
    pub(super) fn note_made_netns(&mut self, name: &str, span: Span) -> Result<()> {
        let at = self.at(&Ns::Named(name.to_string()), span)?;
        self.journal.record(vec![Entry::Netns {
            name: name.to_string(),
            id: at.id,
        }]);
        Ok(())
    }

    /// Journals link `name` of `ns`, just made by this run; a veth's peer (in `peer_ns`, or
    /// beside it) is noted as made too, since deleting the pair deletes it.
    pub(super) fn note_made_link(
        &mut self,
        ns: &Ns,
        name: &str,
        peer_ns: Option<&Ns>,
        span: Span,
    ) -> Result<()> {
        let sock = self.socket(ns, span)?;
        let Some(made) =
            link::get(sock, name).map_err(fail(format!("cannot look up \"{name}\""), span))?
        else {
            return Ok(());
        };
        self.ifindex.put(ns, name, made.index);
        let mut entries = vec![Entry::Link(self.link_at(ns, made.index, name, span)?)];
        if let (Some("veth"), Some(peer)) = (made.kind.as_deref(), made.link) {
            let peer_ns = peer_ns.unwrap_or(ns).clone();
            let sock = self.socket(&peer_ns, span)?;
            let peer_name = link::get_index(sock, peer)
                .map_err(fail("cannot look up the veth's peer", span))?
                .map(|l| l.name)
                .unwrap_or_default();
            entries.push(Entry::Peer(self.link_at(&peer_ns, peer, &peer_name, span)?));
        }
        self.journal.record(entries);
        Ok(())
    }

    /// Journals `link`'s move to `to`, where it is looked up by name: undo follows it there.
    pub(super) fn note_moved(&mut self, link: LinkAt, to: &Ns, span: Span) -> Result<()> {
        let to_at = self.at(to, span)?;
        let sock = self.socket(to, span)?;
        let found = link::get(sock, &link.name)
            .map_err(fail(format!("cannot look up \"{}\"", link.name), span))?;
        if let Some(moved) = found {
            self.journal.record(vec![Entry::Move {
                link,
                to: to_at,
                to_index: moved.index,
            }]);
        }
        Ok(())
    }

    /// Link `index` of `ns` as it is before a change, when undo must give its values back:
    /// none for a link the run made (undo deletes it) or one already gone.
    pub(super) fn older_link(
        &mut self,
        ns: &Ns,
        index: u32,
        name: &str,
        span: Span,
    ) -> Result<Option<link::Link>> {
        if self.made_here(ns, Some(index), span)? {
            return Ok(None);
        }
        let sock = self.socket(ns, span)?;
        link::get_index(sock, index).map_err(fail(format!("cannot look up \"{name}\""), span))
    }

    /// What undo needs to reverse `change` on link `index` of `ns`: its values before, and,
    /// when the change takes it down, the addresses and routes going down loses.
    pub(super) fn before_change(
        &mut self,
        ns: &Ns,
        index: u32,
        name: &str,
        change: &LinkChange,
        span: Span,
    ) -> Result<Vec<Entry>> {
        let Some(old) = self.older_link(ns, index, name, span)? else {
            return Ok(vec![]);
        };
        let link = self.link_at(ns, index, name, span)?;
        let mut entries = Vec::new();
        if change.up == Some(false) && old.is_up() {
            entries = self.lost_with(&link, span)?;
        }
        entries.push(Entry::Attrs {
            link,
            before: Attrs {
                up: change.up.map(|_| old.is_up()),
                mtu: change.mtu.map(|_| old.mtu),
                master: change.master.map(|_| old.master.unwrap_or(0)),
                ..Attrs::default()
            },
        });
        Ok(entries)
    }

    /// Everything of an older link that a move to another namespace loses, and the link as
    /// it was: for undo to move it back and make it so again.
    pub(super) fn before_move(&mut self, link: &LinkAt, span: Span) -> Result<Vec<Entry>> {
        let Some(old) = self.older_link(&link.at.ns, link.index, &link.name, span)? else {
            return Ok(vec![]);
        };
        let mut entries = self.routes_of(&link.at, span)?;
        entries.push(Entry::Attrs {
            link: link.clone(),
            before: Attrs {
                up: Some(old.is_up()),
                mtu: Some(old.mtu),
                master: Some(old.master.unwrap_or(0)),
                ..Attrs::default()
            },
        });
        // Addresses after the attributes: undo gives them back first, while the link is down.
        let addrs = self.addresses_of(link, None, span)?;
        entries.extend(addrs);
        Ok(entries)
    }

    /// The routes of the link's namespace and the addresses of the link that taking it down
    /// (or away) removes: routes first, so that undo puts them back last, once their
    /// addresses and the link's state are back.
    pub(super) fn lost_with(&mut self, link: &LinkAt, span: Span) -> Result<Vec<Entry>> {
        let mut entries = self.routes_of(&link.at, span)?;
        entries.extend(self.addresses_of(link, None, span)?);
        Ok(entries)
    }

    /// The configured routes of `at`, saved.
    pub(super) fn routes_of(&mut self, at: &At, span: Span) -> Result<Vec<Entry>> {
        let sock = self.socket(&at.ns, span)?;
        let mut entries = Vec::new();
        for family in [Family::V4, Family::V6] {
            let routes = route::list(sock, family).map_err(fail("cannot list routes", span))?;
            entries.extend(
                routes
                    .into_iter()
                    .filter(route::is_configured)
                    .map(|route| Entry::RouteSaved {
                        at: at.clone(),
                        route,
                    }),
            );
        }
        Ok(entries)
    }

    /// The addresses of `link` (only `only`, if given), saved; IPv6 link-local ones are the
    /// kernel's, made again when the link comes up.
    pub(super) fn addresses_of(
        &mut self,
        link: &LinkAt,
        only: Option<&Prefix>,
        span: Span,
    ) -> Result<Vec<Entry>> {
        let sock = self.socket(&link.at.ns, span)?;
        let all = addr::list(sock).map_err(fail("cannot list addresses", span))?;
        Ok(all
            .into_iter()
            .filter(|a| a.index == link.index && only.is_none_or(|p| a.prefix == *p))
            .filter(|a| !matches!(a.prefix.addr, std::net::IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80))
            .map(|addr| Entry::AddrSaved {
                link: link.clone(),
                addr,
            })
            .collect())
    }
}
