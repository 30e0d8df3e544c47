//! `link ...` and `veth ...`: devices, their options, and the options of each kind.

use super::{ifname, netns, number, opt, text, val, Expand, Val};
use crate::eval::error::{Result, RunError};
use crate::eval::kinds;
use crate::net::link::{BridgeOpt, MacvlanMode, VxlanOpt};
use crate::net::names::{IfName, NetnsName};
use crate::syntax::ast::{LinkCmd, LinkOp, LinkType, Word};
use crate::syntax::Span;
use std::fmt;

/// `link ...` as a request.
#[derive(Debug)]
pub(in crate::eval) enum LinkReq {
    Show {
        dev: Option<Val<IfName>>,
    },
    Add {
        name: Val<IfName>,
        kind: KindReq,
        ops: Vec<OpReq>,
    },
    Set {
        dev: Val<IfName>,
        ops: Vec<OpReq>,
    },
    Del {
        dev: Val<IfName>,
    },
    /// `link property add|del [dev] DEV altname NAME...`
    Property {
        add: bool,
        dev: Val<IfName>,
        altnames: Vec<Val<String>>,
    },
}

/// One operation of `link set` (or of `link add` before `type`).
#[derive(Clone, Debug, PartialEq)]
pub(in crate::eval) enum OpReq {
    Up(Span),
    Down(Span),
    NoMaster(Span),
    Netns(Val<Target>),
    Master(Val<IfName>),
    Mtu(Val<u32>),
    Name(Val<IfName>),
    /// `address`, `alias`, `arp`, `txqueuelen`, `type bridge ...`: read by linkset.rs's
    /// resolver, which the whole request has already passed.
    More(LinkOp),
}

/// Where `netns` sends a device: a namespace by name, or a process's.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::eval) enum Target {
    Pid(u32),
    Named(NetnsName),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Pid(pid) => write!(f, "{pid}"),
            Target::Named(name) => write!(f, "{name}"),
        }
    }
}

/// What `type` makes.
#[derive(Debug)]
pub(in crate::eval) enum KindReq {
    /// `type veth [peer [name] NAME [netns NS]]`
    Veth {
        peer: Option<Val<IfName>>,
        peer_netns: Option<Val<NetnsName>>,
        peer_ops: Vec<OpReq>,
        span: Span,
    },
    /// `type KIND [KEY VALUE]...`
    Other { kind: Val<String>, opts: KindOpts },
}

/// The options of `type KIND`, read into what the kernel takes.
#[derive(Debug, Default, PartialEq)]
pub(in crate::eval) struct KindOpts {
    /// macvlan's `link DEV`, vxlan's `dev DEV`.
    pub parent: Option<Val<IfName>>,
    pub mode: Option<MacvlanMode>,
    pub id: Option<Val<u32>>,
    pub port: Option<Val<u16>>,
    pub bridge: Vec<BridgeOpt>,
    pub vxlan: Vec<VxlanOpt>,
    /// A VLAN's `protocol 802.1ad` (802.1Q when not given).
    pub ad: bool,
}

/// The words of `link ...` as a request.
pub(in crate::eval) fn link(x: &dyn Expand, cmd: &LinkCmd) -> Result<LinkReq> {
    Ok(match cmd {
        LinkCmd::Show { dev } => LinkReq::Show {
            dev: opt(x, dev.as_ref(), ifname)?,
        },
        LinkCmd::Add { name, kind, ops } => {
            let name = ifname(x, name)?;
            let kind = match kind {
                LinkType::Veth {
                    peer,
                    peer_netns,
                    peer_ops,
                    span,
                } => KindReq::Veth {
                    peer: opt(x, peer.as_ref(), ifname)?,
                    peer_netns: opt(x, peer_netns.as_ref(), netns)?,
                    peer_ops: link_ops(x, peer_ops)?,
                    span: *span,
                },
                LinkType::Other { kind, opts } => {
                    let kind_text = text(x, kind)?;
                    let opts = kind_opts(x, kind_text.value.as_deref(), opts, kind.span)?;
                    KindReq::Other {
                        kind: kind_text,
                        opts,
                    }
                }
            };
            LinkReq::Add {
                name,
                kind,
                ops: link_ops(x, ops)?,
            }
        }
        LinkCmd::Set { dev, ops } => LinkReq::Set {
            dev: ifname(x, dev)?,
            ops: link_ops(x, ops)?,
        },
        LinkCmd::Del { dev } => LinkReq::Del {
            dev: ifname(x, dev)?,
        },
        LinkCmd::Property { add, dev, altnames } => LinkReq::Property {
            add: *add,
            dev: ifname(x, dev)?,
            altnames: altnames
                .iter()
                .map(|w| {
                    val(x, w, |t| {
                        crate::eval::linkset::check_altname(&t, w.span)?;
                        Ok(t)
                    })
                })
                .collect::<Result<_>>()?,
        },
    })
}

