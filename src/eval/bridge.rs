//! `bridge link` and `bridge NAME { port ...; addr ... }`: bridges and their ports.

use super::error::{Result, RunError};
use super::journal::Entry;
use super::netns::{fail, where_};
use super::resolve::{self, BridgeReq, Val};
use super::{show, Evaluator};
use crate::net::addr::{self, Prefix};
use crate::net::bridge;
use crate::net::link::{self, Link, LinkChange, LinkKind};
use crate::net::names::IfName;
use crate::syntax::ast::BridgeCmd;
use crate::syntax::Span;

impl Evaluator {
    pub(super) fn bridge_cmd(&mut self, cmd: &BridgeCmd, span: Span) -> Result<()> {
        match resolve::bridge(self, cmd)? {
            BridgeReq::Link { dev } => self.bridge_link(dev.as_ref(), span),
            BridgeReq::Block { name, ports, addrs } => {
                self.bridge_block(&name, &ports, &addrs, span)
            }
        }
    }

    /// `bridge link [show [dev] DEV]`: the ports of every bridge, as iproute2's `bridge link`.
    fn bridge_link(&mut self, dev: Option<&Val<IfName>>, span: Span) -> Result<()> {
        let wanted = match dev {
            Some(d) => Some(self.device_of(d)?.0),
            None => None,
        };
        let links = self.links(span)?;
        let ns = self.ns.clone();
        let sock = self.socket(&ns, span)?;
        let ports = bridge::ports(sock).map_err(fail(
            format!("cannot list bridge ports {}", where_(&ns)),
            span,
        ))?;
        // A port that vanished between the two dumps is not shown.
        let shown: Vec<_> = ports
            .iter()
            .filter(|p| wanted.is_none_or(|i| p.index == i))
            .filter_map(|p| Some((p, links.iter().find(|l| l.index == p.index)?)))
            .collect();
        let opts = self.output_opts();
        self.out.print(&show::bridge_ports(&shown, &links, &opts));
        Ok(())
    }

    /// `bridge NAME { port DEV...; addr CIDR }`: create NAME if absent, bring it up, enslave
    /// and bring up each port, add each address. Running it again changes nothing.
    fn bridge_block(
        &mut self,
        name: &Val<IfName>,
        port_names: &[Val<IfName>],
        addrs: &[Val<Prefix>],
        span: Span,
    ) -> Result<()> {
        let br = name.get()?.to_string();
        // Everything the block names is checked before anything changes.
        let mut ports: Vec<(u32, String)> = Vec::new();
        for p in port_names {
            ports.push(self.device_of(p)?);
        }
        let prefixes: Vec<Prefix> = addrs
            .iter()
            .map(|a| a.get().copied())
            .collect::<Result<_>>()?;
        let ns = self.ns.clone();
        let place = where_(&ns);
        let index = self.bridge_made(&br, name, span)?;
        // Inside `build { }`, ups wait for the block's end (build.rs).
        if !self.defer_up(index, &br, name.span) {
            let up = LinkChange {
                up: Some(true),
                ..LinkChange::default()
            };
            let before = self.before_change(&ns, index, &br, &up, span)?;
            self.journaled(before, |ev| {
                let sock = ev.socket(&ns, span)?;
                link::change(sock, index, up)
                    .map_err(fail(format!("cannot set \"{br}\" up {place}"), name.span))
            })?;
        }
        for (port, port_name) in &ports {
            let up = (!self.defer_up(*port, port_name, span)).then_some(true);
            // One request, as `ip link set PORT master BR up`.
            let change = LinkChange {
                up,
                master: Some(index),
                mtu: None,
            };
            let before = self.before_change(&ns, *port, port_name, &change, span)?;
            self.journaled(before, |ev| {
                let sock = ev.socket(&ns, span)?;
                link::change(sock, *port, change).map_err(fail(
                    format!("cannot attach \"{port_name}\" to \"{br}\" and set it up {place}"),
                    span,
                ))
            })?;
        }
        let made = self.made_here(&ns, Some(index), span)?;
        for prefix in &prefixes {
            let entry = match made {
                true => vec![],
                false => vec![Entry::Addr {
                    link: self.link_at(&ns, index, &br, span)?,
                    prefix: *prefix,
                }],
            };
            let added = self.journaled(entry, |ev| {
                let sock = ev.socket(&ns, span)?;
                addr::add(sock, index, prefix).map_err(fail(
                    format!("cannot add {prefix} to \"{br}\" {place}"),
                    span,
                ))
            });
            match added {
                // Already there, and so not journaled (undo leaves it): the block describes a
                // state, and this part of it holds.
                Err(RunError::Net { error, .. })
                    if error.errno() == Some(nix::errno::Errno::EEXIST) => {}
                other => other?,
            }
        }
        Ok(())
    }
}

impl Evaluator {
    /// The ifindex of bridge `br` (written `name`), made if no device has its name.
    fn bridge_made(&mut self, br: &str, name: &Val<IfName>, span: Span) -> Result<u32> {
        match self.find_link(br, name.span)? {
            Some(l) if l.kind.as_deref() == Some("bridge") => Ok(l.index),
            Some(l) => Err(RunError::WrongKind {
                name: br.to_string(),
                actual: kind_phrase(&l),
                wanted: "bridge",
                span: name.span,
                help: Some(
                    "a bridge block makes the bridge when no device has its name: choose \
                     another name"
                        .into(),
                ),
            }),
            None => {
                let what = format!("cannot create bridge \"{br}\" {}", where_(&self.ns));
                self.make_single_link(br, &LinkKind::Bridge, what, span)?;
                Ok(self.device_of(name)?.0)
            }
        }
    }
}

/// "a veth", "a bridge", "a device without a kind" (lo, physical devices).
pub(super) fn kind_phrase(l: &Link) -> String {
    match &l.kind {
        Some(k) => format!("a {k}"),
        None => "a device without a kind".into(),
    }
}
