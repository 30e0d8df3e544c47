//! IP addresses on links: the validated [`Prefix`], and list/add/delete over RTM_*ADDR.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use netlink_packet_core::{NLM_F_CREATE, NLM_F_EXCL};
use netlink_packet_route::address::{AddressAttribute, AddressFlags, AddressMessage, AddressScope};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

use super::error::Result;
use super::netlink::RouteSocket;

/// The lifetime the kernel reports for addresses that never expire.
const INFINITY_LIFE_TIME: u32 = u32::MAX;
/// RT_SCOPE_HOST: iproute2 gives 127.0.0.0/8 addresses host scope.
const RT_SCOPE_HOST: u8 = 254;

/// An address with its prefix length: "10.1.1.1/24", "2001:db8::1/64".
///
/// Parsing refuses bad addresses (300.1.1.1) and lengths past the family's width (/33 for
/// IPv4); a bare address is a /32 or /128. Display gives back the same text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Prefix {
    /// The address itself (not masked to the network).
    pub addr: IpAddr,
    /// The prefix length, at most 32 for IPv4 and 128 for IPv6.
    pub len: u8,
}

/// Why a text is not a [`Prefix`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrefixError {
    /// The part before '/' is not an IPv4 or IPv6 address.
    #[error("\"{0}\" is not an IP address")]
    Address(String),
    /// The part after '/' is not a number.
    #[error("\"{0}\" is not a prefix length")]
    Length(String),
    /// The prefix length is wider than the address.
    #[error("prefix length {len} is too long for an IPv{version} address (at most {max})")]
    TooLong {
        /// The length given.
        len: u8,
        /// 4 or 6.
        version: u8,
        /// 32 or 128.
        max: u8,
    },
}

impl Prefix {
    /// A prefix, checked like the text form.
    pub fn new(addr: IpAddr, len: u8) -> std::result::Result<Prefix, PrefixError> {
        let (version, max) = match addr {
            IpAddr::V4(_) => (4, 32),
            IpAddr::V6(_) => (6, 128),
        };
        if len > max {
            return Err(PrefixError::TooLong { len, version, max });
        }
        Ok(Prefix { addr, len })
    }

    /// The broadcast address iproute2 computes for an IPv4 prefix of /30 or shorter.
    pub fn broadcast(&self) -> Option<Ipv4Addr> {
        match self.addr {
            IpAddr::V4(v4) if self.len <= 30 => {
                let host_bits = u32::MAX.checked_shr(u32::from(self.len)).unwrap_or(0);
                Some(Ipv4Addr::from(u32::from(v4) | host_bits))
            }
            _ => None,
        }
    }

    /// `brd -`: the prefix's network address, for /30 or shorter as iproute2.
    pub fn network_broadcast(&self) -> Option<Ipv4Addr> {
        match self.addr {
            IpAddr::V4(v4) if self.len <= 30 => {
                let host_bits = u32::MAX.checked_shr(u32::from(self.len)).unwrap_or(0);
                Some(Ipv4Addr::from(u32::from(v4) & !host_bits))
            }
            _ => None,
        }
    }

    fn family(&self) -> AddressFamily {
        match self.addr {
            IpAddr::V4(_) => AddressFamily::Inet,
            IpAddr::V6(_) => AddressFamily::Inet6,
        }
    }
}

impl FromStr for Prefix {
    type Err = PrefixError;