/// `veth A peer B [netns NS]`
pub(in crate::eval) struct VethReq {
    pub name: Val<IfName>,
    pub peer: Val<IfName>,
    pub netns: Option<Val<NetnsName>>,
}

pub(in crate::eval) fn veth(
    x: &dyn Expand,
    name: &Word,
    peer: &Word,
    ns: Option<&Word>,
) -> Result<VethReq> {
    Ok(VethReq {
        name: ifname(x, name)?,
        peer: ifname(x, peer)?,
        netns: opt(x, ns, netns)?,
    })
}

pub(in crate::eval) fn link_ops(x: &dyn Expand, ops: &[LinkOp]) -> Result<Vec<OpReq>> {
    let more: Vec<&LinkOp> = ops.iter().filter(|op| is_more(op)).collect();
    crate::eval::linkset::resolve_more(&more, &mut |w| x.text(w))?;
    ops.iter()
        .map(|op| {
            Ok(match op {
                LinkOp::Up(s) => OpReq::Up(*s),
                LinkOp::Down(s) => OpReq::Down(*s),
                LinkOp::NoMaster(s) => OpReq::NoMaster(*s),
                LinkOp::Netns(w) => OpReq::Netns(target(x, w)?),
                LinkOp::Master(w) => OpReq::Master(ifname(x, w)?),
                LinkOp::Mtu(w) => OpReq::Mtu(number(x, w, "an MTU (bytes)")?),
                LinkOp::Name(w) => OpReq::Name(ifname(x, w)?),
                other => OpReq::More(other.clone()),
            })
        })
        .collect()
}

/// Whether linkset.rs reads `op`.
fn is_more(op: &LinkOp) -> bool {
    !matches!(
        op,
        LinkOp::Up(_)
            | LinkOp::Down(_)
            | LinkOp::NoMaster(_)
            | LinkOp::Netns(_)
            | LinkOp::Master(_)
            | LinkOp::Mtu(_)
            | LinkOp::Name(_)
    )
}

/// `netns NS|PID`: a number is a process.
fn target(x: &dyn Expand, w: &Word) -> Result<Val<Target>> {
    let text = text(x, w)?;
    Ok(Val {
        value: match text.value {
            None => None,
            Some(t) => Some(match t.parse::<u32>() {
                Ok(pid) => Target::Pid(pid),
                Err(_) => Target::Named(netns(x, w)?.take()?),
            }),
        },
        span: w.span,
    })
}

