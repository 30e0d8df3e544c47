//! `ip neigh`'s words to a typed request, as iproute2 6.1 reads them: one resolver for the run
//! and for `--check`, which knows only the literal words.

use super::error::{Result, RunError};
use crate::net::addr::Prefix;
use crate::net::neighbours::{nud, Mode, NTF_PROXY, NTF_ROUTER};
use crate::syntax::ast::{NeighCmd, NeighOpt, NeighVerb, Word};
use crate::syntax::Span;
use std::net::IpAddr;

/// The filter bit iproute2 uses for entries without any NUD state (`nud none`).
pub(super) const NO_STATE: u32 = 0x100;

/// Which entries `show` and `flush` take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Filter {
    pub dev: Option<(String, Span)>,
    /// NUD_* bits taken, and [`NO_STATE`].
    pub states: u32,
    /// `None`: every address.
    pub prefix: Option<Prefix>,
    /// `proxy`: the proxy entries instead.
    pub proxy: bool,
    /// `unused`: only entries nothing refers to.
    pub unused: bool,
}

/// What an `ip neigh` line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum NeighRequest {
    Show(Filter),
    Flush(Filter),
    Get {
        dev: (String, Span),
        dst: IpAddr,
    },
    /// add, replace, change.
    Set {
        mode: Mode,
        /// `None` only for a proxy entry.
        dev: Option<(String, Span)>,
        dst: IpAddr,
        lladdr: Option<Vec<u8>>,
        state: u16,
        flags: u8,
    },
    Del {
        dev: Option<(String, Span)>,
        dst: IpAddr,
        proxy: bool,
    },
}

/// The request `cmd` makes, with `text` giving each word's text, or `None` when it is not
/// known yet (`--check`): then `Ok(None)` once every known word is checked.
pub(super) fn resolve(
    cmd: &NeighCmd,
    span: Span,
    text: &mut dyn FnMut(&Word) -> Result<Option<String>>,
) -> Result<Option<NeighRequest>> {
    match cmd.verb {
        NeighVerb::Show | NeighVerb::Flush => {
            let flush = cmd.verb == NeighVerb::Flush;
            Ok(filter(&cmd.opts, flush, text)?.map(|f| match flush {
                true => NeighRequest::Flush(f),
                false => NeighRequest::Show(f),
            }))
        }
        NeighVerb::Get => {
            let (mut dev, mut dst, mut known) = (None, None, true);
            for opt in &cmd.opts {
                match opt {
                    NeighOpt::Dev(w) => dev = Some(w),
                    NeighOpt::To(w) => {
                        duplicate(dst.is_some(), w)?;
                        dst = Some(w);
                    }
                    _ => {}
                }
            }
            let (Some(dev), Some(dst)) = (dev, dst) else {
                return Err(required("a device and an address", span));
            };
            let dev = known_dev(dev, text, &mut known)?;
            let dst = known_addr(dst, text, &mut known)?;
            Ok(match (dev, dst, known) {
                (Some(dev), Some(dst), true) => Some(NeighRequest::Get { dev, dst }),
                _ => None,
            })
        }
        NeighVerb::Add | NeighVerb::Replace | NeighVerb::Change | NeighVerb::Del => {
            modify(cmd, span, text)
        }
    }
}

fn modify(
    cmd: &NeighCmd,
    span: Span,
    text: &mut dyn FnMut(&Word) -> Result<Option<String>>,
) -> Result<Option<NeighRequest>> {
    let mut known = true;
    let (mut dev, mut dst, mut lladdr) = (None, None, None);
    let mut state = nud::PERMANENT;
    let mut flags = 0u8;
    for opt in &cmd.opts {
        match opt {
            NeighOpt::Lladdr(w) => {
                duplicate(lladdr.is_some(), w)?;
                lladdr = Some(w);
            }
            NeighOpt::Nud(w) => {
                if let Some(t) = text(w)? {
                    state = nud_state(&t).ok_or_else(|| bad_nud(t, w.span))?;
                }
            }
            NeighOpt::Proxy(w) | NeighOpt::To(w) => {
                duplicate(dst.is_some(), w)?;
                dst = Some(w);
                if matches!(opt, NeighOpt::Proxy(_)) {
                    flags |= NTF_PROXY;
                }
            }
            NeighOpt::Router(_) => flags |= NTF_ROUTER,
            NeighOpt::Dev(w) => dev = Some(w),
            NeighOpt::All(_) | NeighOpt::ProxyOnly(_) | NeighOpt::Unused(_) => {}
        }
    }
    // A proxy entry may stand without a device.
    let Some(dst) = dst.filter(|_| dev.is_some() || flags & NTF_PROXY != 0) else {
        return Err(required("a device and a destination", span));
    };
    let dev = match dev {
        Some(w) => Some(known_dev(w, text, &mut known)?),
        None => None,
    };
    let dst = known_addr(dst, text, &mut known)?;
    let lladdr = known_lladdr(lladdr, text, &mut known)?;
    let (Some(dst), true) = (dst, known) else {
        return Ok(None);
    };
    let dev = dev.flatten();
    Ok(Some(request(cmd.verb, dev, dst, lladdr, state, flags)))
}

