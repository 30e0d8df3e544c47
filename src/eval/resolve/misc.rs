//! The smaller builtins: capture, trace, graph, bridge, kill and wait, deny, set, help, for
//! ranges, and the ping destination.

use super::{ifname, netns, number, opt, prefix, text, Expand, Val};
use crate::builtins::{self, Builtin};
use crate::eval::error::{Result, RunError};
use crate::graph::Format;
use crate::net::addr::Prefix;
use crate::net::names::{IfName, NetnsName};
use crate::syntax::ast::{BridgeCmd, BridgeItem, ForItems, GraphCmd, SetOpt, Word};
use crate::syntax::Span;
use std::net::IpAddr;

/// `capture [-c N] [-w FILE] DEV { }`
pub(in crate::eval) struct CaptureReq {
    pub count: Option<Val<u64>>,
    pub file: Option<Val<String>>,
    pub dev: Val<IfName>,
}

pub(in crate::eval) fn capture(
    x: &dyn Expand,
    count: Option<&Word>,
    file: Option<&Word>,
    dev: &Word,
) -> Result<CaptureReq> {
    Ok(CaptureReq {
        count: opt(x, count, |x, w| number(x, w, "a packet count"))?,
        file: opt(x, file, text)?,
        dev: ifname(x, dev)?,
    })
}

/// One device `trace` names: `DEV` (in the current namespace) or `NS/DEV`.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::eval) struct TraceDev {
    pub ns: Option<NetnsName>,
    pub dev: IfName,
}

/// `trace [-w FILE] [DEV...] { }`
pub(in crate::eval) struct TraceReq {
    pub file: Option<Val<String>>,
    pub devs: Vec<Val<TraceDev>>,
}

pub(in crate::eval) fn trace(
    x: &dyn Expand,
    file: Option<&Word>,
    devs: &[Word],
) -> Result<TraceReq> {
    let dev = |w: &Word| {
        super::val(x, w, |t| {
            let bad = |b: crate::net::names::BadName| RunError::BadName {
                kind: b.kind,
                name: b.name,
                reason: b.reason,
                span: w.span,
            };
            Ok(match t.split_once('/') {
                Some((ns, dev)) => TraceDev {
                    ns: Some(ns.parse().map_err(bad)?),
                    dev: dev.parse().map_err(bad)?,
                },
                None => TraceDev {
                    ns: None,
                    dev: t.parse().map_err(bad)?,
                },
            })
        })
    };
    Ok(TraceReq {
        file: opt(x, file, text)?,
        devs: devs.iter().map(dev).collect::<Result<_>>()?,
    })
}

/// `graph [--all] [--format F] [-o FILE]`; without `--format`, the file's extension says.
pub(in crate::eval) struct GraphReq {
    pub all: bool,
    pub format: Option<Val<Format>>,
    pub out: Option<Val<String>>,
}

pub(in crate::eval) fn graph(x: &dyn Expand, cmd: &GraphCmd) -> Result<GraphReq> {
    Ok(GraphReq {
        all: cmd.all,
        format: opt(x, cmd.format.as_ref(), |x, w| {
            super::val(x, w, |text| {
                Format::parse(&text).ok_or(RunError::BadValue {
                    text,
                    expected: Format::EXPECTED,
                    span: w.span,
                })
            })
        })?,
        out: opt(x, cmd.out.as_ref(), text)?,
    })
}

/// `bridge link ...` and `bridge NAME { }`
pub(in crate::eval) enum BridgeReq {
    Link {
        dev: Option<Val<IfName>>,
    },
    Block {
        name: Val<IfName>,
        ports: Vec<Val<IfName>>,
        addrs: Vec<Val<Prefix>>,
    },
}

pub(in crate::eval) fn bridge(x: &dyn Expand, cmd: &BridgeCmd) -> Result<BridgeReq> {
    Ok(match cmd {
        BridgeCmd::Link { dev } => BridgeReq::Link {
            dev: opt(x, dev.as_ref(), ifname)?,
        },
        BridgeCmd::Block { name, items } => {
            let name = ifname(x, name)?;
            let (mut ports, mut addrs) = (Vec::new(), Vec::new());
            for item in items {
                match item {
                    BridgeItem::Port(words) => {
                        for w in words {
                            ports.push(ifname(x, w)?);
                        }
                    }
                    BridgeItem::Addr(w) => addrs.push(prefix(x, w)?),
                }
            }
            BridgeReq::Block { name, ports, addrs }
        }
    })
}

/// `kill`'s signal: `TERM`, `SIGTERM`, `term` or `15`; SIGTERM when none is given.
pub(in crate::eval) fn signal(signal: Option<&(String, Span)>) -> Result<i32> {
    let Some((name, span)) = signal else {
        return Ok(libc::SIGTERM);
    };
    parse_signal(name).ok_or_else(|| RunError::BadValue {
        text: name.clone(),
        expected: "a signal (TERM, INT, KILL, HUP, USR1, ... or a number)",
        span: *span,
    })
}

