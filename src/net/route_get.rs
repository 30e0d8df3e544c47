//! `ip route get`: the route the kernel picks for one packet (RTM_GETROUTE, not a dump).

use std::net::IpAddr;

use netlink_packet_route::route::{RouteAttribute, RouteMessage};
use netlink_packet_route::RouteNetlinkMessage;

use super::error::{NetError, Result};
use super::netlink::RouteSocket;
use super::route::{address, ip, Family, Route};

/// The packet to look a route up for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Query {
    /// Where it goes.
    pub dst: IpAddr,
    /// `from ADDR`: its source.
    pub from: Option<IpAddr>,
    /// `iif DEV`: the device it comes in on, as an ifindex.
    pub iif: Option<u32>,
    /// `oif DEV`: the device it must leave by.
    pub oif: Option<u32>,
}

/// The kernel's answer: the route, and what only an answer to a get carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    /// The route as a listing shows it (flags hold RTM_F_CLONED and the RTCF_* cache bits).
    pub route: Route,
    /// RTA_SRC and its length: the source the lookup was for.
    pub src: Option<(IpAddr, u8)>,
    /// RTA_UID: the user the lookup was made as.
    pub uid: Option<u32>,
    /// RTA_IIF: the device the packet comes in on.
    pub iif: Option<u32>,
    /// From RTA_CACHEINFO: seconds until the cache entry expires.
    pub expires: u32,
    /// From RTA_CACHEINFO: the error a lookup through the entry gives.
    pub error: u32,
}

/// USER_HZ: the unit of the cache entry's expiry.
const USER_HZ: u32 = 100;

/// Look up the route of `q` in the socket's namespace.
pub fn get(sock: &mut RouteSocket, q: &Query) -> Result<Lookup> {
    let family = Family::of(&q.dst);
    let mut msg = RouteMessage::default();
    msg.header.address_family = match family {
        Family::V4 => netlink_packet_route::AddressFamily::Inet,
        Family::V6 => netlink_packet_route::AddressFamily::Inet6,
    };
    msg.header.destination_prefix_length = family.host_len();
    msg.attributes
        .push(RouteAttribute::Destination(address(q.dst)));
    if let Some(from) = q.from {
        msg.header.source_prefix_length = family.host_len();
        msg.attributes.push(RouteAttribute::Source(address(from)));
    }
    if let Some(iif) = q.iif {
        msg.attributes.push(RouteAttribute::Iif(iif));
    }
    if let Some(oif) = q.oif {
        msg.attributes.push(RouteAttribute::Oif(oif));
    }
    let answer = sock.get(RouteNetlinkMessage::GetRoute(msg))?;
    let RouteNetlinkMessage::NewRoute(msg) = answer else {
        return Err(NetError::Malformed {
            what: "an answer to a route lookup that is no route".into(),
        });
    };
    let src_len = msg.header.source_prefix_length;
    let mut lookup = Lookup {
        route: Route::from_message(msg.clone()).ok_or_else(|| NetError::Malformed {
            what: "a route lookup answered for another family".into(),
        })?,
        src: None,
        uid: None,
        iif: None,
        expires: 0,
        error: 0,
    };
    for attr in msg.attributes {
        match attr {
            RouteAttribute::Source(a) => lookup.src = ip(a).map(|a| (a, src_len)),
            RouteAttribute::Uid(u) => lookup.uid = Some(u),
            RouteAttribute::Iif(i) => lookup.iif = Some(i),
            RouteAttribute::CacheInfo(ci) => {
                lookup.expires = ci.expires / USER_HZ;
                lookup.error = ci.error;
            }
            _ => {}
        }
    }
    Ok(lookup)
}
