//! `addr ...`: IPv4 and IPv6 addresses in the current namespace.

use super::addr_filter::AddrSelect;
use super::error::Result;
use super::journal::Entry;
use super::netns::{fail, where_};
use super::resolve::{self, known, AddrOptsReq, AddrReq, Broadcast, Val};
use super::{show, Evaluator};
use crate::net::addr;
use crate::net::link::Link;
use crate::net::names::IfName;
use crate::syntax::ast::{AddrCmd, IpFamily};
use crate::syntax::Span;

/// IFF_UP: `addr show up` lists the links that are up.
const IFF_UP: u32 = 0x1;

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
            AddrReq::Flush { dev, up, select } => self.addr_flush(dev.as_ref(), up, &select, span),
            AddrReq::Show { dev, up, select } => self.addr_show(cmd, dev, up, &select, span),
        }
    }

    /// `addr show [dev DEV] [up] [SELECTORS]`; with `-d` and a link whose details vsh cannot
    /// print as iproute2 does, the real `ip`.
    fn addr_show(
        &mut self,
        cmd: &AddrCmd,
        dev: Option<Val<IfName>>,
        up: bool,
        select: &AddrSelect,
        span: Span,
    ) -> Result<()> {
        let ns = self.ns.clone();
        let AddrCmd::Show { filter, .. } = cmd else {
            unreachable!("a show request comes from a show command")
        };
        // Every device, as iproute2: with `up`, JSON keeps an empty record for one down.
        let ((chosen, links), addrs) = self.selected_addrs(dev.as_ref(), false, select, span)?;
        let names = show::NsNames::resolve(&mut self.net, &ns, &links);
        let shown: Vec<&Link> = chosen.iter().collect();
        let mut opts = self.output_opts();
        // A family or `to PREFIX` leaves the link layer out, as `-4`/`-6` do; only `-6`
        // over every device reads IPv6's own link dump.
        let v6 = select
            .v6
            .map(|v6| if v6 { IpFamily::V6 } else { IpFamily::V4 });
        let said = opts.family.or(filter.family);
        opts.family = said.or(v6);
        let dump = dev.is_none() && said.is_some();
        if opts.details && !show::details_printable(&shown) {
            return self.real_program(span);
        }
        let text = match filter.label {
            // A label prints the addresses alone.
            Some(_) => show::addr_lines(&shown, &addrs, &opts),
            None => show::addrs(&shown, &links, &addrs, &names, &opts, dump, up),
        };
        self.out.print(&text);
        Ok(())
    }

    /// The links and addresses `addr show|flush` selects, as iproute2 picks them: a link
    /// with a selected address, or (without a family) with none at all; and the links of the
    /// namespace, for names.
    #[allow(clippy::type_complexity)]
    fn selected_addrs(
        &mut self,
        dev: Option<&Val<IfName>>,
        up: bool,
        select: &AddrSelect,
        span: Span,
    ) -> Result<((Vec<Link>, Vec<Link>), Vec<addr::Address>)> {
        let ns = self.ns.clone();
        let wanted = match dev {
            Some(d) => Some(self.device_of(d)?.0),
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
    fn addr_flush(
        &mut self,
        dev: Option<&Val<IfName>>,
        up: bool,
        select: &AddrSelect,
        span: Span,
    ) -> Result<()> {
        let ns = self.ns.clone();
        let ((chosen, _), addrs) = self.selected_addrs(dev, up, select, span)?;
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
