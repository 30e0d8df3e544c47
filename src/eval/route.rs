//! `route ...` and `ip route ...`: the main routing table of the current namespace.

use super::error::{Result, RunError};
use super::journal::Entry;
use super::netns::{fail, where_};
use super::Evaluator;
use crate::net::link::Link;
use crate::net::route::{self, Family, Route};
use crate::syntax::ast::{IpFamily, RouteCmd, RouteSpec, Word};
use crate::syntax::Span;
use nix::errno::Errno;
use std::fmt::Write;
use std::net::IpAddr;

impl Evaluator {
    pub(super) fn route_cmd(&mut self, cmd: &RouteCmd, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        match cmd {
            RouteCmd::Show { family, dev } => {
                let wanted = match dev {
                    Some(w) => Some(self.device(w)?.0),
                    None => None,
                };
                let family = match family {
                    Some(IpFamily::V6) => Family::V6,
                    _ => Family::V4,
                };
                let links = self.links(span)?;
                let sock = self.socket(&ns, span)?;
                let routes = route::list(sock, family)
                    .map_err(fail(format!("cannot list routes {}", where_(&ns)), span))?;
                let shown: Vec<&Route> = routes
                    .iter()
                    .filter(|r| {
                        r.table == route::TABLE_MAIN
                            && !r.is_cloned()
                            && wanted.is_none_or(|i| r.oif == Some(i))
                    })
                    .collect();
                let opts = self.output_opts();
                if opts.json {
                    let text = super::show::routes_json(&shown, &links, wanted.is_some(), &opts);
                    print!("{text}");
                } else {
                    for r in shown {
                        print!("{}", line(r, &links, wanted.is_none()));
                    }
                }
                Ok(())
            }
            RouteCmd::Add(spec) | RouteCmd::Del(spec) => {
                let add = matches!(cmd, RouteCmd::Add(_));
                let (spec, dst) = self.route_spec(spec)?;
                let verb = if add { "add" } else { "delete" };
                let at = self.at(&ns, span)?;
                let entries = if self.made_here(&ns, spec.oif, span)? {
                    vec![]
                } else if add {
                    vec![Entry::Route {
                        at,
                        spec: spec.clone(),
                    }]
                } else {
                    self.routes_of(&at, span)?
                };
                self.journaled(entries, |ev| {
                    let sock = ev.socket(&ns, span)?;
                    let result = if add {
                        route::add(sock, &spec)
                    } else {
                        route::del(sock, &spec)
                    };
                    result
                        .map_err(fail(
                            format!("cannot {verb} route {dst} {}", where_(&ns)),
                            span,
                        ))
                        .map_err(route_hint)
                })
            }
        }
    }

    /// `table`, `proto`, `scope`, the type and `onlink`, as iproute2 names them.
    fn route_extra(&mut self, spec: &RouteSpec) -> Result<route::RouteExtra> {
        let mut x = route::RouteExtra {
            onlink: spec.onlink,
            ..route::RouteExtra::default()
        };
        if let Some(w) = &spec.table {
            let text = self.word(w)?;
            x.table = Some(match text.as_str() {
                "main" => 254,
                "local" => 255,
                "default" => 253,
                _ => self.number(w, "a table (main, local, default or a number)")?,
            });
        }
        if let Some(w) = &spec.proto {
            let text = self.word(w)?;
            x.protocol = Some(match text.as_str() {
                "redirect" => 1,
                "kernel" => 2,
                "boot" => 3,
                "static" => 4,
                "ra" => 9,
                "dhcp" => 16,
                _ => self.number(w, "a protocol (boot, static, kernel, dhcp, ... or 0-255)")?,
            });
        }
        if let Some(w) = &spec.scope {
            let text = self.word(w)?;
            x.scope = Some(super::addr::scope_number(&text).ok_or(RunError::BadValue {
                text,
                expected: "a scope (global, site, link, host, nowhere or 0-255)",
                span: w.span,
            })?);
        }
        x.kind = spec.kind.as_ref().map(|(k, _)| match k.as_str() {
            "local" => 2,
            "blackhole" => 6,
            "unreachable" => 7,
            "prohibit" => 8,
            "throw" => 9,
            _ => 1,
        });
        Ok(x)
    }

