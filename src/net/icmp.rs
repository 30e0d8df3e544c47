//! ICMP and ICMPv6 echo: the socket `ping` sends and receives on, opened in the calling
//! thread's namespace.
//!
//! Like iputils, first the datagram ICMP socket (no privilege needed where
//! `net.ipv4.ping_group_range` allows it), else a raw socket (CAP_NET_RAW): then vsh writes
//! the checksum, skips the IPv4 header on receive and matches its own id, since a raw socket
//! sees all ICMP of the namespace.

use std::io::IoSliceMut;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::time::Duration;

use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::socket::{
    bind, connect, getsockname, recvmsg, sendto, setsockopt, socket, sockopt, AddressFamily,
    ControlMessageOwned, MsgFlags, SockFlag, SockProtocol, SockType, SockaddrStorage,
};

use super::error::{NetError, Result};

const ICMP_ECHO: u8 = 8;
const ICMP_ECHOREPLY: u8 = 0;
const ICMP_DEST_UNREACH: u8 = 3;
const ICMP_TIME_EXCEEDED: u8 = 11;
const ICMP6_DEST_UNREACH: u8 = 1;
const ICMP6_TIME_EXCEEDED: u8 = 3;
const ICMP6_ECHO: u8 = 128;
const ICMP6_ECHOREPLY: u8 = 129;
/// linux/icmp.h: the raw ICMP socket option level and its type filter.
const SOL_RAW: libc::c_int = 255;
const ICMP_FILTER: libc::c_int = 1;
/// linux/icmpv6.h: the ICMPv6 type filter.
const ICMP6_FILTER: libc::c_int = 1;
/// The ICMP header: type, code, checksum, id, sequence.
const HEADER: usize = 8;

/// An echo socket of one family that sends to any destination: a ping block keeps one per
/// source namespace and family, and matches replies to probes by sequence number.
pub struct EchoPort {
    fd: OwnedFd,
    v6: bool,
    /// A raw socket: it sees every ICMP packet of the namespace, so replies are matched on id.
    raw: bool,
    /// Our echo id (on a datagram socket the kernel replaces it with the socket's own).
    id: u16,
}

/// An echo socket for one destination, as `ping DEST` uses it.
pub struct EchoSocket {
    port: EchoPort,
    dest: IpAddr,
}

/// What came back for one of our echoes.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// An echo reply: `bytes` of ICMP (header included), from `from`, with its TTL/hop limit.
    Reply {
        /// The echo's sequence number.
        seq: u16,
        /// ICMP bytes, header included (iputils' "64 bytes").
        bytes: usize,
        /// The reply's TTL or hop limit, when the kernel told it.
        ttl: Option<u8>,
        /// Who answered.
        from: IpAddr,
    },
    /// An ICMP error about one of our echoes (`Destination Host Unreachable`, ...).
    Error {
        /// The sequence number of the echo it is about.
        seq: u16,
        /// The destination of that echo.
        to: IpAddr,
        /// Who sent the error.
        from: IpAddr,
        /// iputils' text for it.
        text: &'static str,
    },
}

/// Why [`EchoSocket::recv`] returned without an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quiet {
    /// The timeout passed.
    Timeout,
    /// A signal interrupted the wait (SIGINT: the caller checks its flag).
    Interrupted,
}

/// What `ping -I` names: a device to send through, or a source address to send from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via<'a> {
    /// SO_BINDTODEVICE.
    Dev(&'a str),
    /// bind(2) to this address: replies must come back to it.
    Source(IpAddr),
}

