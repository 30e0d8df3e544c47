//! `route ...` and `ip route ...`: the routing tables of the current namespace.

use super::error::{Result, RunError};
use super::journal::{At, Entry};
use super::netns::{fail, where_};
use super::route_show::{self, Omit};
use super::route_words::{self, RouteFilter};
use super::Evaluator;
use crate::net::nexthop;
use crate::net::route::{self, Mode, NextHop, Route};
use crate::net::route_get;
use crate::syntax::ast::{IpFamily, RouteCmd, RouteGet, RouteMode, RouteSel, RouteSpec, Word};
use crate::syntax::Span;
use nix::errno::Errno;

impl Evaluator {
    pub(super) fn route_cmd(&mut self, cmd: &RouteCmd, span: Span) -> Result<()> {
        match cmd {
            RouteCmd::Show { family, dev, sel } => {
                let (filter, oif) = self.route_filter(*family, dev, sel)?;
                let routes = self.selected_routes(&filter, oif, span)?;
                let links = self.links(span)?;
                let opts = self.output_opts();
                if opts.json {
                    let shown: Vec<&Route> = routes.iter().collect();
                    let text = super::show::routes_json(&shown, &links, oif.is_some(), &opts);
                    self.out.print(&text);
                    return Ok(());
                }
                let omit = Omit::for_filter(&filter, oif.is_some());
                for r in &routes {
                    self.out.print(&route_show::line(r, &links, omit));
                }
                Ok(())
            }
            RouteCmd::Add(spec) => self.route_set(spec, span),
            RouteCmd::Del(spec) => self.route_del(spec, span),
            RouteCmd::Flush { family, dev, sel } => {
                let (filter, oif) = self.route_filter(*family, dev, sel)?;
                self.route_flush(&filter, oif, span)
            }
            RouteCmd::Get(get) => self.route_get(get, span),
        }
    }

    /// `route add|replace|change|append|prepend`: journaled as the route it adds and, for
    /// replace and change, every configured route as it was, for undo to put back.
    fn route_set(&mut self, spec: &RouteSpec, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let (req, dst) = self.route_spec(spec)?;
        let mode = match spec.mode {
            RouteMode::Add => Mode::Add,
            RouteMode::Replace => Mode::Replace,
            RouteMode::Change => Mode::Change,
            RouteMode::Append => Mode::Append,
            RouteMode::Prepend => Mode::Prepend,
        };
        let at = self.at(&ns, span)?;
        let mut entries = vec![];
        if matches!(mode, Mode::Replace | Mode::Change) && !self.made_here(&ns, None, span)? {
            entries = self.routes_to(&at, &req, span)?;
        }
        if !self.made_here(&ns, req.oif, span)? {
            entries.push(Entry::Route {
                at,
                spec: req.clone(),
            });
        }
        let verb = match mode {
            Mode::Add => "add",
            Mode::Replace => "replace",
            Mode::Change => "change",
            Mode::Append => "append",
            Mode::Prepend => "prepend",
        };
        self.journaled(entries, |ev| {
            let sock = ev.socket(&ns, span)?;
            route::set(sock, &req, mode)
                .map_err(fail(
                    format!("cannot {verb} route {dst} {}", where_(&ns)),
                    span,
                ))
                .map_err(route_hint)
        })
    }

    fn route_del(&mut self, spec: &RouteSpec, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let (req, dst) = self.route_spec(spec)?;
        let at = self.at(&ns, span)?;
        let entries = if self.made_here(&ns, req.oif, span)? {
            vec![]
        } else {
            self.routes_of(&at, span)?
        };
        self.journaled(entries, |ev| {
            let sock = ev.socket(&ns, span)?;
            route::del(sock, &req)
                .map_err(fail(
                    format!("cannot delete route {dst} {}", where_(&ns)),
                    span,
                ))
                .map_err(route_hint)
        })
    }

    /// The routes `replace` or `change` may overwrite, saved: those of the same destination
    /// in the same table, whoever made them (the kernel's own too).
    fn routes_to(&mut self, at: &At, req: &route::RouteSpec, span: Span) -> Result<Vec<Entry>> {
        let table = req.extra.table.unwrap_or(route::TABLE_MAIN);
        let (dst, len) = req.dst.map_or((None, 0), |p| (Some(p.addr), p.len));
        let sock = self.socket(&at.ns, span)?;
        let routes = route::list(sock, req.family).map_err(fail("cannot list routes", span))?;
        Ok(routes
            .into_iter()
            .filter(|r| !r.is_cloned() && r.table == table && r.dst_len == len && r.dst == dst)
            .map(|route| Entry::RouteSaved {
                at: at.clone(),
                route,
            })
            .collect())
    }

