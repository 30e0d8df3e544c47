//! `addr ...`: IPv4 and IPv6 addresses in the current namespace.

use super::error::Result;
use super::journal::Entry;
use super::netns::{fail, where_};
use super::{show, Evaluator};
use crate::net::addr;
use crate::syntax::ast::AddrCmd;
use crate::syntax::Span;

impl Evaluator {
    pub(super) fn addr_cmd(&mut self, cmd: &AddrCmd, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        match cmd {
            AddrCmd::Add { prefix, dev } | AddrCmd::Del { prefix, dev } => {
                let prefix = self.prefix(prefix)?;
                let (index, name) = self.device(dev)?;
                let link = self.link_at(&ns, index, &name, span)?;
                let made = self.made_here(&ns, Some(index), span)?;
                if matches!(cmd, AddrCmd::Add { .. }) {
                    let entry = match made {
                        true => vec![],
                        false => vec![Entry::Addr { link, prefix }],
                    };
                    self.journaled(entry, |ev| {
                        let sock = ev.socket(&ns, span)?;
                        addr::add(sock, index, &prefix).map_err(fail(
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
            AddrCmd::Show { dev } => {
                let wanted = match dev {
                    Some(w) => Some(self.device(w)?.0),
                    None => None,
                };
                let links = self.links(span)?;
                let sock = self.socket(&ns, span)?;
                let addrs = addr::list(sock)
                    .map_err(fail(format!("cannot list addresses {}", where_(&ns)), span))?;
                let names = show::NsNames::resolve(&mut self.net, &ns, &links);
                for l in links.iter().filter(|l| wanted.is_none_or(|i| l.index == i)) {
                    print!("{}", show::addr(l, &links, &addrs, &names));
                }
                Ok(())
            }
        }
    }
}