impl EchoPort {
    /// Opens an echo socket for IPv6 (`v6`) or IPv4 in the calling thread's namespace, bound
    /// to a device or a source address if given (as `ping -I DEV|ADDR`).
    pub fn open(v6: bool, via: Option<Via>) -> Result<Self> {
        let (family, proto) = if v6 {
            (AddressFamily::Inet6, SockProtocol::IcmpV6)
        } else {
            (AddressFamily::Inet, SockProtocol::Icmp)
        };
        let flags = SockFlag::SOCK_CLOEXEC;
        let (fd, raw) = match socket(family, SockType::Datagram, flags, proto) {
            Ok(fd) => (fd, false),
            // EACCES: the gid is outside ping_group_range (always so in a fresh namespace).
            Err(Errno::EACCES) | Err(Errno::EPERM) | Err(Errno::EPROTONOSUPPORT) => {
                let fd = socket(family, SockType::Raw, flags, proto)
                    .map_err(|e| NetError::sys("socket(SOCK_RAW, ICMP)", e))?;
                (fd, true)
            }
            Err(e) => return Err(NetError::sys("socket(SOCK_DGRAM, ICMP)", e)),
        };
        match via {
            Some(Via::Dev(dev)) => bind_device(&fd, dev)?,
            Some(Via::Source(addr)) => {
                // Port 0: a datagram echo socket takes its echo id from the port it is given.
                bind(fd.as_raw_fd(), &sockaddr(addr, 0))
                    .map_err(|e| NetError::sys(format!("bind {addr}"), e))?;
            }
            None => {}
        }
        // The TTL (hop limit) of replies arrives as a control message when the header does not.
        let ttl = if v6 {
            setsockopt(&fd, sockopt::Ipv6RecvHopLimit, &true)
        } else {
            setsockopt(&fd, sockopt::Ipv4RecvTtl, &true)
        };
        ttl.map_err(|e| NetError::sys("setsockopt RECVTTL", e))?;
        // A big receive buffer: a flood (`-i 0`) must not lose replies in the socket.
        let _ = setsockopt(&fd, sockopt::RcvBuf, &(1 << 20));
        if raw {
            // Only replies and errors: not the echo requests others send to this namespace.
            filter_raw(&fd, v6);
        }
        Ok(EchoPort {
            fd,
            v6,
            raw,
            id: (std::process::id() as u16) ^ (next_salt() << 8),
        })
    }

    /// The socket, to poll it.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Whether this is a raw socket (the datagram one was refused).
    pub fn is_raw(&self) -> bool {
        self.raw
    }

    /// Sends echo request `seq` to `dest` with `payload` after the 8-byte header; with
    /// `nonblocking`, a full send buffer is EAGAIN instead of a wait.
    pub fn send(&self, dest: IpAddr, seq: u16, payload: &[u8], nonblocking: bool) -> Result<()> {
        let mut packet = Vec::with_capacity(HEADER + payload.len());
        packet.push(if self.v6 { ICMP6_ECHO } else { ICMP_ECHO });
        packet.push(0);
        packet.extend_from_slice(&[0, 0]);
        packet.extend_from_slice(&self.id.to_be_bytes());
        packet.extend_from_slice(&seq.to_be_bytes());
        packet.extend_from_slice(payload);
        // The kernel sums ICMPv6 (always) and datagram ICMP; a raw ICMP socket leaves it to us.
        if self.raw && !self.v6 {
            let sum = checksum(&packet);
            packet[2..4].copy_from_slice(&sum.to_be_bytes());
        }
        let to = sockaddr(dest, 0);
        let flags = if nonblocking {
            MsgFlags::MSG_DONTWAIT
        } else {
            MsgFlags::empty()
        };
        sendto(self.fd.as_raw_fd(), &packet, &to, flags)
            .map(drop)
            .map_err(|e| NetError::sys(format!("sendto {dest}"), e))
    }

    /// Reads one packet without waiting: `None` when nothing is left to read, `Some(None)` for
    /// a packet that is not an answer to one of this socket's echoes. `buf` holds a packet.
    pub fn try_recv(&self, buf: &mut [u8]) -> Result<Option<Option<Answer>>> {
        let mut cmsg = nix::cmsg_space!(libc::c_int, libc::c_int);
        let mut iov = [IoSliceMut::new(buf)];
        let msg = match recvmsg::<SockaddrStorage>(
            self.fd.as_raw_fd(),
            &mut iov,
            Some(&mut cmsg),
            MsgFlags::MSG_DONTWAIT,
        ) {
            Ok(msg) => msg,
            Err(Errno::EAGAIN) | Err(Errno::EINTR) => return Ok(None),
            Err(e) => return Err(NetError::sys("recvmsg", e)),
        };
        let len = msg.bytes;
        let from = msg.address.as_ref().and_then(sock_ip);
        let mut ttl = None;
        if let Ok(cmsgs) = msg.cmsgs() {
            for c in cmsgs {
                match c {
                    ControlMessageOwned::Ipv4Ttl(t) | ControlMessageOwned::Ipv6HopLimit(t) => {
                        ttl = u8::try_from(t).ok()
                    }
                    _ => {}
                }
            }
        }
        let Some(from) = from else {
            return Ok(Some(None));
        };
        let mut icmp = &iov[0][..len.min(iov[0].len())];
        // A raw IPv4 socket hands over the IP header too.
        if self.raw && !self.v6 {
            let Some(ihl) = icmp.first().map(|b| usize::from(b & 0x0f) * 4) else {
                return Ok(Some(None));
            };
            if icmp.len() < ihl + HEADER {
                return Ok(Some(None));
            }
            ttl = Some(icmp[8]);
            icmp = &icmp[ihl..];
        }
        Ok(Some(self.parse(icmp, from, ttl)))
    }

