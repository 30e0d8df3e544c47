//! `addr ...`: IPv4 and IPv6 addresses in the current namespace.

use super::error::Result;
use super::journal::Entry;
use super::netns::{fail, where_};
use super::{show, Evaluator};
use crate::net::addr;

use super::error::RunError;
use crate::syntax::ast::{AddrCmd, AddrOpts, Word};
use crate::syntax::Span;

impl Evaluator {
    pub(super) fn addr_cmd(&mut self, cmd: &AddrCmd, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        match cmd {
            AddrCmd::Add { prefix, dev, .. } | AddrCmd::Del { prefix, dev } => {
                let prefix = self.prefix(prefix)?;
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
            AddrCmd::Flush { dev } => {
                let (index, name) = self.device(dev)?;
                let link = self.link_at(&ns, index, &name, span)?;
                // What undo gives back: the addresses (not the link-local ones, which the
                // kernel makes again) and the routes that go with them.
                let mut saved = vec![];
                if !self.made_here(&ns, Some(index), span)? {
                    saved = self.routes_of(&link.at, span)?;
                    // Undo goes newest first: the first address (the primary) must come
                    // back first, so it is journaled last.
                    saved.extend(self.addresses_of(&link, None, span)?.into_iter().rev());
                }
                self.journaled(saved, |ev| {
                    let sock = ev.net.route(&ns).map_err(fail("netlink", span))?;
                    let all = addr::list(sock).map_err(fail("cannot list addresses", span))?;
                    for a in all.iter().filter(|a| a.index == index) {
                        // Deleting a primary IPv4 address takes its secondaries with it.
                        match addr::del(sock, index, &a.prefix) {
                            Err(e) if e.errno() == Some(nix::errno::Errno::EADDRNOTAVAIL) => {}
                            r => r.map_err(fail(
                                format!(
                                    "cannot flush {} from \"{name}\" {}",
                                    a.prefix,
                                    where_(&ns)
                                ),
                                span,
                            ))?,
                        }
                    }
                    Ok(())
                })
            }
            AddrCmd::Show { dev, up } => {
                let wanted = match dev {
                    Some(w) => Some(self.device(w)?.0),
                    None => None,
                };
                let links = self.links(span)?;
                let sock = self.socket(&ns, span)?;
                let addrs = addr::list(sock)
                    .map_err(fail(format!("cannot list addresses {}", where_(&ns)), span))?;
                let names = show::NsNames::resolve(&mut self.net, &ns, &links);
                let shown: Vec<_> = links
                    .iter()
                    .filter(|l| wanted.is_none_or(|i| l.index == i))
                    .collect();
                let opts = self.output_opts();
                if opts.details && !show::details_printable(&shown) {
                    return self.real_program(span);
                }
                print!(
                    "{}",
                    show::addrs(&shown, &links, &addrs, &names, &opts, wanted.is_none(), *up)
                );
                Ok(())
            }
        }
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