    fn from_str(text: &str) -> std::result::Result<Prefix, PrefixError> {
        let (addr, len) = match text.split_once('/') {
            Some((addr, len)) => (addr, Some(len)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| PrefixError::Address(addr.to_owned()))?;
        let len = match len {
            Some(len) => len
                .parse::<u8>()
                .ok()
                .filter(|_| len.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| PrefixError::Length(len.to_owned()))?,
            None if addr.is_ipv4() => 32,
            None => 128,
        };
        Prefix::new(addr, len)
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

/// An address of a link, as the kernel reports it (RTM_NEWADDR).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// The ifindex of the link.
    pub index: u32,
    /// The local address and prefix length.
    pub prefix: Prefix,
    /// The other end of a point-to-point address, when it differs from the local one.
    pub peer: Option<IpAddr>,
    /// The IPv4 broadcast address.
    pub broadcast: Option<Ipv4Addr>,
    /// RT_SCOPE_*: 0 global, 253 link, 254 host.
    pub scope: u8,
    /// The IPv4 label ("eth0:1").
    pub label: Option<String>,
    /// IFA_F_* bits (IFA_F_PERMANENT, IFA_F_TENTATIVE, ...).
    pub flags: u32,
    /// Seconds until the address is removed; `None` for forever.
    pub valid_lft: Option<u32>,
    /// Seconds until the address is deprecated; `None` for forever.
    pub preferred_lft: Option<u32>,
}

impl Address {
    fn from_message(msg: AddressMessage) -> Option<Address> {
        let mut address = None;
        let mut local = None;
        let mut out = Address {
            index: msg.header.index,
            prefix: Prefix {
                addr: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                len: msg.header.prefix_len,
            },
            peer: None,
            broadcast: None,
            scope: msg.header.scope.into(),
            label: None,
            flags: u32::from(msg.header.flags.bits()),
            valid_lft: None,
            preferred_lft: None,
        };
        for attr in msg.attributes {
            match attr {
                AddressAttribute::Address(a) => address = Some(a),
                AddressAttribute::Local(a) => local = Some(a),
                AddressAttribute::Broadcast(b) => out.broadcast = Some(b),
                AddressAttribute::Label(l) => out.label = Some(l),
                // IFA_FLAGS supersedes the 8-bit header field.
                AddressAttribute::Flags(f) => out.flags = f.bits(),
                AddressAttribute::CacheInfo(c) => {
                    out.valid_lft = Some(c.ifa_valid).filter(|&t| t != INFINITY_LIFE_TIME);
                    out.preferred_lft = Some(c.ifa_preferred).filter(|&t| t != INFINITY_LIFE_TIME);
                }
                _ => {}
            }
        }
        // IFA_LOCAL is the address; IFA_ADDRESS is then the peer (equal unless point-to-point).
        out.prefix.addr = local.or(address)?;
        out.peer = address.filter(|a| local.is_some() && Some(*a) != local);
        Some(out)
    }
}

/// Every address of both families in the socket's namespace.
pub fn list(sock: &mut RouteSocket) -> Result<Vec<Address>> {
    let answers = sock.dump(RouteNetlinkMessage::GetAddress(AddressMessage::default()))?;
    Ok(answers
        .into_iter()
        .filter_map(|answer| match answer {
            RouteNetlinkMessage::NewAddress(msg) => Address::from_message(msg),
            _ => None,
        })
        .collect())
}

/// The message iproute2 sends for `ip addr add|del PREFIX dev INDEX`.
fn message(index: u32, p: &Prefix) -> AddressMessage {
    let mut msg = AddressMessage::default();
    msg.header.family = p.family();
    msg.header.prefix_len = p.len;
    msg.header.index = index;
    msg.attributes.push(AddressAttribute::Local(p.addr));
    msg.attributes.push(AddressAttribute::Address(p.addr));
    msg
}

/// Add `p` to link `index` as `ip addr add` does: IFA_LOCAL and IFA_ADDRESS, host scope for
/// 127.0.0.0/8, and no broadcast (iproute2 6.1 sets one only for `brd`). An existing address
/// fails with EEXIST.
pub fn add(sock: &mut RouteSocket, index: u32, p: &Prefix) -> Result<()> {
    add_with(sock, index, p, &AddOptions::default())
}

/// What `ip addr add` may say besides the address and the device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddOptions {
    /// IFA_BROADCAST: none unless asked for.
    pub broadcast: Option<Ipv4Addr>,
    /// IFA_LABEL, IPv4 only: the device's name and more (`eth0:1`).
    pub label: Option<String>,
    /// RT_SCOPE_*; by default global, host for 127.0.0.0/8.
    pub scope: Option<u8>,
    /// IFA_F_* bits: NODAD, NOPREFIXROUTE, ...
    pub flags: u32,
    /// Seconds; `None` is forever.
    pub valid_lft: Option<u32>,
    /// Seconds until the address is deprecated; `None` is forever.
    pub preferred_lft: Option<u32>,
}

/// `add` with iproute2's options.
pub fn add_with(sock: &mut RouteSocket, index: u32, p: &Prefix, o: &AddOptions) -> Result<()> {
    let mut msg = message(index, p);
    if let IpAddr::V4(v4) = p.addr {
        if v4.octets()[0] == 127 {
            msg.header.scope = AddressScope::from(RT_SCOPE_HOST);
        }
    }
    if let Some(scope) = o.scope {
        msg.header.scope = AddressScope::from(scope);
    }
    if let Some(brd) = o.broadcast {
        msg.attributes.push(AddressAttribute::Broadcast(brd));
    }
    if let Some(label) = &o.label {
        msg.attributes.push(AddressAttribute::Label(label.clone()));
    }
    if o.flags != 0 {
        msg.attributes
            .push(AddressAttribute::Flags(AddressFlags::from_bits_retain(
                o.flags,
            )));
    }
    if o.valid_lft.is_some() || o.preferred_lft.is_some() {
        let mut info = netlink_packet_route::address::CacheInfo::default();
        info.ifa_preferred = o.preferred_lft.unwrap_or(INFINITY_LIFE_TIME);
        info.ifa_valid = o.valid_lft.unwrap_or(INFINITY_LIFE_TIME);
        msg.attributes.push(AddressAttribute::CacheInfo(info));
    }
    // NLM_F_CREATE|NLM_F_EXCL: add, never silently replace an existing address.
    sock.request(
        RouteNetlinkMessage::NewAddress(msg),
        NLM_F_CREATE | NLM_F_EXCL,
    )
}

/// IFA_F_* bits that describe an address's state rather than how it was made: not given back.
const STATE_FLAGS: u32 = 0x01 | 0x20 | 0x40 | 0x80; // SECONDARY, DEPRECATED, TENTATIVE, PERMANENT

/// Add `a` back as it was listed: with its peer, broadcast, scope, label and flags (nodad,
/// noprefixroute, ...), to link `index`. For undo: an address a run deleted.
pub fn restore(sock: &mut RouteSocket, index: u32, a: &Address) -> Result<()> {
    let mut msg = message(index, &a.prefix);
    if let Some(peer) = a.peer {
        msg.attributes
            .retain(|x| !matches!(x, AddressAttribute::Address(_)));
        msg.attributes.push(AddressAttribute::Address(peer));
    }
    msg.header.scope = AddressScope::from(a.scope);
    if let Some(brd) = a.broadcast {
        msg.attributes.push(AddressAttribute::Broadcast(brd));
    }
    if let Some(label) = &a.label {
        msg.attributes.push(AddressAttribute::Label(label.clone()));
    }
    let flags = a.flags & !STATE_FLAGS;
    if flags != 0 {
        msg.attributes
            .push(AddressAttribute::Flags(AddressFlags::from_bits_retain(
                flags,
            )));
    }
    // NLM_F_CREATE|NLM_F_EXCL: an address already there (EEXIST) is not replaced.
    sock.request(
        RouteNetlinkMessage::NewAddress(msg),
        NLM_F_CREATE | NLM_F_EXCL,
    )
}

/// Remove `p` from link `index`; a missing address fails with EADDRNOTAVAIL.
pub fn del(sock: &mut RouteSocket, index: u32, p: &Prefix) -> Result<()> {
    sock.request(RouteNetlinkMessage::DelAddress(message(index, p)), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_round_trip() {
        for text in [
            "10.1.1.1/24",
            "2001:db8::1/64",
            "0.0.0.0/0",
            "::/0",
            "fe80::1/128",
        ] {
            assert_eq!(
                text.parse::<Prefix>().map(|p| p.to_string()),
                Ok(text.into())
            );
        }
        assert_eq!("10.0.0.1".parse::<Prefix>().map(|p| p.len), Ok(32));
        assert_eq!("::1".parse::<Prefix>().map(|p| p.len), Ok(128));
    }

    #[test]
    fn bad_prefixes_say_what_is_wrong() {
        assert_eq!(
            "300.1.1.1/24".parse::<Prefix>(),
            Err(PrefixError::Address("300.1.1.1".into()))
        );
        assert_eq!(
            "10.1.1.1/33".parse::<Prefix>(),
            Err(PrefixError::TooLong {
                len: 33,
                version: 4,
                max: 32
            })
        );
        assert_eq!(
            "::1/129".parse::<Prefix>(),
            Err(PrefixError::TooLong {
                len: 129,
                version: 6,
                max: 128
            })
        );
        for len in ["", "x", "+1", "999", "-1"] {
            assert_eq!(
                format!("10.0.0.1/{len}").parse::<Prefix>(),
                Err(PrefixError::Length(len.into()))
            );
        }
        assert_eq!(
            "10.1.1.1/33".parse::<Prefix>().map_err(|e| e.to_string()),
            Err("prefix length 33 is too long for an IPv4 address (at most 32)".into())
        );
    }

    #[test]
    fn broadcasts() {
        let brd = |t: &str| t.parse::<Prefix>().ok().and_then(|p| p.broadcast());
        assert_eq!(brd("10.1.1.1/24"), Some(Ipv4Addr::new(10, 1, 1, 255)));
        assert_eq!(brd("10.1.1.1/30"), Some(Ipv4Addr::new(10, 1, 1, 3)));
        assert_eq!(brd("10.1.1.1/0"), Some(Ipv4Addr::BROADCAST));
        assert_eq!(brd("10.1.1.1/31"), None);
        assert_eq!(brd("2001:db8::1/64"), None);
    }
}