    fn parse(&self, icmp: &[u8], from: IpAddr, ttl: Option<u8>) -> Option<Answer> {
        if icmp.len() < HEADER {
            return None;
        }
        let (kind, code) = (icmp[0], icmp[1]);
        let id = u16::from_be_bytes([icmp[4], icmp[5]]);
        let seq = u16::from_be_bytes([icmp[6], icmp[7]]);
        let reply = if self.v6 {
            ICMP6_ECHOREPLY
        } else {
            ICMP_ECHOREPLY
        };
        if kind == reply {
            // A raw socket sees everyone's replies; a datagram socket only ours.
            if self.raw && id != self.id {
                return None;
            }
            return Some(Answer::Reply {
                seq,
                bytes: icmp.len(),
                ttl,
                from,
            });
        }
        // An error quotes our packet: the IP header, then our ICMP header.
        let (text, to, quoted) = if self.v6 {
            let text = match (kind, code) {
                (ICMP6_DEST_UNREACH, 0) => "Destination unreachable: No route",
                (ICMP6_DEST_UNREACH, 1) => "Destination unreachable: Administratively prohibited",
                (ICMP6_DEST_UNREACH, 3) => "Destination unreachable: Address unreachable",
                (ICMP6_DEST_UNREACH, 4) => "Destination unreachable: Port unreachable",
                (ICMP6_DEST_UNREACH, _) => "Destination unreachable",
                (ICMP6_TIME_EXCEEDED, _) => "Time exceeded: Hop limit",
                _ => return None,
            };
            let inner = icmp.get(HEADER..)?;
            let dst: [u8; 16] = inner.get(24..40)?.try_into().ok()?;
            (text, IpAddr::from(dst), inner.get(40..)?)
        } else {
            let text = match (kind, code) {
                (ICMP_DEST_UNREACH, 0) => "Destination Net Unreachable",
                (ICMP_DEST_UNREACH, 1) => "Destination Host Unreachable",
                (ICMP_DEST_UNREACH, 3) => "Destination Port Unreachable",
                (ICMP_DEST_UNREACH, 13) => "Packet filtered",
                (ICMP_DEST_UNREACH, _) => "Destination Unreachable",
                (ICMP_TIME_EXCEEDED, _) => "Time to live exceeded",
                _ => return None,
            };
            let inner = icmp.get(HEADER..)?;
            let ihl = usize::from(inner.first()? & 0x0f) * 4;
            let dst = Ipv4Addr::new(
                *inner.get(16)?,
                *inner.get(17)?,
                *inner.get(18)?,
                *inner.get(19)?,
            );
            (text, IpAddr::V4(dst), inner.get(ihl..)?)
        };
        if quoted.len() < HEADER {
            return None;
        }
        // A datagram socket's errors are its own; a raw socket's must quote our id.
        let quoted_id = u16::from_be_bytes([quoted[4], quoted[5]]);
        if self.raw && quoted_id != self.id {
            return None;
        }
        Some(Answer::Error {
            seq: u16::from_be_bytes([quoted[6], quoted[7]]),
            to,
            from,
            text,
        })
    }
}

impl EchoSocket {
    /// Opens an echo socket for `dest` in the calling thread's namespace, bound to a device or
    /// a source address if given (as `ping -I DEV|ADDR`).
    pub fn open(dest: IpAddr, via: Option<Via>) -> Result<Self> {
        Ok(EchoSocket {
            port: EchoPort::open(dest.is_ipv6(), via)?,
            dest,
        })
    }

    /// The source address the kernel would use for this destination through `dev`: a UDP
    /// socket connected to it, never sending, as iputils finds it.
    pub fn source_for(dest: IpAddr, dev: &str) -> Result<IpAddr> {
        let family = match dest {
            IpAddr::V4(_) => AddressFamily::Inet,
            IpAddr::V6(_) => AddressFamily::Inet6,
        };
        let fd = socket(family, SockType::Datagram, SockFlag::SOCK_CLOEXEC, None)
            .map_err(|e| NetError::sys("socket(SOCK_DGRAM)", e))?;
        bind_device(&fd, dev)?;
        connect(fd.as_raw_fd(), &sockaddr(dest, 1025))
            .map_err(|e| NetError::sys(format!("connect {dest}"), e))?;
        let local: SockaddrStorage =
            getsockname(fd.as_raw_fd()).map_err(|e| NetError::sys("getsockname", e))?;
        sock_ip(&local).ok_or_else(|| NetError::Malformed {
            what: "getsockname gave no IP address".into(),
        })
    }

    /// Whether this is a raw socket (the datagram one was refused).
    pub fn is_raw(&self) -> bool {
        self.port.raw
    }

