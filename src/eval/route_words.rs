//! The words of `route ...` as typed requests: the one resolver the evaluator runs and
//! `--check` runs on what it can know before the run. Devices stay words here; the
//! evaluator looks them up.

use super::error::{Result, RunError};
use super::words::parse_prefix;
use crate::net::addr::Prefix;
use crate::net::route::{Family, RouteExtra};
use crate::syntax::ast::{IpFamily, PrefixMatch, RouteGet, RouteSel, RouteSpec, Span, Word};
use std::net::IpAddr;

/// A word's text, or `None` when it is not known yet (a variable, for `--check`).
pub(super) type Text<'a> = &'a mut dyn FnMut(&Word) -> Result<Option<String>>;

/// `route add|del` and their kin, resolved but for the devices.
pub(super) struct RouteRequest<'w> {
    pub family: Family,
    pub dst: Option<Prefix>,
    pub via: Option<IpAddr>,
    pub dev: Option<&'w Word>,
    pub src: Option<IpAddr>,
    pub metric: Option<u32>,
    pub extra: RouteExtra,
    pub hops: Vec<HopRequest<'w>>,
    /// The destination as messages name it.
    pub text: String,
}

/// One `nexthop`, resolved but for its device.
pub(super) struct HopRequest<'w> {
    pub via: Option<IpAddr>,
    pub dev: Option<&'w Word>,
    pub weight: u16,
    pub onlink: bool,
}

/// The selectors of `route show|flush`, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RouteFilter {
    /// The families to list.
    pub families: Vec<Family>,
    /// `None`: every table (`table all`).
    pub table: Option<u32>,
    pub proto: Option<u8>,
    pub scope: Option<u8>,
    pub kind: Option<u8>,
    pub prefix: Option<(PrefixMatch, Prefix)>,
}

fn bad(text: String, expected: &'static str, w: &Word) -> RunError {
    RunError::BadValue {
        text,
        expected,
        span: w.span,
    }
}

fn number<T: std::str::FromStr>(text: String, expected: &'static str, w: &Word) -> Result<T> {
    text.parse().map_err(|_| bad(text, expected, w))
}

/// A word's text with the word, if it is given and known.
fn known<'w>(
    text: &mut dyn FnMut(&Word) -> Result<Option<String>>,
    w: &'w Option<Word>,
) -> Result<Option<(String, &'w Word)>> {
    Ok(match w {
        Some(w) => text(w)?.map(|t| (t, w)),
        None => None,
    })
}

fn addr(
    text: &mut dyn FnMut(&Word) -> Result<Option<String>>,
    w: &Option<Word>,
) -> Result<Option<IpAddr>> {
    let Some(w) = w else { return Ok(None) };
    match text(w)? {
        Some(t) => number(t, "an IP address", w).map(Some),
        None => Ok(None),
    }
}

const TABLE: &str = "a table (main, local, default or a number)";

/// iproute2's table names, or a number; `all` only where `all` is allowed.
fn table(t: String, w: &Word, all: bool) -> Result<Option<u32>> {
    Ok(Some(match t.as_str() {
        "main" => 254,
        "local" => 255,
        "default" => 253,
        "all" | "unspec" if all => return Ok(None),
        _ => number(t, TABLE, w)?,
    }))
}

fn proto(t: String, w: &Word) -> Result<u8> {
    Ok(match t.as_str() {
        "redirect" => 1,
        "kernel" => 2,
        "boot" => 3,
        "static" => 4,
        "ra" => 9,
        "dhcp" => 16,
        _ => number(
            t,
            "a protocol (boot, static, kernel, dhcp, ... or 0-255)",
            w,
        )?,
    })
}

fn scope(t: String, w: &Word) -> Result<u8> {
    super::addr::scope_number(&t)
        .ok_or_else(|| bad(t, "a scope (global, site, link, host, nowhere or 0-255)", w))
}

