//! Persistent tun and tap devices, as `ip tuntap` makes them: open /dev/net/tun, TUNSETIFF,
//! then TUNSETOWNER/TUNSETGROUP and TUNSETPERSIST. The kernel makes the device in the network
//! namespace of the thread that opens /dev/net/tun.

use std::fs::OpenOptions;
use std::os::fd::AsRawFd;

use netlink_packet_core::Nla;
use netlink_packet_route::link::{InfoData, InfoTun, LinkAttribute, LinkInfo, LinkMessage};
use netlink_packet_route::RouteNetlinkMessage;

use super::error::{NetError, Result};
use super::netlink::RouteSocket;

/// IFF_* bits of TUNSETIFF, as iproute2 prints them.
pub mod flags {
    /// A layer-3 device.
    pub const TUN: u32 = 0x0001;
    /// A layer-2 (Ethernet) device.
    pub const TAP: u32 = 0x0002;
    /// Several queues, one file descriptor each.
    pub const MULTI_QUEUE: u32 = 0x0100;
    /// Packets carry a virtio-net header.
    pub const VNET_HDR: u32 = 0x4000;
    /// Packets carry no packet-information header (`pi` clears it).
    pub const NO_PI: u32 = 0x1000;
    /// The device outlives its file descriptor.
    pub const PERSIST: u32 = 0x0800;
    /// Obsolete; kept by the kernel and printed by iproute2.
    pub const ONE_QUEUE: u32 = 0x2000;
    /// Refuse (EBUSY) to attach to a device that exists already.
    pub const TUN_EXCL: u32 = 0x8000;
    /// What a device is made with, of the bits it reports.
    pub const MADE_WITH: u32 = TUN | TAP | NO_PI | VNET_HDR | MULTI_QUEUE;
}

nix::ioctl_write_int_bad!(
    /// TUNSETPERSIST, _IOW('T', 203, int): whether the device outlives its fd.
    tun_set_persist,
    nix::request_code_write!(b'T', 203, 4)
);
nix::ioctl_write_int_bad!(
    /// TUNSETOWNER, _IOW('T', 204, int).
    tun_set_owner,
    nix::request_code_write!(b'T', 204, 4)
);
nix::ioctl_write_int_bad!(
    /// TUNSETGROUP, _IOW('T', 206, int).
    tun_set_group,
    nix::request_code_write!(b'T', 206, 4)
);
nix::ioctl_write_ptr_bad!(
    /// TUNSETIFF, _IOW('T', 202, int): attach the fd to a device, made if missing.
    tun_set_iff,
    nix::request_code_write!(b'T', 202, 4),
    libc::ifreq
);

/// What `ip tuntap add|del` asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// The name; `None` lets the kernel pick (`tun0`, `tap0`, ...).
    pub name: Option<String>,
    /// TUN or TAP, and NO_PI, VNET_HDR, MULTI_QUEUE.
    pub flags: u32,
    /// TUNSETOWNER: the uid that may open it.
    pub owner: Option<u32>,
    /// TUNSETGROUP: the gid that may open it.
    pub group: Option<u32>,
}

/// Attach to (or make) the device `r` names, in the calling thread's namespace; returns
/// /dev/net/tun's fd, attached, and the device's name.
fn attach(r: &Request) -> Result<(std::fs::File, String)> {
    let tun = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/net/tun")
        .map_err(|e| NetError::io("open /dev/net/tun", &e))?;
    // SAFETY: ifreq is plain old data; all zeroes is a valid value.
    let mut ifr: libc::ifreq = unsafe { std::mem::zeroed() };
    if let Some(name) = &r.name {
        for (dst, src) in ifr
            .ifr_name
            .iter_mut()
            .zip(name.bytes().take(libc::IFNAMSIZ - 1))
        {
            *dst = src as libc::c_char;
        }
    }
    ifr.ifr_ifru.ifru_flags = r.flags as libc::c_short;
    // SAFETY: the fd is open; ifr is a valid ifreq the kernel reads and writes back.
    unsafe { tun_set_iff(tun.as_raw_fd(), &ifr) }
        .map_err(|e| NetError::sys("ioctl(TUNSETIFF)", e))?;
    let name: Vec<u8> = ifr
        .ifr_name
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    Ok((tun, String::from_utf8_lossy(&name).into_owned()))
}