/// The `lladdr` word's address: `null` is none; not known yet clears `known`.
fn known_lladdr(
    w: Option<&Word>,
    text: &mut dyn FnMut(&Word) -> Result<Option<String>>,
    known: &mut bool,
) -> Result<Option<Vec<u8>>> {
    Ok(match w {
        None => None,
        Some(w) => match text(w)? {
            None => {
                *known = false;
                None
            }
            // `null`: no link-layer address.
            Some(t) if t == "null" => None,
            Some(t) => Some(parse_lladdr(&t).ok_or(RunError::BadValue {
                text: t,
                expected: "a link-layer address such as 02:00:00:00:00:01",
                span: w.span,
            })?),
        },
    })
}

/// The request of `verb` (add, replace, change or del) once every word is known.
fn request(
    verb: NeighVerb,
    dev: Option<(String, Span)>,
    dst: IpAddr,
    lladdr: Option<Vec<u8>>,
    state: u16,
    flags: u8,
) -> NeighRequest {
    match verb {
        NeighVerb::Del => NeighRequest::Del {
            dev,
            dst,
            proxy: flags & NTF_PROXY != 0,
        },
        verb => NeighRequest::Set {
            mode: match verb {
                NeighVerb::Add => Mode::Add,
                NeighVerb::Replace => Mode::Replace,
                _ => Mode::Change,
            },
            dev,
            dst,
            lladdr,
            state,
            flags,
        },
    }
}

fn filter(
    opts: &[NeighOpt],
    flush: bool,
    text: &mut dyn FnMut(&Word) -> Result<Option<String>>,
) -> Result<Option<Filter>> {
    let mut known = true;
    let mut f = Filter {
        dev: None,
        // Without `nud`: show leaves out NOARP entries; flush also permanent ones.
        states: match flush {
            true => !u32::from(nud::PERMANENT | nud::NOARP),
            false => 0xff & !u32::from(nud::NOARP),
        },
        prefix: None,
        proxy: false,
        unused: false,
    };
    let mut state_given = false;
    let mut dev_given = false;
    for opt in opts {
        match opt {
            NeighOpt::Dev(w) => {
                duplicate(dev_given, w)?;
                dev_given = true;
                f.dev = known_dev(w, text, &mut known)?;
            }
            NeighOpt::Nud(w) => {
                if !state_given {
                    state_given = true;
                    f.states = 0;
                }
                let Some(t) = text(w)? else { continue };
                let state = match nud_state(&t) {
                    Some(s) => u32::from(s),
                    None if t == "all" => match flush {
                        true => !u32::from(nud::NOARP),
                        false => !0,
                    },
                    None => return Err(bad_nud(t, w.span)),
                };
                f.states |= if state == 0 { NO_STATE } else { state };
            }
            NeighOpt::ProxyOnly(_) => f.proxy = true,
            NeighOpt::Unused(_) => f.unused = true,
            NeighOpt::All(_) => f.prefix = None,
            NeighOpt::To(w) => match text(w)? {
                None => known = false,
                Some(t) if matches!(t.as_str(), "all" | "any" | "default") => f.prefix = None,
                Some(t) => {
                    f.prefix = Some(super::words::parse_prefix(&t, w.span)?);
                }
            },
            NeighOpt::Lladdr(_) | NeighOpt::Proxy(_) | NeighOpt::Router(_) => {}
        }
    }
    if flush {
        // iproute2 never flushes entries that failed to resolve.
        f.states &= !u32::from(nud::FAILED);
    }
    Ok(known.then_some(f))
}

/// iproute2's NUD names (`permanent`, `reachable` and `failed` by any prefix), or a number
/// with at most one bit of the eight.
pub(super) fn nud_state(text: &str) -> Option<u16> {
    let prefix = |word: &str| !text.is_empty() && word.starts_with(text);
    Some(match text {
        _ if prefix("permanent") => nud::PERMANENT,
        _ if prefix("reachable") => nud::REACHABLE,
        "noarp" => nud::NOARP,
        "none" => 0,
        "stale" => nud::STALE,
        "incomplete" => nud::INCOMPLETE,
        "delay" => nud::DELAY,
        "probe" => nud::PROBE,
        _ if prefix("failed") => nud::FAILED,
        _ => {
            let n = parse_unsigned(text)?;
            if n >= 0x100 || n & n.wrapping_sub(1) != 0 {
                return None;
            }
            n as u16
        }
    })
}