    /// `route flush SELECTORS`: each route removed is saved first, those through a gateway
    /// first, so that undo (newest first) puts back the routes of the link before them.
    fn route_flush(&mut self, filter: &RouteFilter, oif: Option<u32>, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let mut routes = self.selected_routes(filter, oif, span)?;
        routes.sort_by_key(|r| r.gateway.is_none() && r.nexthops.is_empty());
        let at = self.at(&ns, span)?;
        let saved = if self.made_here(&ns, None, span)? {
            vec![]
        } else {
            routes
                .iter()
                .map(|r| Entry::RouteSaved {
                    at: at.clone(),
                    route: r.clone(),
                })
                .collect()
        };
        self.journaled(saved, |ev| {
            let sock = ev.socket(&ns, span)?;
            for r in &routes {
                match route::remove(sock, r) {
                    // Gone with another (a route of an address flushed before it).
                    Err(e) if e.errno() == Some(Errno::ESRCH) => {}
                    other => other
                        .map_err(fail(format!("cannot flush a route {}", where_(&ns)), span))?,
                }
            }
            Ok(())
        })
    }

    /// `route get`: the kernel's route for one packet, printed as iproute2 prints it.
    fn route_get(&mut self, get: &RouteGet, span: Span) -> Result<()> {
        let ns = self.ns.clone();
        let (dst, from) = route_words::resolve_get(get, &mut |w| self.word(w).map(Some))?
            .into_known()
            .ok_or(RunError::BadValue {
                text: String::new(),
                expected: "an IP address",
                span: get.dst.span,
            })?;
        let iif = match &get.iif {
            Some(w) => Some(self.device(w)?.0),
            None => None,
        };
        let oif = match &get.oif {
            Some(w) => Some(self.device(w)?.0),
            None => None,
        };
        let links = self.links(span)?;
        let sock = self.socket(&ns, span)?;
        let q = route_get::Query {
            dst,
            from,
            iif,
            oif,
        };
        let found = route_get::get(sock, &q).map_err(fail(
            format!("cannot find a route to {dst} {}", where_(&ns)),
            span,
        ))?;
        self.out.print(&route_show::lookup(&found, &links));
        Ok(())
    }

    /// The selectors of `route show|flush`, and the device's ifindex.
    fn route_filter(
        &mut self,
        family: Option<IpFamily>,
        dev: &Option<Word>,
        sel: &RouteSel,
    ) -> Result<(RouteFilter, Option<u32>)> {
        let filter = route_words::resolve_sel(sel, family, &mut |w| self.word(w).map(Some))?;
        let oif = match dev {
            Some(w) => Some(self.device(w)?.0),
            None => None,
        };
        Ok((filter, oif))
    }

    /// The routes of the current namespace the filter selects, in the kernel's order.
    fn selected_routes(
        &mut self,
        filter: &RouteFilter,
        oif: Option<u32>,
        span: Span,
    ) -> Result<Vec<Route>> {
        let ns = self.ns.clone();
        let sock = self.socket(&ns, span)?;
        let mut out = Vec::new();
        for family in &filter.families {
            let routes = route::list(sock, *family)
                .map_err(fail(format!("cannot list routes {}", where_(&ns)), span))?;
            out.extend(
                routes
                    .into_iter()
                    .filter(|r| route_show::selects(filter, r, oif)),
            );
        }
        Ok(out)
    }

    /// The words of `route add|del` as a request, and the destination as text for messages.
    fn route_spec(&mut self, spec: &RouteSpec) -> Result<(route::RouteSpec, String)> {
        let req = route_words::resolve_spec(spec, &mut |w| self.word(w).map(Some))?;
        let oif = match req.dev {
            Some(w) => Some(self.device(w)?.0),
            None => None,
        };
        let mut nexthops = Vec::new();
        for h in &req.hops {
            nexthops.push(NextHop {
                gateway: h.via,
                oif: match h.dev {
                    Some(w) => self.device(w)?.0,
                    None => 0,
                },
                weight: h.weight,
                flags: if h.onlink { nexthop::RTNH_F_ONLINK } else { 0 },
            });
        }
        Ok((
            route::RouteSpec {
                family: req.family,
                dst: req.dst,
                gateway: req.via,
                oif,
                prefsrc: req.src,
                metric: req.metric,
                extra: req.extra,
                nexthops,
            },
            req.text,
        ))
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
