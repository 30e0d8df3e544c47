//! The selectors of `addr show|flush` (`-4`, `scope`, `label`, `to`, `permanent`, ...): the
//! one resolver the evaluator and `--check` run, and the test iproute2 makes of each address.

use super::error::{Result, RunError};
use super::route_words::Text;
use super::words::parse_prefix;
use crate::net::addr::{Address, Prefix};
use crate::syntax::ast::{AddrFilter, AddrSelFlag, IpFamily};
use std::net::IpAddr;

/// IFA_F_SECONDARY.
const SECONDARY: u32 = 0x01;
/// IFA_F_PERMANENT.
const PERMANENT: u32 = 0x80;

/// The selectors, resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct AddrSelect {
    /// Only IPv4 (`Some(false)`) or IPv6 (`Some(true)`).
    pub v6: Option<bool>,
    pub scope: Option<u8>,
    pub label: Option<String>,
    pub to: Option<Prefix>,
    /// IFA_F_* bits that must be as in `flags`, as iproute2's `flagmask`.
    pub flags: u32,
    pub flagmask: u32,
}

impl AddrSelect {
    /// Whether `a`, an address of the link named `link`, is selected.
    pub fn selects(&self, a: &Address, link: &str) -> bool {
        self.v6.is_none_or(|v6| a.prefix.addr.is_ipv6() == v6)
            && self.scope.is_none_or(|s| s == a.scope)
            && (self.flags ^ a.flags) & self.flagmask == 0
            && self
                .label
                .as_deref()
                .is_none_or(|pat| glob(pat, a.label.as_deref().unwrap_or(link)))
            && self.to.is_none_or(|p| same_network(&p, a.prefix.addr))
    }
}

/// Whether `addr` lies in `p`.
fn same_network(p: &Prefix, addr: IpAddr) -> bool {
    let (a, b, width) = match (p.addr, addr) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u128::from(u32::from(a)), u128::from(u32::from(b)), 32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        _ => return false,
    };
    let len = u32::from(p.len).min(width);
    len == 0 || (a ^ b) >> (width - len) == 0
}

/// fnmatch(3) without flags, for `*`, `?` and plain characters, as iproute2 matches labels.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// `ip -4 addr add 2001:db8::1/64 ...`: refused, as iproute2 refuses it.
pub(super) fn same_family(
    family: Option<IpFamily>,
    prefix: &Prefix,
    span: crate::syntax::Span,
) -> Result<()> {
    match family {
        Some(f) if prefix.addr.is_ipv6() != (f == IpFamily::V6) => {
            let v6 = f == IpFamily::V6;
            Err(RunError::MixedFamily {
                what: "the address",
                version: if v6 { 6 } else { 4 },
                rest: if v6 { "`-6` says" } else { "`-4` says" },
                span,
            })
        }
        _ => Ok(()),
    }
}

/// The selectors' words as a filter.
pub(super) fn resolve(f: &AddrFilter, text: Text) -> Result<AddrSelect> {
    let mut s = AddrSelect {
        v6: f.family.map(|f| f == IpFamily::V6),
        ..AddrSelect::default()
    };
    if let Some(w) = &f.scope {
        if let Some(t) = text(w)? {
            s.scope = Some(super::addr::scope_number(&t).ok_or(RunError::BadValue {
                text: t,
                expected: "a scope (global, site, link, host, nowhere or 0-255)",
                span: w.span,
            })?);
        }
    }
    if let Some(w) = &f.label {
        s.label = text(w)?;
    }
    if let Some(w) = &f.to {
        if let Some(t) = text(w)? {
            let p = parse_prefix(&t, w.span)?;
            // iproute2 takes the family of the prefix when none is given.
            s.v6 = s.v6.or(Some(p.addr.is_ipv6()));
            s.to = Some(p);
        }
    }
    for (flag, _) in &f.flags {
        let (bit, on) = match flag {
            AddrSelFlag::Permanent => (PERMANENT, true),
            AddrSelFlag::Dynamic => (PERMANENT, false),
            AddrSelFlag::Secondary => (SECONDARY, true),
            AddrSelFlag::Primary => (SECONDARY, false),
        };
        s.flagmask |= bit;
        if on {
            s.flags |= bit;
        } else {
            s.flags &= !bit;
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_as_fnmatch_does() {
        assert!(glob("d0", "d0"));
        assert!(glob("d0*", "d0:1"));
        assert!(glob("*:?", "eth0:1"));
        assert!(!glob("d0", "d0:1"));
        assert!(!glob("d1*", "d0"));
        assert!(glob("*", ""));
    }

    #[test]
    fn to_selects_addresses_inside_the_prefix() {
        let p: Prefix = "10.1.1.0/24".parse().unwrap();
        assert!(same_network(&p, "10.1.1.9".parse().unwrap()));
        assert!(!same_network(&p, "10.1.2.9".parse().unwrap()));
        assert!(!same_network(&p, "2001:db8::1".parse().unwrap()));
    }
}