/// A number as C's strtoul with base 0 reads it: decimal, 0x hex or 0 octal.
fn parse_unsigned(text: &str) -> Option<u32> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        u32::from_str_radix(hex, 16).ok()
    } else if text.len() > 1 && text.starts_with('0') {
        u32::from_str_radix(&text[1..], 8).ok()
    } else {
        text.parse().ok()
    }
}

/// A link-layer address as iproute2 reads it: bytes in hex separated by `:` (each read as
/// C's `%x` reads it, up to 20 of them), or a dotted IPv4 address (4 bytes).
pub(super) fn parse_lladdr(text: &str) -> Option<Vec<u8>> {
    if text.contains('.') {
        return text
            .parse::<std::net::Ipv4Addr>()
            .ok()
            .map(|a| a.octets().to_vec());
    }
    let bytes: Vec<u8> = text
        .split(':')
        .map(|group| {
            let g = group.trim_start();
            let g = g
                .strip_prefix("0x")
                .or_else(|| g.strip_prefix("0X"))
                .unwrap_or(g);
            let digits: String = g.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(|n| u8::try_from(n).ok())
        })
        .collect::<Option<_>>()?;
    (bytes.len() <= 20).then_some(bytes)
}

fn known_dev(
    w: &Word,
    text: &mut dyn FnMut(&Word) -> Result<Option<String>>,
    known: &mut bool,
) -> Result<Option<(String, Span)>> {
    match text(w)? {
        None => {
            *known = false;
            Ok(None)
        }
        Some(t) => {
            super::resolve::parse_ifname(&t, w.span)?;
            Ok(Some((t, w.span)))
        }
    }
}

fn known_addr(
    w: &Word,
    text: &mut dyn FnMut(&Word) -> Result<Option<String>>,
    known: &mut bool,
) -> Result<Option<IpAddr>> {
    match text(w)? {
        None => {
            *known = false;
            Ok(None)
        }
        Some(t) => t.parse().map(Some).map_err(|_| RunError::BadValue {
            text: t,
            expected: "an IPv4 or IPv6 address",
            span: w.span,
        }),
    }
}

fn duplicate(given: bool, w: &Word) -> Result<()> {
    match given {
        true => Err(RunError::Usage {
            what: "given twice".into(),
            span: w.span,
            help: Some("ip neigh takes each of its options once".into()),
        }),
        false => Ok(()),
    }
}

fn required(what: &str, span: Span) -> RunError {
    RunError::Usage {
        what: format!("ip neigh needs {what}"),
        span,
        help: Some("as in: neigh add 10.1.1.2 lladdr 02:00:00:00:00:02 dev veth0".into()),
    }
}

fn bad_nud(text: String, span: Span) -> RunError {
    RunError::BadValue {
        text,
        expected: "a NUD state: permanent, noarp, reachable, stale, none, incomplete, delay, probe or failed",
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nud_states_as_iproute2_reads_them() {
        assert_eq!(nud_state("perm"), Some(nud::PERMANENT));
        assert_eq!(nud_state("p"), Some(nud::PERMANENT));
        assert_eq!(nud_state("reach"), Some(nud::REACHABLE));
        assert_eq!(nud_state("fail"), Some(nud::FAILED));
        assert_eq!(nud_state("none"), Some(0));
        assert_eq!(nud_state("0x4"), Some(nud::STALE));
        assert_eq!(nud_state("3"), None);
        assert_eq!(nud_state("stal"), None);
        assert_eq!(nud_state("bogus"), None);
    }

    #[test]
    fn link_layer_addresses_as_iproute2_reads_them() {
        assert_eq!(
            parse_lladdr("02:00:00:00:00:0a"),
            Some(vec![2, 0, 0, 0, 0, 10])
        );
        assert_eq!(parse_lladdr("2:0:0:0:0:5"), Some(vec![2, 0, 0, 0, 0, 5]));
        // `%x` stops at the first letter that is not hex.
        assert_eq!(parse_lladdr("02:0g"), Some(vec![2, 0]));
        assert_eq!(parse_lladdr("10.1.1.1"), Some(vec![10, 1, 1, 1]));
        assert_eq!(parse_lladdr("zz:00"), None);
        assert_eq!(parse_lladdr("100:00"), None);
    }
}
