//! The driver's own counters, as `ethtool -S` reads them: the SIOCETHTOOL ioctl with
//! ETHTOOL_GSSET_INFO (how many), ETHTOOL_GSTRINGS (their names) and ETHTOOL_GSTATS (values).
//!
//! The ioctl names the device by name, so the socket must live in the device's namespace:
//! open it with [`socket`] inside the namespace (`Namespaces::enter`), then use it anywhere.

use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;
use nix::sys::socket::{socket as open_socket, AddressFamily, SockFlag, SockProtocol, SockType};

use super::error::{NetError, Result};
use super::names::valid_ifname;
use super::names::NameKind;

const ETHTOOL_GSTRINGS: u32 = 0x1b;
const ETHTOOL_GSTATS: u32 = 0x1d;
const ETHTOOL_GSSET_INFO: u32 = 0x37;
/// The string set of statistics names.
const ETH_SS_STATS: u32 = 1;
/// Every name in a string set is this long, NUL padded.
const ETH_GSTRING_LEN: usize = 32;
/// More counters than any driver has: a bound on what we allocate for a kernel's answer.
const MAX_STATS: usize = 1 << 16;

/// A socket for ethtool ioctls in the calling thread's namespace: AF_INET datagram, or a
/// generic netlink socket where IPv4 is missing, as ethtool itself does.
pub fn socket() -> Result<OwnedFd> {
    open_socket(
        AddressFamily::Inet,
        SockType::Datagram,
        SockFlag::SOCK_CLOEXEC,
        None,
    )
    .or_else(|_| {
        open_socket(
            AddressFamily::Netlink,
            SockType::Raw,
            SockFlag::SOCK_CLOEXEC,
            SockProtocol::NetlinkGeneric,
        )
    })
    .map_err(|e| NetError::sys("socket for SIOCETHTOOL", e))
}

/// `struct ifreq` with the `ifr_data` member of its union, padded to the kernel's size.
#[repr(C)]
struct IfreqData {
    name: [u8; libc::IFNAMSIZ],
    data: *mut libc::c_void,
    _pad: [u8; 24 - std::mem::size_of::<*mut libc::c_void>()],
}

/// One SIOCETHTOOL call on `dev` with `buf` as the ethtool command block (its first u32 is
/// the command); the kernel reads and writes `buf` in place.
fn ethtool(sock: BorrowedFd, dev: &str, buf: &mut [u8]) -> Result<()> {
    let mut req = IfreqData {
        name: [0; libc::IFNAMSIZ],
        data: buf.as_mut_ptr().cast(),
        _pad: [0; 24 - std::mem::size_of::<*mut libc::c_void>()],
    };
    // valid_ifname guarantees at most 15 bytes, so the name stays NUL terminated.
    req.name[..dev.len()].copy_from_slice(dev.as_bytes());
    // SAFETY: `req` is a properly sized ifreq whose data pointer refers to `buf`, which
    // outlives the call and is as long as the command block the command in it describes.
    let rc = unsafe { libc::ioctl(sock.as_raw_fd(), libc::SIOCETHTOOL, &mut req) };
    if rc < 0 {
        return Err(NetError::sys(format!("SIOCETHTOOL {dev}"), Errno::last()));
    }
    Ok(())
}

fn u32_at(buf: &[u8], at: usize) -> u32 {
    buf.get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_ne_bytes)
}

fn u64_at(buf: &[u8], at: usize) -> u64 {
    buf.get(at..at + 8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_ne_bytes)
}

/// The number of statistics `dev` has (0 when its driver has none).
fn count(sock: BorrowedFd, dev: &str) -> Result<usize> {
    // struct ethtool_sset_info { u32 cmd; u32 reserved; u64 sset_mask; u32 data[1]; }
    let mut buf = [0u8; 24];
    buf[..4].copy_from_slice(&ETHTOOL_GSSET_INFO.to_ne_bytes());
    buf[8..16].copy_from_slice(&(1u64 << ETH_SS_STATS).to_ne_bytes());
    match ethtool(sock, dev, &mut buf) {
        Ok(()) => {}
        // A driver without ethtool support has no statistics, as `ethtool -S` reports.
        Err(e) if e.errno() == Some(Errno::EOPNOTSUPP) => return Ok(0),
        Err(e) => return Err(e),
    }
    // The kernel clears the bit of a set the driver does not have.
    if u64_at(&buf, 8) & (1 << ETH_SS_STATS) == 0 {
        return Ok(0);
    }
    let n = u32_at(&buf, 16) as usize;
    if n > MAX_STATS {
        return Err(NetError::Malformed {
            what: format!("{dev} claims {n} ethtool statistics"),
        });
    }
    Ok(n)
}

/// The statistics `ethtool -S DEV` prints, names and values in the driver's order; empty
/// when the driver has none. `sock` must be a [`socket`] opened in `dev`'s namespace.
pub fn stats(sock: BorrowedFd, dev: &str) -> Result<Vec<(String, u64)>> {
    if !valid_ifname(dev) {
        return Err(NetError::InvalidName {
            kind: NameKind::Interface,
            name: dev.to_owned(),
        });
    }
    let n = count(sock, dev)?;
    if n == 0 {
        return Ok(Vec::new());
    }
    // The kernel writes as many strings and values as the driver has when it answers, not
    // as many as we asked for: a veth whose queue count grew in between would overrun
    // buffers sized for `n`. Both are sized for the most any driver may have.
    // struct ethtool_gstrings { u32 cmd; u32 string_set; u32 len; u8 data[]; }
    let mut names = vec![0u8; 12 + MAX_STATS * ETH_GSTRING_LEN];
    names[..4].copy_from_slice(&ETHTOOL_GSTRINGS.to_ne_bytes());
    names[4..8].copy_from_slice(&ETH_SS_STATS.to_ne_bytes());
    names[8..12].copy_from_slice(&(n as u32).to_ne_bytes());
    ethtool(sock, dev, &mut names)?;
    // struct ethtool_stats { u32 cmd; u32 n_stats; u64 data[]; }
    let mut values = vec![0u8; 8 + MAX_STATS * 8];
    values[..4].copy_from_slice(&ETHTOOL_GSTATS.to_ne_bytes());
    values[4..8].copy_from_slice(&(n as u32).to_ne_bytes());
    ethtool(sock, dev, &mut values)?;
    // The kernel says how many it filled in; never read past either buffer.
    let filled = (u32_at(&names, 8) as usize)
        .min(u32_at(&values, 4) as usize)
        .min(MAX_STATS);
    Ok((0..filled)
        .map(|i| {
            let raw = &names[12 + i * ETH_GSTRING_LEN..12 + (i + 1) * ETH_GSTRING_LEN];
            let text = raw.split(|&b| b == 0).next().unwrap_or_default();
            (
                String::from_utf8_lossy(text).into_owned(),
                u64_at(&values, 8 + i * 8),
            )
        })
        .collect())
}