/// RTN_* of iproute2's type names.
pub(super) fn kind_number(name: &str) -> u8 {
    match name {
        "local" => 2,
        "broadcast" => 3,
        "anycast" => 4,
        "multicast" => 5,
        "blackhole" => 6,
        "unreachable" => 7,
        "prohibit" => 8,
        "throw" => 9,
        "nat" => 10,
        _ => 1,
    }
}

fn version(f: Family) -> u8 {
    match f {
        Family::V4 => 4,
        Family::V6 => 6,
    }
}

/// The words of `route add|del|replace|...` as a request.
pub(super) fn resolve_spec<'w>(spec: &'w RouteSpec, text: Text) -> Result<RouteRequest<'w>> {
    let dst = match &spec.dst {
        Some(w) => match text(w)? {
            Some(t) => Some((parse_prefix(&t, w.span)?, w.span)),
            None => None,
        },
        None => None,
    };
    let via = addr(text, &spec.via)?;
    let src = addr(text, &spec.src)?;
    let hops = resolve_hops(spec, text)?;
    // The family: as given, else the destination's, else a gateway's, else IPv4.
    let family = match spec.family {
        Some(IpFamily::V4) => Family::V4,
        Some(IpFamily::V6) => Family::V6,
        None => dst
            .map(|(p, _)| Family::of(&p.addr))
            .or(via.map(|a| Family::of(&a)))
            .or(hops.iter().find_map(|h| h.via).map(|a| Family::of(&a)))
            .or(src.map(|a| Family::of(&a)))
            .unwrap_or(Family::V4),
    };
    check_family(spec, family, dst, via, src, &hops)?;
    let (metric, extra) = resolve_extra(spec, text)?;
    let text = dst.map_or_else(|| "default".to_string(), |(p, _)| p.to_string());
    Ok(RouteRequest {
        family,
        dst: dst.map(|(p, _)| p),
        via,
        dev: spec.dev.as_ref(),
        src,
        metric,
        extra,
        hops,
        text,
    })
}

/// The `nexthop` words of a multipath route.
fn resolve_hops<'w>(spec: &'w RouteSpec, text: Text) -> Result<Vec<HopRequest<'w>>> {
    let mut hops = Vec::new();
    for h in &spec.nexthops {
        let weight = match &h.weight {
            Some(w) => match text(w)? {
                Some(t) => match t.parse::<u16>() {
                    Ok(n) if (1..=256).contains(&n) => n,
                    _ => return Err(bad(t, "a weight (1 to 256)", w)),
                },
                None => 1,
            },
            None => 1,
        };
        hops.push(HopRequest {
            via: addr(text, &h.via)?,
            dev: h.dev.as_ref(),
            weight,
            onlink: h.onlink,
        });
    }
    Ok(hops)
}

/// Every address given (destination, gateways, source) is of the route's `family`.
fn check_family(
    spec: &RouteSpec,
    family: Family,
    dst: Option<(Prefix, Span)>,
    via: Option<IpAddr>,
    src: Option<IpAddr>,
    hops: &[HopRequest],
) -> Result<()> {
    let mut addresses = vec![
        ("the destination", dst.map(|(p, s)| (p.addr, s))),
        ("the gateway", via.zip(spec.via.as_ref().map(|w| w.span))),
        ("the source", src.zip(spec.src.as_ref().map(|w| w.span))),
    ];
    for (h, w) in hops.iter().zip(&spec.nexthops) {
        addresses.push((
            "a nexthop's gateway",
            h.via.zip(w.via.as_ref().map(|w| w.span)),
        ));
    }
    for (what, given) in addresses {
        if let Some((a, span)) = given {
            if Family::of(&a) != family {
                return Err(RunError::MixedFamily {
                    what,
                    version: version(family),
                    rest: "the rest of the route",
                    span,
                });
            }
        }
    }
    Ok(())
}