/// Make a persistent device, as `ip tuntap add`; returns its name. An existing device of
/// that name fails with EBUSY (IFF_TUN_EXCL, as iproute2 asks).
pub fn add(r: &Request) -> Result<String> {
    let (tun, name) = attach(&Request {
        flags: r.flags | flags::TUN_EXCL,
        ..r.clone()
    })?;
    let fd = tun.as_raw_fd();
    // SAFETY (each ioctl): the fd is /dev/net/tun attached to the device; the argument is
    // an integer passed by value.
    if let Some(uid) = r.owner {
        unsafe { tun_set_owner(fd, uid as libc::c_int) }
            .map_err(|e| NetError::sys("ioctl(TUNSETOWNER)", e))?;
    }
    if let Some(gid) = r.group {
        unsafe { tun_set_group(fd, gid as libc::c_int) }
            .map_err(|e| NetError::sys("ioctl(TUNSETGROUP)", e))?;
    }
    unsafe { tun_set_persist(fd, 1) }.map_err(|e| NetError::sys("ioctl(TUNSETPERSIST)", e))?;
    Ok(name)
}

/// Delete a persistent device, as `ip tuntap del`: attach, then clear its persistence, so
/// that it goes when the fd closes. As iproute2's, a missing name is made and goes at once.
pub fn del(r: &Request) -> Result<()> {
    let (tun, _) = attach(r)?;
    // SAFETY: the fd is /dev/net/tun attached to the device; 0 is passed by value.
    unsafe { tun_set_persist(tun.as_raw_fd(), 0) }
        .map_err(|e| NetError::sys("ioctl(TUNSETPERSIST)", e))?;
    Ok(())
}

/// A tun or tap device as `ip tuntap show` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TunDevice {
    /// Its ifindex.
    pub index: u32,
    /// Its name.
    pub name: String,
    /// The IFF_* bits the kernel reports (TUN/TAP, NO_PI, VNET_HDR, MULTI_QUEUE, PERSIST).
    pub flags: u32,
    /// The uid that may open it, if one was set.
    pub owner: Option<u32>,
    /// The gid that may open it, if one was set.
    pub group: Option<u32>,
}

// IFLA_TUN_* inside the tun kind's IFLA_INFO_DATA (the crate leaves them undecoded).
const IFLA_TUN_OWNER: u16 = 1;
const IFLA_TUN_GROUP: u16 = 2;
const IFLA_TUN_TYPE: u16 = 3;
const IFLA_TUN_PI: u16 = 4;
const IFLA_TUN_VNET_HDR: u16 = 5;
const IFLA_TUN_PERSIST: u16 = 6;
const IFLA_TUN_MULTI_QUEUE: u16 = 7;

/// Every tun and tap device of the socket's namespace, in the kernel's order. Read over
/// netlink (not /sys/class/net, which shows the namespace sysfs was mounted from).
pub fn list(sock: &mut RouteSocket) -> Result<Vec<TunDevice>> {
    let answers = sock.dump(RouteNetlinkMessage::GetLink(LinkMessage::default()))?;
    let mut out = Vec::new();
    for answer in answers {
        let RouteNetlinkMessage::NewLink(msg) = answer else {
            continue;
        };
        let mut name = None;
        let mut data = None;
        for attr in msg.attributes {
            match attr {
                LinkAttribute::IfName(n) => name = Some(n),
                LinkAttribute::LinkInfo(infos) => {
                    for info in infos {
                        if let LinkInfo::Data(InfoData::Tun(d)) = info {
                            data = Some(d);
                        }
                    }
                }
                _ => {}
            }
        }
        let (Some(name), Some(data)) = (name, data) else {
            continue;
        };
        let mut dev = TunDevice {
            index: msg.header.index,
            name,
            flags: flags::NO_PI,
            owner: None,
            group: None,
        };
        for tun in data {
            let InfoTun::Other(nla) = tun else { continue };
            let mut value = vec![0; nla.value_len()];
            nla.emit_value(&mut value);
            let byte = value.first().copied().unwrap_or(0);
            let word = value
                .get(..4)
                .and_then(|v| v.try_into().ok())
                .map(u32::from_ne_bytes);
            match nla.kind() {
                IFLA_TUN_OWNER => dev.owner = word,
                IFLA_TUN_GROUP => dev.group = word,
                IFLA_TUN_TYPE => dev.flags |= u32::from(byte),
                IFLA_TUN_PI if byte != 0 => dev.flags &= !flags::NO_PI,
                IFLA_TUN_VNET_HDR if byte != 0 => dev.flags |= flags::VNET_HDR,
                IFLA_TUN_PERSIST if byte != 0 => dev.flags |= flags::PERSIST,
                IFLA_TUN_MULTI_QUEUE if byte != 0 => dev.flags |= flags::MULTI_QUEUE,
                _ => {}
            }
        }
        out.push(dev);
    }
    Ok(out)
}
