//! The hops of a multipath route (RTA_MULTIPATH): `nexthop via A dev D weight W`.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use netlink_packet_route::route::{RouteAttribute, RouteNextHop, RouteNextHopFlags};

use super::route::{address, ip};

/// RTNH_F_ONLINK: the gateway is on the link even if no address says so.
pub const RTNH_F_ONLINK: u8 = 0x4;

/// One hop of a multipath route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextHop {
    /// `via ADDR`.
    pub gateway: Option<IpAddr>,
    /// `dev DEV`, as an ifindex (0: none).
    pub oif: u32,
    /// `weight W`, 1 to 256.
    pub weight: u16,
    /// RTNH_F_* bits (onlink, linkdown, dead, ...).
    pub flags: u8,
}

impl NextHop {
    /// As the kernel takes it: the weight is one more than `rtnh_hops`.
    pub(super) fn to_netlink(self) -> RouteNextHop {
        let mut nh = RouteNextHop::default();
        nh.flags = RouteNextHopFlags::from_bits_retain(self.flags);
        nh.hops = u8::try_from(self.weight.saturating_sub(1)).unwrap_or(u8::MAX);
        nh.interface_index = self.oif;
        if let Some(gw) = self.gateway {
            nh.attributes.push(RouteAttribute::Gateway(address(gw)));
        }
        nh
    }

    pub(super) fn from_netlink(nh: &RouteNextHop) -> NextHop {
        let gateway = nh.attributes.iter().find_map(|a| match a {
            RouteAttribute::Gateway(a) => ip(a.clone()),
            _ => None,
        });
        NextHop {
            gateway,
            oif: nh.interface_index,
            weight: u16::from(nh.hops) + 1,
            flags: nh.flags.bits(),
        }
    }
}

/// The hops of a route as one word of the journal: `VIA/OIF/WEIGHT/FLAGS`, `,` between
/// hops, `-` for no gateway.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NextHops(pub Vec<NextHop>);

impl fmt::Display for NextHops {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, h) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match h.gateway {
                Some(gw) => write!(f, "{gw}")?,
                None => f.write_str("-")?,
            }
            write!(f, "/{}/{}/{}", h.oif, h.weight, h.flags)?;
        }
        Ok(())
    }
}

impl FromStr for NextHops {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let mut hops = Vec::new();
        for hop in s.split(',').filter(|h| !h.is_empty()) {
            let mut parts = hop.split('/');
            let mut part = || parts.next().ok_or(());
            let gateway = match part()? {
                "-" => None,
                gw => Some(gw.parse().map_err(drop)?),
            };
            hops.push(NextHop {
                gateway,
                oif: part()?.parse().map_err(drop)?,
                weight: part()?.parse().map_err(drop)?,
                flags: part()?.parse().map_err(drop)?,
            });
        }
        Ok(NextHops(hops))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hops_read_back_as_written() {
        let hops = NextHops(vec![
            NextHop {
                gateway: "10.1.1.2".parse().ok(),
                oif: 4,
                weight: 2,
                flags: 0,
            },
            NextHop {
                gateway: None,
                oif: 5,
                weight: 1,
                flags: RTNH_F_ONLINK,
            },
        ]);
        let text = hops.to_string();
        assert_eq!(text, "10.1.1.2/4/2/0,-/5/1/4");
        assert_eq!(text.parse::<NextHops>(), Ok(hops));
        let nh = NextHop {
            gateway: "2001:db8::2".parse().ok(),
            oif: 3,
            weight: 256,
            flags: 0,
        };
        assert_eq!(NextHop::from_netlink(&nh.to_netlink()), nh);
    }
}
