//! Packet capture: an AF_PACKET socket on one device, its drop counters, and a pcap writer
//! whose files tcpdump and Wireshark read.

use std::io::{self, IoSliceMut, Write};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::socket::{recvmsg, setsockopt, sockopt, ControlMessageOwned, LinkAddr, MsgFlags};

use super::error::{NetError, Result};

/// The largest frame kept: a veth with GSO can hand over 64 KiB super-frames.
pub const SNAPLEN: usize = 262_144;

/// One captured frame, link header included.
#[derive(Clone, Debug)]
pub struct Frame {
    /// When the kernel received (or sent) it.
    pub time: SystemTime,
    /// The bytes captured (at most [`SNAPLEN`]).
    pub data: Vec<u8>,
    /// The frame's length on the wire.
    pub len: usize,
    /// Whether the device sent it (PACKET_OUTGOING) rather than received it.
    pub outgoing: bool,
}

/// What the kernel counted for a capture socket (PACKET_STATISTICS).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Frames that passed to the socket, dropped ones included (tcpdump's "received by filter").
    pub packets: u32,
    /// Frames the socket lost because its buffer was full (tcpdump's "dropped by kernel").
    pub drops: u32,
}

/// An AF_PACKET socket capturing every protocol on one device of the namespace it was
/// opened in.
pub struct Capture {
    fd: OwnedFd,
    buf: Vec<u8>,
}

impl Capture {
    /// Opens a capture on the device with `ifindex` in the calling thread's namespace.
    pub fn open(ifindex: u32) -> Result<Self> {
        let proto = (libc::ETH_P_ALL as u16).to_be();
        // SAFETY: socket(2) with constant arguments; the result is checked before use.
        let raw = unsafe {
            libc::socket(
                libc::AF_PACKET,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                i32::from(proto),
            )
        };
        if raw < 0 {
            return Err(NetError::sys("socket(AF_PACKET)", Errno::last()));
        }
        // SAFETY: `raw` is a fresh descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        // SAFETY: sockaddr_ll is plain old data; all-zero is a valid value to fill in.
        let mut addr: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        addr.sll_family = libc::AF_PACKET as u16;
        addr.sll_protocol = proto;
        addr.sll_ifindex = ifindex as i32;
        // SAFETY: bind(2) reads `size_of::<sockaddr_ll>()` bytes from a live sockaddr_ll.
        let bound = unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&addr as *const libc::sockaddr_ll).cast(),
                std::mem::size_of::<libc::sockaddr_ll>() as u32,
            )
        };
        if bound != 0 {
            return Err(NetError::sys(
                format!("bind AF_PACKET to ifindex {ifindex}"),
                Errno::last(),
            ));
        }
        // As root, a buffer past rmem_max, so a flood is not dropped while we print.
        if setsockopt(&fd, sockopt::RcvBufForce, &(8 << 20)).is_err() {
            let _ = setsockopt(&fd, sockopt::RcvBuf, &(8 << 20));
        }
        setsockopt(&fd, sockopt::ReceiveTimestampns, &true)
            .map_err(|e| NetError::sys("SO_TIMESTAMPNS", e))?;
        // Counting starts now: frames queued between socket() and bind() belong to any device.
        let mut capture = Capture {
            fd,
            buf: vec![0; SNAPLEN],
        };
        // Bound to a device that is down, the socket reports ENETDOWN once: not a failure,
        // the device may come up while we capture.
        let mut reported = false;
        loop {
            match capture.try_next() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) if e.errno() == Some(Errno::ENETDOWN) && !reported => reported = true,
                Err(e) => return Err(e),
            }
        }
        capture.stats()?;
        Ok(capture)
    }

    /// Waits up to `timeout` for the socket to become readable; false on timeout or a signal.
    pub fn wait(&self, timeout: Duration) -> Result<bool> {
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        let mut fds = [PollFd::new(self.fd.as_fd(), PollFlags::POLLIN)];
        match poll(
            &mut fds,
            PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX),
        ) {
            Ok(n) => Ok(n > 0),
            Err(Errno::EINTR) => Ok(false),
            Err(e) => Err(NetError::sys("poll AF_PACKET", e)),
        }
    }

    /// The next queued frame, without waiting; `None` when the queue is empty.
    pub fn try_next(&mut self) -> Result<Option<Frame>> {
        let mut cmsg = nix::cmsg_space!(libc::timespec);
        let mut iov = [IoSliceMut::new(&mut self.buf)];
        // MSG_TRUNC: the answer is the frame's real length even when it was cut to SNAPLEN.
        let msg = match recvmsg::<LinkAddr>(
            self.fd.as_raw_fd(),
            &mut iov,
            Some(&mut cmsg),
            MsgFlags::MSG_DONTWAIT | MsgFlags::MSG_TRUNC,
        ) {
            Ok(msg) => msg,
            Err(Errno::EAGAIN) | Err(Errno::EINTR) => return Ok(None),
            Err(e) => return Err(NetError::sys("recvmsg AF_PACKET", e)),
        };
        let len = msg.bytes;
        let outgoing = msg
            .address
            .is_some_and(|a| a.pkttype() == libc::PACKET_OUTGOING);
        let mut time = SystemTime::now();
        if let Ok(cmsgs) = msg.cmsgs() {
            for c in cmsgs {
                if let ControlMessageOwned::ScmTimestampns(ts) = c {
                    time = UNIX_EPOCH
                        + Duration::new(ts.tv_sec().max(0) as u64, ts.tv_nsec().max(0) as u32);
                }
            }
        }
        let kept = len.min(SNAPLEN);
        Ok(Some(Frame {
            time,
            data: self.buf[..kept].to_vec(),
            len,
            outgoing,
        }))
    }

    /// The kernel's counters since the last call (reading them resets them).
    pub fn stats(&self) -> Result<Stats> {
        let mut st = libc::tpacket_stats {
            tp_packets: 0,
            tp_drops: 0,
        };
        let mut len = std::mem::size_of::<libc::tpacket_stats>() as libc::socklen_t;
        // SAFETY: getsockopt(2) writes at most `len` bytes into the live `st`.
        let rc = unsafe {
            libc::getsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_PACKET,
                libc::PACKET_STATISTICS,
                (&mut st as *mut libc::tpacket_stats).cast(),
                &mut len,
            )
        };
        if rc != 0 {
            return Err(NetError::sys("getsockopt PACKET_STATISTICS", Errno::last()));
        }
        Ok(Stats {
            packets: st.tp_packets,
            drops: st.tp_drops,
        })
    }
}

