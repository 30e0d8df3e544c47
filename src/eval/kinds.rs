//! The options of `link add ... type bridge|vxlan` by iproute2's names, read into what the
//! kernel takes, by the link resolver (resolve/link.rs) when run and under `--check`.

use super::error::{Result, RunError};
use super::resolve::{ip, number, parse_number, Expand};
use crate::net::link::{BridgeOpt, VxlanOpt};
use crate::syntax::ast::Word;

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
pub(super) const VXLAN_FLAGS: &[&str] =
    &["learning", "nolearning", "proxy", "udpcsum", "noudpcsum"];

/// The options vsh sets itself for a kind, for errors.
pub(super) fn kind_options(kind: &str) -> &'static str {
    match kind {
        "macvlan" | "macvtap" => "link DEV, mode private|vepa|bridge|passthru|source",
        "vxlan" => {
            "id N, dev DEV, dstport PORT, local ADDR, remote ADDR, group ADDR, ttl N|auto|inherit, \
             tos N|inherit, [no]learning, proxy, [no]udpcsum"
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
        "vxlan" => {
            matches!(
                key,
                "id" | "dev" | "dstport" | "local" | "remote" | "group" | "ttl" | "tos"
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

/// A bridge option, if `key` is one.
pub(super) fn bridge_opt(x: &dyn Expand, key: &str, value: &Word) -> Result<Option<BridgeOpt>> {
    if let Some((_, make)) = BRIDGE_NUMBERS.iter().find(|(k, _)| *k == key) {
        return Ok(number(x, value, "a number")?.value.map(make));
    }
    if let Some((_, make)) = BRIDGE_SWITCHES.iter().find(|(k, _)| *k == key) {
        let on = number::<u8>(x, value, "0 or 1")?.value;
        return Ok(on.map(|on| make(on != 0)));
    }
    Ok(match key {
        "priority" => number(x, value, "a priority (0-65535)")?
            .value
            .map(BridgeOpt::Priority),
        "vlan_default_pvid" => number(x, value, "a VLAN id (0-4094)")?
            .value
            .map(BridgeOpt::VlanDefaultPvid),
        _ => None,
    })
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
        _ => return Ok(None),
    }))
}
