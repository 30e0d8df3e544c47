//! `addr ...`: IPv4 and IPv6 addresses in the current namespace.

use super::error::Result;
use super::journal::Entry;
use super::netns::{fail, where_};
use super::{show, Evaluator};
use crate::net::addr;

/// IFF_UP: `addr show up` lists the links that are up.
const IFF_UP: u32 = 0x1;
use super::resolve::{self, known, AddrOptsReq, AddrReq, Broadcast};
use crate::syntax::ast::AddrCmd;
use crate::syntax::Span;

impl Evaluator {
    pub(super) fn addr_cmd(&mut self, cmd: &AddrCmd, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let req = resolve::addr(self, cmd)?;
        match req {
            AddrReq::Add {
                ref prefix,
                ref dev,
                ..
            }
            | AddrReq::Del {
                ref prefix,
                ref dev,
            } => {
                let prefix = *prefix.get()?;
                let (index, name) = self.device_of(dev)?;
                let options = match &req {
                    AddrReq::Add { opts, .. } => addr_options(&prefix, opts)?,
                    _ => addr::AddOptions::default(),
                };
                let link = self.link_at(&ns, index, &name, span)?;
                let made = self.made_here(&ns, Some(index), span)?;
                if matches!(req, AddrReq::Add { .. }) {
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
            AddrReq::Flush { dev } => {
                let (index, name) = self.device_of(&dev)?;
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
            AddrReq::Show { dev, up } => {
                let wanted = match dev {
                    Some(d) => Some(self.device_of(&d)?.0),
                    None => None,
                };
                let links = self.links(span)?;
                let sock = self.socket(&ns, span)?;
                let addrs = addr::list(sock)
                    .map_err(fail(format!("cannot list addresses {}", where_(&ns)), span))?;
                let names = show::NsNames::resolve(&mut self.net, &ns, &links);
                let running = |l: &&crate::net::link::Link| !up || l.flags & IFF_UP != 0;
                for l in links
                    .iter()
                    .filter(|l| wanted.is_none_or(|i| l.index == i))
                    .filter(running)
                {
                    self.out.print(&show::addr(l, &links, &addrs, &names));
                }
                Ok(())
            }
        }
    }
}

/// iproute2's `addr add` options as the kernel takes them.
fn addr_options(prefix: &addr::Prefix, opts: &AddrOptsReq) -> Result<addr::AddOptions> {
    let mut out = addr::AddOptions::default();
    if let Some(b) = &opts.broadcast {
        out.broadcast = match b.get()? {
            Broadcast::Plus => prefix.broadcast(),
            Broadcast::Minus => prefix.network_broadcast(),
            Broadcast::Addr(a) => Some(*a),
        };
    }
    out.label = known(&opts.label)?;
    out.scope = known(&opts.scope)?;
    out.valid_lft = known(&opts.valid_lft)?;
    out.preferred_lft = known(&opts.preferred_lft)?;
    out.flags = opts.flags;
    Ok(out)
}