fn parse_signal(name: &str) -> Option<i32> {
    if let Ok(n) = name.parse::<i32>() {
        return (0..65).contains(&n).then_some(n);
    }
    let upper = name.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    Some(match bare {
        "HUP" => libc::SIGHUP,
        "INT" => libc::SIGINT,
        "QUIT" => libc::SIGQUIT,
        "KILL" => libc::SIGKILL,
        "USR1" => libc::SIGUSR1,
        "USR2" => libc::SIGUSR2,
        "TERM" => libc::SIGTERM,
        "CONT" => libc::SIGCONT,
        "STOP" => libc::SIGSTOP,
        _ => return None,
    })
}

/// The pids `kill` and `wait` name.
pub(in crate::eval) fn pids(x: &dyn Expand, pids: &[Word]) -> Result<Vec<Val<u32>>> {
    pids.iter().map(|w| number(x, w, "a process id")).collect()
}

/// What `deny` can forbid: only `host-moves` so far.
pub(in crate::eval) fn deny(x: &dyn Expand, what: &Word) -> Result<()> {
    match x.text(what)? {
        Some(text) if text != "host-moves" => Err(RunError::BadValue {
            text,
            expected: "something `deny` forbids (host-moves)",
            span: what.span,
        }),
        _ => Ok(()),
    }
}

/// What `for` walks: a range of integers, or words.
pub(in crate::eval) enum ForReq {
    Range(Val<i64>, Val<i64>),
    List(Vec<Val<String>>),
}

pub(in crate::eval) fn for_items(x: &dyn Expand, items: &ForItems) -> Result<ForReq> {
    Ok(match items {
        ForItems::Range { from, to } => {
            ForReq::Range(number(x, from, "an integer")?, number(x, to, "an integer")?)
        }
        ForItems::List(words) => {
            let list: Vec<Val<String>> = words.iter().map(|w| text(x, w)).collect::<Result<_>>()?;
            // One word with `..` that is not a range of integers is a typo, not a list.
            if let [Val {
                value: Some(t),
                span,
            }] = list.as_slice()
            {
                if t.contains("..") {
                    return Err(RunError::BadValue {
                        text: t.clone(),
                        expected: "a range of integers (A..B)",
                        span: *span,
                    });
                }
            }
            ForReq::List(list)
        }
    })
}

/// `ping DEST`: an address.
pub(in crate::eval) fn ping_dest(x: &dyn Expand, dest: &Word) -> Result<Val<IpAddr>> {
    super::val(x, dest, |t| crate::eval::ping::parse_addr(&t, dest.span))
}

/// `exec -n NS`, `netns NS { }`, `ip -n NS`, `if netns NS`: a namespace name.
pub(in crate::eval) fn ns(x: &dyn Expand, w: &Word) -> Result<Val<NetnsName>> {
    netns(x, w)
}

/// One option of `set`, as vsh takes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::eval) enum ShellOpt {
    /// `-e`, `-u`: always vsh's way; nothing to change.
    AlwaysOn,
    /// `-o pipefail` (on) or `+o pipefail` (off).
    Pipefail(bool),
}

/// `set -eu -o pipefail`; turning errexit or nounset off, and other options, are refused
/// with what vsh does instead.
pub(in crate::eval) fn set(x: &dyn Expand, opts: &[SetOpt]) -> Result<Vec<Val<ShellOpt>>> {
    opts.iter()
        .map(|o| {
            let refuse = |what: String, help: &str| RunError::Usage {
                what,
                span: o.span,
                help: Some(help.to_string()),
            };
            let value = match x.text(&o.name)? {
                None => None,
                Some(name) => Some(match (name.as_str(), o.on) {
                    ("errexit" | "nounset", true) => ShellOpt::AlwaysOn,
                    ("pipefail", on) => ShellOpt::Pipefail(on),
                    ("errexit", false) => {
                        return Err(refuse(
                            "vsh always stops at the first statement that fails".into(),
                            "let a failure be an answer: `STATEMENT || true`, \
                             `if STATEMENT { }`, or `! STATEMENT`",
                        ))
                    }
                    ("nounset", false) => {
                        return Err(refuse(
                            "a variable that is not set is always an error in vsh".into(),
                            "set it first: let NAME = ...",
                        ))
                    }
                    (other, _) => {
                        return Err(refuse(
                            format!("vsh has no `set` option \"{other}\""),
                            "vsh knows -e and -u (always on, its way) and -o pipefail",
                        ))
                    }
                }),
            };
            Ok(Val {
                value,
                span: o.span,
            })
        })
        .collect()
}

/// `help NAME`: a builtin, by its name or another of its names.
pub(in crate::eval) fn help(x: &dyn Expand, topic: &Word) -> Result<Val<&'static Builtin>> {
    super::val(x, topic, |name| {
        builtins::find(&name).ok_or(RunError::BadValue {
            text: name,
            expected: "a builtin (`help` lists them)",
            span: topic.span,
        })
    })
}
