//! `peer DEV` and `stats DEV`: looking at a device from outside (the document, section 2).

use super::bridge::kind_phrase;
use super::error::{Result, RunError};
use super::netns::{fail, where_};
use super::Evaluator;
use crate::net::link::Link;
use crate::net::{ethtool, link, Ns};
use crate::syntax::ast::Word;
use crate::syntax::Span;
use std::fmt::Write;
use std::os::fd::AsFd;

impl Evaluator {
    /// The link a word names in the current namespace, whole.
    fn link_of(&mut self, w: &Word) -> Result<Link> {
        let name = self.ifname(w)?;
        self.find_link(&name, w.span)?
            .ok_or_else(|| RunError::NoDevice {
                name,
                place: where_(&self.ns),
                span: w.span,
            })
    }

    /// `peer DEV`: the other end of a veth, its ifindex and its namespace (`root` for the
    /// namespace vsh started in), read from IFLA_LINK and IFLA_LINK_NETNSID.
    pub(super) fn peer(&mut self, w: &Word, span: Span) -> Result<()> {
        let l = self.link_of(w)?;
        let peer = match l.veth_peer() {
            Some(peer) => peer,
            None => {
                return Err(RunError::WrongKind {
                    name: l.name.clone(),
                    actual: kind_phrase(&l),
                    wanted: "veth",
                    span: w.span,
                    help: Some("only a veth has a peer: `link show` marks one as NAME@PEER".into()),
                })
            }
        };
        let here = self.ns.clone();
        let peer_index = peer.ifindex;
        let there = match peer.nsid {
            None => Some(here.clone()),
            Some(id) => self.ns_of_nsid(&here, id, span)?,
        };
        let mut out = format!("{}: peer", l.name);
        match &there {
            Some(ns) => {
                let sock = self.socket(ns, span)?;
                let links = link::list(sock)
                    .map_err(fail(format!("cannot list links {}", where_(ns)), span))?;
                match links.iter().find(|p| p.index == peer_index) {
                    Some(p) => {
                        let _ = write!(out, " {}", p.name);
                    }
                    None => {
                        let _ = write!(out, " if{peer_index}");
                    }
                }
                let _ = write!(out, " ifindex {peer_index} netns {ns}");
            }
            // A namespace with no name in /run/netns (a process's own): only its nsid is known.
            None => {
                let _ = write!(
                    out,
                    " if{peer_index} ifindex {peer_index} netnsid {}",
                    peer.nsid.unwrap_or(-1)
                );
            }
        }
        self.out.line(&out);
        Ok(())
    }

    /// The namespace that `from` knows as `nsid`: a /run/netns name, or root; `None` if neither.
    fn ns_of_nsid(&mut self, from: &Ns, nsid: i32, span: Span) -> Result<Option<Ns>> {
        let what = || format!("cannot resolve nsid {nsid} {}", where_(from));
        if let Some(name) = self
            .net
            .name_of_nsid(from, nsid)
            .map_err(fail(what(), span))?
        {
            return Ok(Some(Ns::Named(name)));
        }
        if *from != Ns::Root
            && self.net.nsid(from, &Ns::Root).map_err(fail(what(), span))? == Some(nsid)
        {
            return Ok(Some(Ns::Root));
        }
        Ok(None)
    }

    /// `stats DEV`: the driver's counters as `ethtool -S` prints them, read with the
    /// SIOCETHTOOL ioctl inside the current namespace, then the link's own counters.
    pub(super) fn stats(&mut self, w: &Word, span: Span) -> Result<()> {
        let l = self.link_of(w)?;
        let ns = self.ns.clone();
        let what = format!(
            "cannot read the statistics of \"{}\" {}",
            l.name,
            where_(&ns)
        );
        let sock = self
            .net
            .enter(&ns, ethtool::socket)
            .and_then(|s| s)
            .map_err(fail(what.clone(), span))?;
        let counters = ethtool::stats(sock.as_fd(), &l.name).map_err(fail(what, span))?;
        let mut out = String::new();
        if counters.is_empty() {
            out.push_str("no stats available\n");
        } else {
            out.push_str("NIC statistics:\n");
            for (name, value) in &counters {
                let _ = writeln!(out, "     {name}: {value}");
            }
        }
        if let Some(s) = &l.detail.counters {
            out.push_str("Link statistics:\n");
            for (name, value) in [
                ("rx_packets", s.rx_packets),
                ("rx_bytes", s.rx_bytes),
                ("rx_errors", s.rx_errors),
                ("rx_dropped", s.rx_dropped),
                ("tx_packets", s.tx_packets),
                ("tx_bytes", s.tx_bytes),
                ("tx_errors", s.tx_errors),
                ("tx_dropped", s.tx_dropped),
            ] {
                let _ = writeln!(out, "     {name}: {value}");
            }
        }
        self.out.print(&out);
        Ok(())
    }
}