    /// Sends echo request `seq` with `payload` after the 8-byte header.
    pub fn send(&self, seq: u16, payload: &[u8]) -> Result<()> {
        self.port.send(self.dest, seq, payload, false)
    }

    /// Waits up to `timeout` for an answer to one of our echoes; other ICMP is skipped.
    pub fn recv(&self, timeout: Duration) -> Result<std::result::Result<Answer, Quiet>> {
        let deadline = std::time::Instant::now() + timeout;
        let mut buf = vec![0u8; RECV_BUF];
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let ms = left.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32;
            let mut fds = [PollFd::new(self.port.fd(), PollFlags::POLLIN)];
            match poll(
                &mut fds,
                PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX),
            ) {
                Ok(0) => return Ok(Err(Quiet::Timeout)),
                Ok(_) => {}
                Err(Errno::EINTR) => return Ok(Err(Quiet::Interrupted)),
                Err(e) => return Err(NetError::sys("poll", e)),
            }
            // Drain everything readable before waiting again.
            while let Some(answer) = self.port.try_recv(&mut buf)? {
                match answer {
                    // A raw socket sees replies from anyone to our id; only dest's count.
                    Some(Answer::Reply { from, .. }) if self.port.raw && from != self.dest => {}
                    Some(Answer::Error { to, .. }) if to != self.dest => {}
                    Some(answer) => return Ok(Ok(answer)),
                    None => {}
                }
            }
        }
    }
}

/// The largest packet a socket hands over: 64 KiB of ICMP and an IP header.
pub const RECV_BUF: usize = 65536 + 60;

/// ICMP_FILTER (IPv4) and ICMP6_FILTER (IPv6): a raw socket gets echo replies and the errors
/// that quote an echo, not the requests others send here. Best effort: without it, parsing
/// skips them anyway.
fn filter_raw(fd: &OwnedFd, v6: bool) {
    if v6 {
        // struct icmp6_filter: a set bit blocks the type.
        let mut blocked = [u32::MAX; 8];
        for t in [ICMP6_ECHOREPLY, ICMP6_DEST_UNREACH, ICMP6_TIME_EXCEEDED] {
            blocked[usize::from(t >> 5)] &= !(1 << (t & 31));
        }
        // SAFETY: a valid fd, and a pointer to 32 bytes, the size given.
        unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                libc::IPPROTO_ICMPV6,
                ICMP6_FILTER,
                blocked.as_ptr().cast(),
                std::mem::size_of_val(&blocked) as libc::socklen_t,
            )
        };
    } else {
        let blocked: u32 =
            !((1 << ICMP_ECHOREPLY) | (1 << ICMP_DEST_UNREACH) | (1 << ICMP_TIME_EXCEEDED));
        // SAFETY: a valid fd, and a pointer to a u32, the size given.
        unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                SOL_RAW,
                ICMP_FILTER,
                (&blocked as *const u32).cast(),
                std::mem::size_of::<u32>() as libc::socklen_t,
            )
        };
    }
}

/// Different ids for sockets opened by one process (the threads of a ping block).
fn next_salt() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static SALT: AtomicU16 = AtomicU16::new(0);
    SALT.fetch_add(1, Ordering::Relaxed)
}

fn sock_ip(addr: &SockaddrStorage) -> Option<IpAddr> {
    if let Some(a) = addr.as_sockaddr_in() {
        return Some(IpAddr::V4(a.ip()));
    }
    addr.as_sockaddr_in6().map(|a| IpAddr::V6(a.ip()))
}

/// The RFC 1071 Internet checksum.
pub fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = data
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// A socket address for `addr`, IPv4 or IPv6.
fn sockaddr(addr: IpAddr, port: u16) -> SockaddrStorage {
    SockaddrStorage::from(SocketAddr::new(addr, port))
}

/// SO_BINDTODEVICE: send and receive through `dev` only.
fn bind_device(fd: &OwnedFd, dev: &str) -> Result<()> {
    setsockopt(fd, sockopt::BindToDevice, &std::ffi::OsString::from(dev))
        .map_err(|e| NetError::sys(format!("SO_BINDTODEVICE {dev}"), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_of_rfc1071_example() {
        // RFC 1071 section 3: the sum of these words is ddf2, the checksum its complement.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(checksum(&data), !0xddf2);
        // A packet carrying its own checksum sums to zero.
        let mut packet = vec![8, 0, 0, 0, 0x12, 0x34, 0, 1, 0xab];
        let sum = checksum(&packet);
        packet[2..4].copy_from_slice(&sum.to_be_bytes());
        assert_eq!(checksum(&packet), 0);
    }
}
