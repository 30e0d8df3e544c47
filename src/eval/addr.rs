//! `addr ...`: IPv4 and IPv6 addresses in the current namespace.

use super::error::Result;
use super::journal::Entry;
use super::netns::{fail, where_};
use super::{show, Evaluator};
use crate::net::addr;

/// IFF_UP: `addr show up` lists the links that are up.
const IFF_UP: u32 = 0x1;
use super::addr_filter;
use super::error::RunError;
use crate::net::link::Link;
use crate::syntax::ast::{AddrCmd, AddrFilter, AddrOpts, IpFamily, Word};
use crate::syntax::Span;
use show::AddrHeader;

impl Evaluator {
    pub(super) fn addr_cmd(&mut self, cmd: &AddrCmd, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        match cmd {
            AddrCmd::Add { prefix, dev, .. } | AddrCmd::Del { prefix, dev } => {
                let word = prefix;
                let prefix = self.prefix(prefix)?;
                if let AddrCmd::Add { opts, .. } = cmd {
                    addr_filter::same_family(opts.family, &prefix, word.span)?;
                }
                let (index, name) = self.device(dev)?;
                let options = match cmd {
                    AddrCmd::Add { opts, .. } => self.addr_options(&prefix, opts)?,
                    _ => addr::AddOptions::default(),
                };
                let link = self.link_at(&ns, index, &name, span)?;
                let made = self.made_here(&ns, Some(index), span)?;
                if matches!(cmd, AddrCmd::Add { .. }) {
                    let entry = match made {
                        true => vec![],
                        false => vec![Entry::Addr { link, prefix }],
                    };
                    self.journaled(entry, |ev| {
                        let sock = ev.socket(&ns, span)?;
                        addr::add_with(sock, index, &prefix, &options).map_err(fail(
                            format!("cannot add {prefix} to \"{name}\" {}", where_(&ns)),
                            span,
                        ))
                    })
                } else {
                    // The address as it is, and the routes that go with it (a gateway on its
                    // subnet), for undo to put back.
                    let mut saved = vec![];
                    if !made {
                        saved = self.routes_of(&link.at, span)?;
                        saved.extend(self.addresses_of(&link, Some(&prefix), span)?);
                    }
                    self.journaled(saved, |ev| {
                        let sock = ev.socket(&ns, span)?;
                        addr::del(sock, index, &prefix).map_err(fail(
                            format!("cannot delete {prefix} from \"{name}\" {}", where_(&ns)),
                            span,
                        ))
                    })
                }
            }
            AddrCmd::Flush { dev, filter } => self.addr_flush(dev, filter, span),
            AddrCmd::Show { dev, up, filter } => {
                let (links, addrs) = self.selected_addrs(dev, *up, filter, span)?;
                let names = show::NsNames::resolve(&mut self.net, &ns, &links.1);
                // As iproute2: a label prints addresses alone; a family or `to` no link
                // layer; `-6` dumps links as IPv6 sees them, unless one device is asked for.
                let header = if filter.label.is_some() {
                    AddrHeader::Bare
                } else if filter.family == Some(IpFamily::V6) && dev.is_none() {
                    AddrHeader::Inet6
                } else if filter.family.is_some() || filter.to.is_some() {
                    AddrHeader::Family
                } else {
                    AddrHeader::Full
                };
                for l in &links.0 {
                    let text = match header {
                        AddrHeader::Full => show::addr(l, &links.1, &addrs, &names),
                        h => show::addr_of_family(l, &links.1, &addrs, &names, h),
                    };
                    print!("{text}");
                }
                Ok(())
            }
        }
    }

    /// The links and addresses `addr show|flush` selects, as iproute2 picks them: a link
    /// with a selected address, or (without a family) with none at all; and the links of the
    /// namespace, for names.
    #[allow(clippy::type_complexity)]
    fn selected_addrs(
        &mut self,
        dev: &Option<Word>,
        up: bool,
        filter: &AddrFilter,
        span: Span,
    ) -> Result<((Vec<Link>, Vec<Link>), Vec<addr::Address>)> {
        let ns = self.ns.clone();
        let select = addr_filter::resolve(filter, &mut |w| self.word(w).map(Some))?;
        let wanted = match dev {
            Some(w) => Some(self.device(w)?.0),
            None => None,
        };
        let links = self.links(span)?;
        let sock = self.socket(&ns, span)?;
        let all = addr::list(sock)
            .map_err(fail(format!("cannot list addresses {}", where_(&ns)), span))?;
        let name = |i: u32| {
            links
                .iter()
                .find(|l| l.index == i)
                .map_or(String::new(), |l| l.name.clone())
        };
        let addrs: Vec<_> = all
            .iter()
            .filter(|a| select.selects(a, &name(a.index)))
            .cloned()
            .collect();
        let chosen = links
            .iter()
            .filter(|l| wanted.is_none_or(|i| l.index == i))
            .filter(|l| !up || l.flags & IFF_UP != 0)
            .filter(|l| {
                addrs.iter().any(|a| a.index == l.index)
                    || (select.v6.is_none() && !all.iter().any(|a| a.index == l.index))
            })
            .cloned()
            .collect();
        Ok(((chosen, links), addrs))
    }

