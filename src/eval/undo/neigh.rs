//! Undo's steps for neighbour entries and tun/tap devices.

use super::super::journal::LinkAt;
use super::super::Evaluator;
use super::{done, on, place, restored, Checked, Done};
use crate::net::neighbours::{self, Neighbour};
use crate::net::tuntap::{self, TunDevice};
use nix::errno::Errno;
use std::net::IpAddr;

impl Evaluator {
    /// Removes a neighbour entry the run made.
    pub(super) fn del_neigh(&mut self, link: &LinkAt, dst: IpAddr, proxy: bool) -> Checked<Done> {
        let what = format!("neighbour {dst}{} in {}", on(link), place(&link.at.ns));
        self.same_neigh_link(link, &what)?;
        let sock = self.sock(&link.at)?;
        // ENOENT: the entry went already (the kernel's timers, a flush).
        let result = match neighbours::del(sock, link.index, dst, proxy) {
            Err(e) if e.errno() == Some(Errno::ENOENT) => {
                return Err(Done::Skipped(format!("{what}: gone already")))
            }
            r => r,
        };
        Err(done(
            result,
            format!("removed {what}"),
            format!("cannot remove {what}"),
        ))
    }

    /// Puts back a neighbour entry as it was before the run changed or removed it.
    pub(super) fn restore_neigh(&mut self, link: &LinkAt, neigh: &Neighbour) -> Checked<Done> {
        let what = format!(
            "neighbour {}{} in {}",
            neigh.dst,
            on(link),
            place(&link.at.ns)
        );
        self.same_neigh_link(link, &what)?;
        let sock = self.sock(&link.at)?;
        Err(done(
            neighbours::restore(sock, neigh),
            format!("put back {what}"),
            format!("cannot put back {what}"),
        ))
    }

    /// Makes an older tun or tap device the run deleted again, with its flags and owner.
    pub(super) fn restore_tun(&mut self, link: &LinkAt, dev: &TunDevice) -> Checked<Done> {
        let kind = if dev.flags & tuntap::flags::TUN != 0 {
            "tun"
        } else {
            "tap"
        };
        let what = format!("{kind} device {} in {}", link.name, place(&link.at.ns));
        self.same_ns(&link.at, &what)?;
        let request = tuntap::Request {
            name: Some(link.name.clone()),
            flags: dev.flags & tuntap::flags::MADE_WITH,
            owner: dev.owner,
            group: dev.group,
        };
        let made = self
            .net
            .enter(&link.at.ns, || tuntap::add(&request))
            .and_then(|r| r)
            .map(drop);
        Err(restored(
            made,
            format!("made {what} again"),
            format!("cannot make {what} again"),
        ))
    }
}