impl AsFd for Capture {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// LINKTYPE_ETHERNET: veth, bridge, macvlan, vxlan, tap, and lo (which has a zeroed Ethernet
/// header on Linux).
pub const LINKTYPE_ETHERNET: u32 = 1;

/// Writes frames as a classic pcap file (microsecond timestamps, host byte order).
pub struct PcapWriter<W: Write> {
    out: W,
}

impl<W: Write> PcapWriter<W> {
    /// Writes the file header.
    pub fn new(mut out: W) -> io::Result<Self> {
        let mut header = Vec::with_capacity(24);
        header.extend_from_slice(&0xa1b2_c3d4u32.to_ne_bytes());
        header.extend_from_slice(&2u16.to_ne_bytes());
        header.extend_from_slice(&4u16.to_ne_bytes());
        header.extend_from_slice(&0i32.to_ne_bytes()); // thiszone: UTC
        header.extend_from_slice(&0u32.to_ne_bytes()); // sigfigs
        header.extend_from_slice(&(SNAPLEN as u32).to_ne_bytes());
        header.extend_from_slice(&LINKTYPE_ETHERNET.to_ne_bytes());
        out.write_all(&header)?;
        Ok(PcapWriter { out })
    }

    /// Appends one frame.
    pub fn write(&mut self, frame: &Frame) -> io::Result<()> {
        let since = frame.time.duration_since(UNIX_EPOCH).unwrap_or_default();
        let mut record = Vec::with_capacity(16 + frame.data.len());
        record.extend_from_slice(&(since.as_secs() as u32).to_ne_bytes());
        record.extend_from_slice(&since.subsec_micros().to_ne_bytes());
        record.extend_from_slice(&(frame.data.len() as u32).to_ne_bytes());
        record.extend_from_slice(&(frame.len as u32).to_ne_bytes());
        record.extend_from_slice(&frame.data);
        self.out.write_all(&record)
    }

    /// Flushes and gives back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcap_layout() {
        let mut w = PcapWriter::new(Vec::new()).unwrap();
        let frame = Frame {
            time: UNIX_EPOCH + Duration::new(7, 1_500),
            data: vec![1, 2, 3],
            len: 60,
            outgoing: false,
        };
        w.write(&frame).unwrap();
        let bytes = w.finish().unwrap();
        assert_eq!(bytes.len(), 24 + 16 + 3);
        assert_eq!(&bytes[..4], &0xa1b2_c3d4u32.to_ne_bytes());
        assert_eq!(&bytes[20..24], &1u32.to_ne_bytes());
        assert_eq!(&bytes[24..28], &7u32.to_ne_bytes());
        assert_eq!(&bytes[28..32], &1u32.to_ne_bytes());
        assert_eq!(&bytes[32..36], &3u32.to_ne_bytes());
        assert_eq!(&bytes[36..40], &60u32.to_ne_bytes());
        assert_eq!(&bytes[40..], &[1, 2, 3]);
    }
}
