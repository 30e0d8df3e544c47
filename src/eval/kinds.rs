//! The options of `link add ... type bridge|vxlan` by iproute2's names, read into what the
//! kernel takes, by the link resolver (resolve/link.rs) when run and under `--check`.

use super::error::{Result, RunError};
use super::resolve::{ip, parse_number, Expand};
use crate::net::link::{BridgeOpt, VxlanOpt};
use crate::syntax::ast::Word;
use crate::syntax::Span;

/// An option's name and what its value becomes.
type Named<T> = (&'static str, fn(T) -> BridgeOpt);

/// Bridge options that take a number: iproute2's name and what it becomes.
const BRIDGE_NUMBERS: &[Named<u32>] = &[
    ("stp_state", BridgeOpt::StpState),
    ("forward_delay", BridgeOpt::ForwardDelay),
    ("hello_time", BridgeOpt::HelloTime),
    ("max_age", BridgeOpt::MaxAge),
    ("ageing_time", BridgeOpt::AgeingTime),
];

/// Bridge options that are 0 or 1.
const BRIDGE_SWITCHES: &[Named<bool>] = &[
    ("vlan_filtering", BridgeOpt::VlanFiltering),
    ("mcast_snooping", BridgeOpt::McastSnooping),
    ("mcast_querier", BridgeOpt::McastQuerier),
];

/// VXLAN options without a value (a flag's value word is the flag itself).
pub(super) const VXLAN_FLAGS: &[&str] = &[
    "learning",
    "nolearning",
    "proxy",
    "udpcsum",
    "noudpcsum",
    "external",
    "noexternal",
];

/// The options vsh sets itself for a kind, for errors.
pub(super) fn kind_options(kind: &str) -> &'static str {
    match kind {
        "macvlan" | "macvtap" => "link DEV, mode private|vepa|bridge|passthru|source",
        "vlan" => "link DEV, id N, protocol 802.1Q|802.1ad",
        "vxlan" => {
            "id N, dev DEV, dstport PORT, local ADDR, remote ADDR, group ADDR, ttl N|auto|inherit, \
             tos N|inherit, srcport MIN MAX, [no]learning, proxy, [no]udpcsum, [no]external"
        }
        "bridge" => {
            "stp_state, forward_delay, hello_time, max_age, ageing_time, priority, \
             vlan_filtering, vlan_default_pvid, mcast_snooping, mcast_querier"
        }
        _ => "no options",
    }
}

/// Whether vsh's `link add ... type KIND` takes option `key`.
pub(super) fn kind_takes(kind: &str, key: &str) -> bool {
    match kind {
        "macvlan" | "macvtap" => matches!(key, "link" | "mode"),
        "vlan" => matches!(key, "link" | "id" | "protocol" | "proto"),
        "vxlan" => {
            matches!(
                key,
                "id" | "dev"
                    | "dstport"
                    | "srcport"
                    | "srcport-high"
                    | "local"
                    | "remote"
                    | "group"
                    | "ttl"
                    | "tos"
            ) || VXLAN_FLAGS.contains(&key)
        }
        "bridge" => {
            matches!(key, "priority" | "vlan_default_pvid")
                || BRIDGE_NUMBERS.iter().any(|(k, _)| *k == key)
                || BRIDGE_SWITCHES.iter().any(|(k, _)| *k == key)
        }
        _ => false,
    }
}

/// A bridge option from its value's text, if `key` is one: the one reading of bridge options,
/// for `link add`, `link set ... type bridge` and `--check`.
pub(super) fn bridge_opt_text(key: &str, text: &str, span: Span) -> Result<Option<BridgeOpt>> {
    fn parse<T: std::str::FromStr>(text: &str, expected: &'static str, span: Span) -> Result<T> {
        text.parse().map_err(|_| RunError::BadValue {
            text: text.to_string(),
            expected,
            span,
        })
    }
    if let Some((_, make)) = BRIDGE_NUMBERS.iter().find(|(k, _)| *k == key) {
        return Ok(Some(make(parse(text, "a number", span)?)));
    }
    if let Some((_, make)) = BRIDGE_SWITCHES.iter().find(|(k, _)| *k == key) {
        let on: u8 = parse(text, "0 or 1", span)?;
        return Ok(Some(make(on != 0)));
    }
    Ok(match key {
        "priority" => Some(BridgeOpt::Priority(parse(
            text,
            "a priority (0-65535)",
            span,
        )?)),
        "vlan_default_pvid" => Some(BridgeOpt::VlanDefaultPvid(parse(
            text,
            "a VLAN id (0-4094)",
            span,
        )?)),
        _ => None,
    })
}

/// A bridge option, if `key` is one and its value is known.
pub(super) fn bridge_opt(x: &dyn Expand, key: &str, value: &Word) -> Result<Option<BridgeOpt>> {
    match x.text(value)? {
        Some(text) => bridge_opt_text(key, &text, value.span),
        None => Ok(None),
    }
}

/// A VXLAN option other than `id`, `dev` and `dstport`, if `key` is one (and its value is
/// known).
pub(super) fn vxlan_opt(x: &dyn Expand, key: &str, value: &Word) -> Result<Option<VxlanOpt>> {
    let Some(text) = x.text(value)? else {
        return Ok(None);
    };
    let addr = || -> Result<std::net::IpAddr> { ip(x, value, "an IPv4 or IPv6 address")?.take() };
    Ok(Some(match key {
        "local" => VxlanOpt::Local(addr()?),
        "remote" | "group" => VxlanOpt::Remote(addr()?),
        "ttl" | "hoplimit" => match text.as_str() {
            "inherit" => VxlanOpt::TtlInherit,
            "auto" => VxlanOpt::Ttl(0),
            _ => VxlanOpt::Ttl(parse_number(
                text,
                "a TTL (0-255), auto or inherit",
                value.span,
            )?),
        },
        // iproute2 reads a TOS in hexadecimal: `tos 16` is 0x16.
        "tos" => match text.as_str() {
            "inherit" => VxlanOpt::Tos(1),
            text => {
                let hex = text.trim_start_matches("0x");
                VxlanOpt::Tos(u8::from_str_radix(hex, 16).map_err(|_| RunError::BadValue {
                    text: text.to_string(),
                    expected: "a TOS in hexadecimal (0-ff) or inherit",
                    span: value.span,
                })?)
            }
        },
        "learning" => VxlanOpt::Learning(true),
        "nolearning" => VxlanOpt::Learning(false),
        "proxy" => VxlanOpt::Proxy,
        "udpcsum" => VxlanOpt::UdpCsum(true),
        "noudpcsum" => VxlanOpt::UdpCsum(false),
        "external" => VxlanOpt::External(true),
        "noexternal" => VxlanOpt::External(false),
        _ => return Ok(None),
    }))
}
