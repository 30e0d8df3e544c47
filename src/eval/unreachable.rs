//! Why a ping could not leave: "Network is unreachable" names the route that is missing, and
//! `! ping` still says why it failed, as iputils prints `connect: Network is unreachable`.

use super::error::RunError;
use super::netns::where_;
use super::Evaluator;
use crate::net::addr;
use crate::syntax::ast::{Stmt, StmtKind};
use nix::errno::Errno;
use std::net::IpAddr;

impl Evaluator {
    /// Adds to a ping's "Network is unreachable" which route is missing, and the likely cause:
    /// an address added without its prefix length (a /32 brings no route to its subnet).
    pub(super) fn unreachable_hint(&mut self, mut e: RunError, dest: IpAddr) -> RunError {
        let RunError::Net { error, help, .. } = &mut e else {
            return e;
        };
        if error.errno() != Some(Errno::ENETUNREACH) {
            return e;
        }
        let ns = self.ns.clone();
        let lone = self
            .net
            .route(&ns)
            .ok()
            .and_then(|sock| addr::list(sock).ok())
            .unwrap_or_default()
            .into_iter()
            .find(|a| host_only(a.prefix.addr, a.prefix.len) && same_24(a.prefix.addr, dest));
        let mut text = format!(
            "no route {} leads to {dest}: `route` lists the routes there are",
            where_(&ns)
        );
        if let Some(a) = lone {
            let subnet = a.prefix.addr;
            text.push_str(&format!(
                "; {subnet} was added as {subnet}/{} (no prefix length), which brings no route \
                 to its subnet: add it as {subnet}/24, or `route add {} dev DEV`",
                a.prefix.len,
                net_24(dest)
            ));
        } else {
            text.push_str(&format!(
                "; add one: `route add {} via GATEWAY` or `route add {} dev DEV`",
                net_24(dest),
                net_24(dest)
            ));
        }
        *help = Some(text);
        e
    }

    /// `! STMT` answers a failure silently, but a ping that could not even send says why on
    /// standard error (iputils: `ping: connect: Network is unreachable`).
    pub(super) fn negated_failure(&self, inner: &Stmt, e: &RunError) {
        if let (StmtKind::Ping { .. }, RunError::Net { error, .. }) = (&inner.kind, e) {
            self.out.flush();
            crate::net::stdio::flush();
            eprintln!("ping: {error}");
        }
    }
}

/// A /32 (or /128): an address alone, with no subnet route.
fn host_only(a: IpAddr, len: u8) -> bool {
    matches!((a, len), (IpAddr::V4(_), 32) | (IpAddr::V6(_), 128))
}

fn same_24(a: IpAddr, b: IpAddr) -> bool {
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => a.octets()[..3] == b.octets()[..3],
        _ => false,
    }
}

/// `10.9.4.0/24` for 10.9.4.2; an IPv6 destination as a /64.
fn net_24(a: IpAddr) -> String {
    match a {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}