    /// `addr flush SELECTORS`: undo gets back what goes (not the link-local addresses, which
    /// the kernel makes again) and the routes that go with it.
    fn addr_flush(&mut self, dev: &Option<Word>, filter: &AddrFilter, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let ((chosen, _), addrs) = self.selected_addrs(dev, filter.up, filter, span)?;
        let doomed: Vec<addr::Address> = addrs
            .into_iter()
            .filter(|a| chosen.iter().any(|l| l.index == a.index))
            .collect();
        let mut saved = vec![];
        if !self.made_here(&ns, None, span)? && !doomed.is_empty() {
            let at = self.at(&ns, span)?;
            saved = self.routes_of(&at, span)?;
            // Undo goes newest first: a link's first address (its primary) must come back
            // first, so it is journaled last.
            for a in doomed.iter().rev() {
                let link_local = matches!(a.prefix.addr, std::net::IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80);
                let Some(l) = chosen.iter().find(|l| l.index == a.index) else {
                    continue;
                };
                if link_local || self.made_here(&ns, Some(l.index), span)? {
                    continue;
                }
                saved.push(Entry::AddrSaved {
                    link: self.link_at(&ns, l.index, &l.name, span)?,
                    addr: a.clone(),
                });
            }
        }
        self.journaled(saved, |ev| {
            let sock = ev.socket(&ns, span)?;
            for a in &doomed {
                // Deleting a primary IPv4 address takes its secondaries with it.
                match addr::del(sock, a.index, &a.prefix) {
                    Err(e) if e.errno() == Some(nix::errno::Errno::EADDRNOTAVAIL) => {}
                    r => r.map_err(fail(
                        format!("cannot flush {} {}", a.prefix, where_(&ns)),
                        span,
                    ))?,
                }
            }
            Ok(())
        })
    }

    /// iproute2's `addr add` options as the kernel takes them.
    fn addr_options(&mut self, prefix: &addr::Prefix, opts: &AddrOpts) -> Result<addr::AddOptions> {
        let mut out = addr::AddOptions::default();

        if let Some(w) = &opts.broadcast {
            let text = self.word(w)?;
            out.broadcast = match text.as_str() {
                "+" => prefix.broadcast(),
                "-" => prefix.network_broadcast(),
                _ => Some(text.parse().map_err(|_| RunError::BadValue {
                    text: text.clone(),
                    expected: "an IPv4 broadcast address, `+` or `-`",
                    span: w.span,
                })?),
            };
        }
        if let Some(w) = &opts.label {
            out.label = Some(self.word(w)?);
        }
        if let Some(w) = &opts.scope {
            let text = self.word(w)?;
            out.scope = Some(scope_number(&text).ok_or(RunError::BadValue {
                text,
                expected: "a scope (global, site, link, host, nowhere or 0-255)",
                span: w.span,
            })?);
        }
        let lifetime = |ev: &mut Self, w: &Option<Word>| -> Result<Option<u32>> {
            match w {
                None => Ok(None),
                Some(w) if ev.word(w)? == "forever" => Ok(Some(u32::MAX)),
                Some(w) => ev.number(w, "a lifetime in seconds, or forever").map(Some),
            }
        };
        out.valid_lft = lifetime(self, &opts.valid_lft)?;
        out.preferred_lft = lifetime(self, &opts.preferred_lft)?;
        if let (Some(v), Some(p)) = (
            out.valid_lft.or(out.preferred_lft.map(|_| u32::MAX)),
            out.preferred_lft.or(out.valid_lft.map(|_| u32::MAX)),
        ) {
            if p > v {
                let w = opts.preferred_lft.as_ref().or(opts.valid_lft.as_ref());
                return Err(RunError::BadValue {
                    text: format!("{p} > {v}"),
                    expected: "preferred_lft no greater than valid_lft",
                    span: w.map_or(Span::default(), |w| w.span),
                });
            }
        }
        for (flag, _) in &opts.flags {
            out.flags |= match flag.as_str() {
                "nodad" => 0x02,
                "optimistic" => 0x04,
                "home" => 0x10,
                "mngtmpaddr" => 0x100,
                "noprefixroute" => 0x200,
                _ => 0x400, // autojoin
            };
        }
        Ok(out)
    }
}

/// iproute2's scope names, or a number.
pub(super) fn scope_number(text: &str) -> Option<u8> {
    match text {
        "global" | "universe" => Some(0),
        "site" => Some(200),
        "link" => Some(253),
        "host" => Some(254),
        "nowhere" => Some(255),
        n => n.parse().ok(),
    }
}