    /// The words of `route add|del` as a request, and the destination as text for messages.
    fn route_spec(&mut self, spec: &RouteSpec) -> Result<(route::RouteSpec, String)> {
        let dst = match &spec.dst {
            Some(w) => Some((self.prefix(w)?, w.span)),
            None => None,
        };
        let via = match &spec.via {
            Some(w) => Some((self.ip_addr(w)?, w.span)),
            None => None,
        };
        let src = match &spec.src {
            Some(w) => Some((self.ip_addr(w)?, w.span)),
            None => None,
        };
        // The family: as given, else the destination's, else the gateway's, else IPv4.
        let family = match spec.family {
            Some(IpFamily::V4) => Family::V4,
            Some(IpFamily::V6) => Family::V6,
            None => dst
                .map(|(p, _)| Family::of(&p.addr))
                .or(via.map(|(a, _)| Family::of(&a)))
                .or(src.map(|(a, _)| Family::of(&a)))
                .unwrap_or(Family::V4),
        };
        let version = match family {
            Family::V4 => 4,
            Family::V6 => 6,
        };
        let addresses = [
            ("the destination", dst.map(|(p, s)| (p.addr, s))),
            ("the gateway", via),
            ("the source", src),
        ];
        for (what, given) in addresses {
            if let Some((a, span)) = given {
                if Family::of(&a) != family {
                    return Err(RunError::MixedFamily {
                        what,
                        version,
                        rest: "the rest of the route",
                        span,
                    });
                }
            }
        }
        let oif = match &spec.dev {
            Some(w) => Some(self.device(w)?.0),
            None => None,
        };
        let metric = match &spec.metric {
            Some(w) => Some(self.number(w, "a metric (0 to 4294967295)")?),
            None => None,
        };
        let extra = self.route_extra(spec)?;
        let text = dst.map_or_else(|| "default".to_string(), |(p, _)| p.to_string());
        Ok((
            route::RouteSpec {
                family,
                dst: dst.map(|(p, _)| p),
                gateway: via.map(|(a, _)| a),
                oif,
                prefsrc: src.map(|(a, _)| a),
                metric,
                extra,
            },
            text,
        ))
    }

    /// An IPv4 or IPv6 address without a prefix length.
    fn ip_addr(&self, w: &Word) -> Result<IpAddr> {
        let text = self.word(w)?;
        text.parse().map_err(|_| RunError::BadValue {
            text,
            expected: "an IP address",
            span: w.span,
        })
    }
}

/// Hints for the refusals users meet most with routes.
fn route_hint(mut e: RunError) -> RunError {
    if let RunError::Net { error, help, .. } = &mut e {
        *help = match error.errno() {
            Some(Errno::ENETUNREACH) => Some(
                "the gateway must be on a network this namespace reaches already: \
                 put an address of its network on a device that is up (`addr add CIDR dev DEV`)"
                    .into(),
            ),
            Some(Errno::EEXIST) => {
                Some("that route exists: `route del` it first, or change its metric".into())
            }
            Some(Errno::ESRCH) => Some("no such route: `route show` lists them".into()),
            _ => help.take(),
        };
    }
    e
}

/// One route as `ip route show` prints it, trailing space included; `show_dev` false when
/// the listing is filtered by device (ip leaves `dev` out then).
fn line(r: &Route, links: &[Link], show_dev: bool) -> String {
    let mut out = String::new();
    // RTN_UNICAST is the one type ip leaves unsaid.
    if r.kind != 1 {
        let _ = write!(out, "{} ", route::type_name(r.kind));
    }
    match r.dst {
        Some(d) if r.dst_len == r.family.host_len() => {
            let _ = write!(out, "{d} ");
        }
        Some(d) => {
            let _ = write!(out, "{d}/{} ", r.dst_len);
        }
        None if r.dst_len != 0 => {
            let _ = write!(out, "0/{} ", r.dst_len);
        }
        None => out.push_str("default "),
    }
    if let Some(gw) = r.gateway {
        let _ = write!(out, "via {gw} ");
    }
    if let (Some(oif), true) = (r.oif, show_dev) {
        match links.iter().find(|l| l.index == oif) {
            Some(l) => {
                let _ = write!(out, "dev {} ", l.name);
            }
            None => {
                let _ = write!(out, "dev if{oif} ");
            }
        }
    }
    if !r.is_cloned() {
        // RTPROT_BOOT and RT_SCOPE_UNIVERSE are the defaults ip does not print.
        if r.protocol != 3 {
            let _ = write!(out, "proto {} ", route::protocol_name(r.protocol));
        }
        if r.scope != 0 {
            let _ = write!(out, "scope {} ", route::scope_name(r.scope));
        }
    }
    if let Some(src) = r.prefsrc {
        let _ = write!(out, "src {src} ");
    }
    if let Some(m) = r.metric {
        let _ = write!(out, "metric {m} ");
    }
    for (bit, name) in route::FLAG_NAMES {
        if r.flags & bit != 0 {
            let _ = write!(out, "{name} ");
        }
    }
    if let Some(p) = r.pref {
        let _ = write!(out, "pref {}", route::pref_name(p));
    }
    out.push('\n');
    out
}