/// The options of `type KIND` (`None`: a kind not known before the run, whose options wait).
fn kind_opts(
    x: &dyn Expand,
    kind: Option<&str>,
    opts: &[(Word, Word)],
    kind_span: Span,
) -> Result<KindOpts> {
    let mut out = KindOpts::default();
    let Some(kind) = kind else {
        return Ok(out);
    };
    // A key given by a variable: which options are missing is known only when run.
    let mut all_known = true;
    // `srcport`'s first port, until its second.
    let mut low = None;
    for (key, value) in opts {
        let Some(k) = x.text(key)? else {
            all_known = false;
            continue;
        };
        match (kind, k.as_str()) {
            ("macvlan" | "macvtap" | "vlan", "link") | ("vxlan", "dev") => {
                out.parent = Some(ifname(x, value)?)
            }
            ("macvlan" | "macvtap", "mode") => {
                out.mode = macvlan_mode(x, value)?;
            }
            ("vxlan", "id") => out.id = Some(number(x, value, "a VXLAN id")?),
            ("vlan", "id") => out.id = Some(vlan_id(x, value)?),
            ("vlan", "protocol" | "proto") => out.ad = vlan_protocol(x, value)?,
            ("vxlan", "dstport") => out.port = Some(number(x, value, "a port number")?),
            ("vxlan", "srcport") => low = number::<u16>(x, value, "a port number")?.value,
            ("vxlan", "srcport-high") => {
                let high = number::<u16>(x, value, "a port number")?.value;
                if let (Some(low), Some(high)) = (low, high) {
                    out.vxlan.push(VxlanOpt::PortRange(low, high));
                }
            }
            ("vxlan", other) if kinds::kind_takes("vxlan", other) => {
                out.vxlan.extend(kinds::vxlan_opt(x, other, value)?)
            }
            ("bridge", other) if kinds::kind_takes("bridge", other) => {
                out.bridge.extend(kinds::bridge_opt(x, other, value)?)
            }
            (_, other) => {
                return Err(RunError::BadOption {
                    kind: kind.to_string(),
                    key: other.to_string(),
                    accepted: kinds::kind_options(kind),
                    span: key.span,
                })
            }
        }
    }
    let missing = match kind {
        "macvlan" | "macvtap" if out.parent.is_none() => Some("link"),
        // An `external` VXLAN takes its VNI from each packet's metadata, and learns nothing
        // unless told to, as iproute2 sets it up.
        "vxlan" if out.vxlan.contains(&VxlanOpt::External(true)) => {
            if let Some(id) = &out.id {
                return Err(RunError::BadValue {
                    text: "id".into(),
                    expected: "no `id` with `external` (the VNI comes from each packet)",
                    span: id.span,
                });
            }
            if !out.vxlan.iter().any(|o| matches!(o, VxlanOpt::Learning(_))) {
                out.vxlan.insert(0, VxlanOpt::Learning(false));
            }
            None
        }
        "vxlan" if out.id.is_none() => Some("id"),
        "vlan" if out.id.is_none() => Some("id"),
        "vlan" if out.parent.is_none() => Some("link"),
        _ => None,
    };
    match missing {
        Some(key) if all_known => Err(RunError::MissingOption {
            kind: kind.to_string(),
            key,
            span: kind_span,
        }),
        _ => Ok(out),
    }
}

/// A VLAN id: 0-4094.
fn vlan_id(x: &dyn Expand, value: &Word) -> Result<Val<u32>> {
    let id = number::<u32>(x, value, "a VLAN id (0-4094)")?;
    match id.value {
        Some(n) if n > 4094 => Err(RunError::BadValue {
            text: n.to_string(),
            expected: "a VLAN id (0-4094)",
            span: value.span,
        }),
        _ => Ok(id),
    }
}

/// `protocol 802.1Q|802.1ad`, in any case as iproute2 reads it: whether it is 802.1ad.
fn vlan_protocol(x: &dyn Expand, value: &Word) -> Result<bool> {
    let Some(text) = x.text(value)? else {
        return Ok(false);
    };
    match text.to_ascii_lowercase().as_str() {
        "802.1q" => Ok(false),
        "802.1ad" => Ok(true),
        _ => Err(RunError::BadValue {
            text,
            expected: "a VLAN protocol (802.1Q or 802.1ad)",
            span: value.span,
        }),
    }
}

fn macvlan_mode(x: &dyn Expand, value: &Word) -> Result<Option<MacvlanMode>> {
    let Some(text) = x.text(value)? else {
        return Ok(None);
    };
    Ok(Some(match text.as_str() {
        "private" => MacvlanMode::Private,
        "vepa" => MacvlanMode::Vepa,
        "bridge" => MacvlanMode::Bridge,
        "passthru" => MacvlanMode::Passthru,
        "source" => MacvlanMode::Source,
        _ => {
            return Err(RunError::BadValue {
                text,
                expected: "a macvlan mode (private, vepa, bridge, passthru, source)",
                span: value.span,
            })
        }
    }))
}
