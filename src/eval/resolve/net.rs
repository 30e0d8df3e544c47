//! `netns ...`, `addr ...` and `route ...` as requests.

use super::{ifname, named, netns, number, opt, prefix, text, Expand, Val};
use crate::eval::addr_filter::AddrSelect;
use crate::eval::error::{Result, RunError};
use crate::net::addr::Prefix;
use crate::net::names::{IfName, NetnsName};
use crate::syntax::ast::{AddrCmd, AddrFlag, AddrOpts, NetnsCmd, Word};
use crate::syntax::Span;

const PID: &str = "a process id";

#[derive(Debug, PartialEq)]
pub(in crate::eval) enum NetnsReq<'a> {
    Add(Val<NetnsName>),
    Del(Val<NetnsName>),
    List,
    /// `netns exec NS PROG ARGS`: the program's words are its own.
    Exec {
        ns: Val<NetnsName>,
        argv: &'a [Word],
    },
    Attach {
        name: Val<NetnsName>,
        pid: Val<u32>,
    },
    Identify(Option<Val<u32>>),
    Pids(Val<NetnsName>),
}

pub(in crate::eval) fn netns_cmd<'a>(x: &dyn Expand, cmd: &'a NetnsCmd) -> Result<NetnsReq<'a>> {
    Ok(match cmd {
        NetnsCmd::Add(w) => NetnsReq::Add(netns(x, w)?),
        NetnsCmd::Del(w) => NetnsReq::Del(netns(x, w)?),
        NetnsCmd::List => NetnsReq::List,
        NetnsCmd::Exec { ns, argv } => NetnsReq::Exec {
            ns: netns(x, ns)?,
            argv,
        },
        NetnsCmd::Attach { name, pid } => NetnsReq::Attach {
            name: netns(x, name)?,
            pid: number(x, pid, PID)?,
        },
        NetnsCmd::Identify(pid) => {
            NetnsReq::Identify(opt(x, pid.as_ref(), |x, w| number(x, w, PID))?)
        }
        NetnsCmd::Pids(w) => NetnsReq::Pids(netns(x, w)?),
    })
}

#[derive(Debug, PartialEq)]
pub(in crate::eval) enum AddrReq {
    Add {
        prefix: Val<Prefix>,
        dev: Val<IfName>,
        opts: AddrOptsReq,
    },
    Del {
        prefix: Val<Prefix>,
        dev: Val<IfName>,
    },
    /// `addr flush` and `addr show`: the addresses the selectors pick.
    Flush {
        dev: Option<Val<IfName>>,
        up: bool,
        select: AddrSelect,
    },
    Show {
        dev: Option<Val<IfName>>,
        up: bool,
        select: AddrSelect,
    },
}

/// `brd`: an address, or `+`/`-` (the prefix's broadcast, computed when run).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::eval) enum Broadcast {
    Plus,
    Minus,
    Addr(std::net::Ipv4Addr),
}

/// `addr add`'s options.
#[derive(Debug, Default, PartialEq)]
pub(in crate::eval) struct AddrOptsReq {
    pub broadcast: Option<Val<Broadcast>>,
    pub label: Option<Val<String>>,
    pub scope: Option<Val<u8>>,
    /// Seconds; `forever` is u32::MAX.
    pub valid_lft: Option<Val<u32>>,
    pub preferred_lft: Option<Val<u32>>,
    /// IFA_F_* bits.
    pub flags: u32,
}

/// iproute2's scope names.
pub(in crate::eval) const SCOPES: &[(&str, u8)] = &[
    ("global", 0),
    ("universe", 0),
    ("site", 200),
    ("link", 253),
    ("host", 254),
    ("nowhere", 255),
];
const SCOPE: &str = "a scope (global, site, link, host, nowhere or 0-255)";

pub(in crate::eval) fn addr(x: &dyn Expand, cmd: &AddrCmd) -> Result<AddrReq> {
    Ok(match cmd {
        AddrCmd::Add {
            prefix: p,
            dev,
            opts,
        } => {
            let prefix = prefix(x, p)?;
            if let Some(known) = &prefix.value {
                crate::eval::addr_filter::same_family(opts.family, known, p.span)?;
            }
            AddrReq::Add {
                prefix,
                dev: ifname(x, dev)?,
                opts: addr_opts(x, opts)?,
            }
        }
        AddrCmd::Del { prefix: p, dev } => AddrReq::Del {
            prefix: prefix(x, p)?,
            dev: ifname(x, dev)?,
        },
        AddrCmd::Flush { dev, filter } => AddrReq::Flush {
            dev: opt(x, dev.as_ref(), ifname)?,
            up: filter.up,
            select: crate::eval::addr_filter::resolve(filter, &mut |w| x.text(w))?,
        },
        AddrCmd::Show { dev, up, filter } => AddrReq::Show {
            dev: opt(x, dev.as_ref(), ifname)?,
            up: *up,
            select: crate::eval::addr_filter::resolve(filter, &mut |w| x.text(w))?,
        },
    })
}

fn addr_opts(x: &dyn Expand, opts: &AddrOpts) -> Result<AddrOptsReq> {
    let lifetime = |w: &Word| {
        named(
            x,
            w,
            &[("forever", u32::MAX)],
            true,
            "a lifetime in seconds, or forever",
        )
    };
    let out = AddrOptsReq {
        broadcast: opt(x, opts.broadcast.as_ref(), |x, w| {
            super::val(x, w, |text| match text.as_str() {
                "+" => Ok(Broadcast::Plus),
                "-" => Ok(Broadcast::Minus),
                _ => text
                    .parse()
                    .map(Broadcast::Addr)
                    .map_err(|_| RunError::BadValue {
                        text,
                        expected: "an IPv4 broadcast address, `+` or `-`",
                        span: w.span,
                    }),
            })
        })?,
        label: opt(x, opts.label.as_ref(), text)?,
        scope: opt(x, opts.scope.as_ref(), |x, w| {
            named(x, w, SCOPES, true, SCOPE)
        })?,
        valid_lft: opts.valid_lft.as_ref().map(lifetime).transpose()?,
        preferred_lft: opts.preferred_lft.as_ref().map(lifetime).transpose()?,
        flags: opts.flags.iter().fold(0, |bits, (flag, _)| {
            // The kernel's IFA_F_* bits.
            bits | match flag {
                AddrFlag::NoDad => 0x02,
                AddrFlag::Optimistic => 0x04,
                AddrFlag::Home => 0x10,
                AddrFlag::MngTmpAddr => 0x100,
                AddrFlag::NoPrefixRoute => 0x200,
                AddrFlag::AutoJoin => 0x400,
            }
        }),
    };
    let (v, p) = (
        out.valid_lft.as_ref().map(|v| v.value),
        out.preferred_lft.as_ref().map(|v| v.value),
    );
    // Either one alone is the other's `forever`.
    if let (Some(v), Some(p)) = (
        v.or(p.map(|_| Some(u32::MAX))).flatten(),
        p.or(v.map(|_| Some(u32::MAX))).flatten(),
    ) {
        if p > v {
            let w = opts.preferred_lft.as_ref().or(opts.valid_lft.as_ref());
            return Err(RunError::BadValue {
                text: format!("{p} > {v}"),
                expected: "preferred_lft no greater than valid_lft",
                span: w.map_or(Span::default(), |w| w.span),
            });
        }
    }
    Ok(out)
}