/// The metric, and the table, protocol, scope, type, `onlink` and MTU.
fn resolve_extra(spec: &RouteSpec, text: Text) -> Result<(Option<u32>, RouteExtra)> {
    let mut extra = RouteExtra {
        onlink: spec.onlink,
        kind: spec.kind.as_ref().map(|(k, _)| kind_number(k)),
        ..RouteExtra::default()
    };
    let metric = match known(text, &spec.metric)? {
        Some((t, w)) => Some(number(t, "a metric (0 to 4294967295)", w)?),
        None => None,
    };
    if let Some((t, w)) = known(text, &spec.table)? {
        extra.table = table(t, w, false)?;
    }
    if let Some((t, w)) = known(text, &spec.proto)? {
        extra.protocol = Some(proto(t, w)?);
    }
    if let Some((t, w)) = known(text, &spec.scope)? {
        extra.scope = Some(scope(t, w)?);
    }
    if let Some((t, w)) = known(text, &spec.mtu)? {
        extra.mtu = Some(number(t, "an MTU (a number of bytes)", w)?);
    }
    Ok((metric, extra))
}

/// The selectors of `route show|flush` as a filter: the main table and IPv4 unless they say
/// otherwise; `table all` without a family lists both, as iproute2 does.
pub(super) fn resolve_sel(
    sel: &RouteSel,
    family: Option<IpFamily>,
    text: Text,
) -> Result<RouteFilter> {
    let mut f = RouteFilter {
        families: vec![],
        table: Some(254),
        proto: None,
        scope: None,
        kind: sel.kind.as_ref().map(|(k, _)| kind_number(k)),
        prefix: None,
    };
    if let Some((t, w)) = known(text, &sel.table)? {
        f.table = table(t, w, true)?;
    }
    if let Some((t, w)) = known(text, &sel.proto)? {
        f.proto = Some(proto(t, w)?);
    }
    if let Some((t, w)) = known(text, &sel.scope)? {
        f.scope = Some(scope(t, w)?);
    }
    let family = family.map(|f| match f {
        IpFamily::V4 => Family::V4,
        IpFamily::V6 => Family::V6,
    });
    if let Some((how, w)) = &sel.prefix {
        if let Some(t) = text(w)? {
            let p = match t.as_str() {
                // iproute2's `default`: the family's /0, IPv4 unless one is given.
                "default" | "any" | "all" => match family {
                    Some(Family::V6) => parse_prefix("::/0", w.span)?,
                    _ => parse_prefix("0.0.0.0/0", w.span)?,
                },
                _ => parse_prefix(&t, w.span)?,
            };
            f.prefix = Some((*how, p));
        }
    }
    f.families = match (family, f.table) {
        (Some(fam), _) => vec![fam],
        (None, None) => vec![Family::V4, Family::V6],
        (None, Some(_)) => vec![Family::V4],
    };
    Ok(f)
}

/// The addresses of `route get`, where known.
pub(super) struct GetRequest {
    pub dst: Option<IpAddr>,
    pub from: Option<IpAddr>,
}

impl GetRequest {
    /// The destination and source, once the destination is known (always, in a run).
    pub fn into_known(self) -> Option<(IpAddr, Option<IpAddr>)> {
        Some((self.dst?, self.from))
    }
}

/// The words of `route get`: addresses, of the family `-4`/`-6` says, the source of the
/// destination's.
pub(super) fn resolve_get(get: &RouteGet, text: Text) -> Result<GetRequest> {
    let dst = addr(text, &Some(get.dst.clone()))?;
    let from = addr(text, &get.from)?;
    let wanted = match get.family {
        Some(IpFamily::V4) => Some(Family::V4),
        Some(IpFamily::V6) => Some(Family::V6),
        None => dst.map(|a| Family::of(&a)),
    };
    let said = match wanted {
        Some(Family::V6) => "`-6` says",
        _ => "`-4` says",
    };
    let checks = [
        ("the destination", dst, &get.dst, said),
        (
            "the source",
            from,
            get.from.as_ref().unwrap_or(&get.dst),
            "the destination is",
        ),
    ];
    for (what, a, w, rest) in checks {
        if let (Some(a), Some(f)) = (a, wanted) {
            if Family::of(&a) != f {
                return Err(RunError::MixedFamily {
                    what,
                    version: version(f),
                    rest,
                    span: w.span,
                });
            }
        }
    }
    Ok(GetRequest { dst, from })
}
