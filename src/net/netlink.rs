//! One NETLINK_ROUTE socket: send a request, wait for its ACK, read dumps, decode the kernel's
//! extended-ack error text.

use netlink_packet_core::{
    NetlinkBuffer, NetlinkHeader, NetlinkMessage, NetlinkPayload, NLA_TYPE_MASK, NLM_F_ACK,
    NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST,
};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_sys::{protocols::NETLINK_ROUTE, Socket, SocketAddr};
use nix::errno::Errno;

use super::error::{NetError, Result};

/// NLMSGERR_ATTR_MSG: the extended-ack attribute holding the kernel's explanation.
const NLMSGERR_ATTR_MSG: u16 = 1;
/// Size of a `struct nlmsghdr`: all a capped error echoes of the request.
const NLMSG_HDRLEN: usize = 16;
/// A dump the kernel marks as interrupted (a change raced it) is retried this many times.
const DUMP_ATTEMPTS: usize = 3;

type Message = NetlinkMessage<RouteNetlinkMessage>;

/// One NETLINK_ROUTE socket with extended acks on.
///
/// The socket talks to the namespace it was opened in, forever: open one per namespace.
pub struct RouteSocket {
    socket: Socket,
    seq: u32,
    /// The kernel's cookie of the socket's namespace, asked once.
    cookie: Option<u64>,
}

impl RouteSocket {
    /// Open a socket in the calling thread's current network namespace.
    pub fn open() -> Result<Self> {
        let mut socket =
            Socket::new(NETLINK_ROUTE).map_err(|e| NetError::io("socket NETLINK_ROUTE", &e))?;
        socket
            .bind_auto()
            .map_err(|e| NetError::io("bind NETLINK_ROUTE", &e))?;
        // Without extended acks the kernel's explanation ("Unknown device type") is lost.
        socket
            .set_ext_ack(true)
            .map_err(|e| NetError::io("setsockopt NETLINK_EXT_ACK", &e))?;
        Ok(RouteSocket {
            socket,
            seq: 0,
            cookie: None,
        })
    }

    /// The cookie of the namespace this socket talks to (SO_NETNS_COOKIE): unlike the nsfs
    /// inode, which the next namespace made takes over, it is never reused until reboot.
    pub fn netns_cookie(&mut self) -> Result<u64> {
        if let Some(c) = self.cookie {
            return Ok(c);
        }
        let mut cookie: u64 = 0;
        let mut len = std::mem::size_of::<u64>() as libc::socklen_t;
        // SAFETY: the fd is our open socket; cookie and len describe a valid u64 buffer.
        let rc = unsafe {
            libc::getsockopt(
                std::os::fd::AsRawFd::as_raw_fd(&self.socket),
                libc::SOL_SOCKET,
                libc::SO_NETNS_COOKIE,
                (&mut cookie as *mut u64).cast(),
                &mut len,
            )
        };
        if rc != 0 {
            return Err(NetError::sys("getsockopt SO_NETNS_COOKIE", Errno::last()));
        }
        self.cookie = Some(cookie);
        Ok(cookie)
    }

    /// Send one request with NLM_F_REQUEST|NLM_F_ACK|`extra_flags` and wait for its ACK.
    ///
    /// A refusal becomes [`NetError::Kernel`] with the errno and the extended-ack text, if any.
    pub fn request(&mut self, msg: RouteNetlinkMessage, extra_flags: u16) -> Result<()> {
        // NLM_F_ACK: we want the kernel's verdict even on success, to know the change is done.
        let seq = self.send(msg, NLM_F_REQUEST | NLM_F_ACK | extra_flags)?;
        loop {
            for reply in self.recv(seq)? {
                if let NetlinkPayload::Error(err) = reply.payload {
                    return match err.code {
                        None => Ok(()),
                        Some(code) => {
                            Err(kernel_error(code.get(), reply.header.flags, &err.header))
                        }
                    };
                }
            }
        }
    }

    /// A dump (NLM_F_DUMP): every message of every part until NLMSG_DONE.
    pub fn dump(&mut self, msg: RouteNetlinkMessage) -> Result<Vec<RouteNetlinkMessage>> {
        let mut attempt = 1;
        loop {
            let (answers, interrupted) = self.dump_once(msg.clone())?;
            if !interrupted || attempt == DUMP_ATTEMPTS {
                return Ok(answers);
            }
            attempt += 1;
        }
    }

    /// A single get (RTM_GETLINK by name, RTM_GETNSID ...) returning the answer message.
    pub fn get(&mut self, msg: RouteNetlinkMessage) -> Result<RouteNetlinkMessage> {
        // NLM_F_ACK: the ACK after the answer tells us nothing else is coming for this request.
        let seq = self.send(msg, NLM_F_REQUEST | NLM_F_ACK)?;
        let mut answer = None;
        loop {
            for reply in self.recv(seq)? {
                match reply.payload {
                    NetlinkPayload::InnerMessage(inner) => answer = Some(inner),
                    NetlinkPayload::Error(err) => {
                        return match err.code {
                            None => answer.ok_or_else(|| NetError::Malformed {
                                what: "ACK without an answer".into(),
                            }),
                            Some(code) => {
                                Err(kernel_error(code.get(), reply.header.flags, &err.header))
                            }
                        };
                    }
                    _ => {}
                }
            }
        }
    }

    /// One dump; also says whether the kernel flagged it as interrupted by a concurrent change.
    fn dump_once(&mut self, msg: RouteNetlinkMessage) -> Result<(Vec<RouteNetlinkMessage>, bool)> {
        // NLM_F_DUMP: every object of that type; the end is NLMSG_DONE, so no ACK is needed.
        let seq = self.send(msg, NLM_F_REQUEST | NLM_F_DUMP)?;
        let mut answers = Vec::new();
        let mut interrupted = false;
        loop {
            for reply in self.recv(seq)? {
                interrupted |= reply.header.flags & NLM_F_DUMP_INTR != 0;
                match reply.payload {
                    NetlinkPayload::InnerMessage(inner) => answers.push(inner),
                    NetlinkPayload::Done(done) if done.code < 0 => {
                        // A failed dump's NLMSG_DONE carries the attributes without an echo.
                        let message = (reply.header.flags & NLM_F_ACK_TLVS != 0)
                            .then(|| attr_message(&done.extended_ack))
                            .flatten();
                        return Err(NetError::Kernel {
                            errno: Errno::from_raw(done.code.saturating_neg()),
                            message,
                        });
                    }
                    NetlinkPayload::Done(_) => return Ok((answers, interrupted)),
                    NetlinkPayload::Error(err) => {
                        if let Some(code) = err.code {
                            return Err(kernel_error(code.get(), reply.header.flags, &err.header));
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Serialize and send one message; returns the sequence number its replies will carry.
    fn send(&mut self, msg: RouteNetlinkMessage, flags: u16) -> Result<u32> {
        self.seq = self.seq.wrapping_add(1);
        let mut header = NetlinkHeader::default();
        header.flags = flags;
        header.sequence_number = self.seq;
        let mut packet = NetlinkMessage::new(header, NetlinkPayload::InnerMessage(msg));
        packet.finalize();
        let mut buf = vec![0; packet.buffer_len()];
        packet.serialize(&mut buf);
        let kernel = SocketAddr::new(0, 0);
        self.socket
            .send_to(&buf, &kernel, 0)
            .map_err(|e| NetError::io("send netlink request", &e))?;
        Ok(self.seq)
    }

    /// Receive one datagram and decode the messages in it that answer `seq`.
    ///
    /// Replies to older requests (the rest of a dump abandoned after an error) are skipped.
    fn recv(&mut self, seq: u32) -> Result<Vec<Message>> {
        let (buf, _) = self
            .socket
            .recv_from_full()
            .map_err(|e| NetError::io("recv netlink reply", &e))?;
        let mut messages = Vec::new();
        let mut rest = &buf[..];
        while !rest.is_empty() {
            let len = NetlinkBuffer::new_checked(rest)
                .map_err(|e| NetError::Malformed {
                    what: e.to_string(),
                })?
                .length() as usize;
            let one = rest.get(..len).ok_or_else(|| NetError::Malformed {
                what: format!("message of {len} bytes in a datagram of {}", rest.len()),
            })?;
            let msg = Message::deserialize(one).map_err(|e| NetError::Malformed {
                what: e.to_string(),
            })?;
            if msg.header.sequence_number == seq {
                messages.push(msg);
            }
            rest = rest.get(align4(len)..).unwrap_or_default();
        }
        Ok(messages)
    }
}

fn align4(len: usize) -> usize {
    (len + 3) & !3
}

/// Build the error for a negative netlink error code and the bytes after it: the echoed
/// request, then (with NLM_F_ACK_TLVS) the extended-ack attributes.
fn kernel_error(code: i32, flags: u16, payload: &[u8]) -> NetError {
    let message = if flags & NLM_F_ACK_TLVS != 0 {
        ext_ack_message(flags, payload)
    } else {
        None
    };
    NetError::Kernel {
        errno: Errno::from_raw(code.saturating_neg()),
        message,
    }
}

/// Find NLMSGERR_ATTR_MSG after the echoed request.
fn ext_ack_message(flags: u16, payload: &[u8]) -> Option<String> {
    let echoed = if flags & NLM_F_CAPPED != 0 {
        NLMSG_HDRLEN
    } else {
        // The echo is the whole request: its own nlmsg_len says how long.
        let len = payload.get(..4)?;
        u32::from_ne_bytes(len.try_into().ok()?) as usize
    };
    attr_message(payload.get(align4(echoed)..)?)
}

/// The NLMSGERR_ATTR_MSG text among extended-ack attributes.
fn attr_message(mut attrs: &[u8]) -> Option<String> {
    while attrs.len() >= 4 {
        let len = u16::from_ne_bytes([attrs[0], attrs[1]]) as usize;
        let kind = u16::from_ne_bytes([attrs[2], attrs[3]]) & NLA_TYPE_MASK;
        if len < 4 {
            return None;
        }
        let value = attrs.get(4..len)?;
        if kind == NLMSGERR_ATTR_MSG {
            let text = value.split(|&b| b == 0).next().unwrap_or_default();
            return Some(String::from_utf8_lossy(text).trim_end().to_owned());
        }
        attrs = attrs.get(align4(len)..).unwrap_or_default();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(kind: u16, value: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&((4 + value.len()) as u16).to_ne_bytes());
        out.extend_from_slice(&kind.to_ne_bytes());
        out.extend_from_slice(value);
        out.resize(align4(out.len()), 0);
        out
    }

    #[test]
    fn ext_ack_after_a_capped_echo() {
        let mut payload = vec![0u8; NLMSG_HDRLEN];
        payload.extend(attr(4, &5u32.to_ne_bytes()));
        payload.extend(attr(NLMSGERR_ATTR_MSG, b"Unknown device type\0"));
        assert_eq!(
            ext_ack_message(NLM_F_CAPPED | NLM_F_ACK_TLVS, &payload).as_deref(),
            Some("Unknown device type")
        );
    }

    #[test]
    fn ext_ack_after_a_full_echo() {
        let mut payload = vec![0u8; 36];
        payload[..4].copy_from_slice(&34u32.to_ne_bytes());
        payload.extend(attr(NLMSGERR_ATTR_MSG, b"ipv4: Address already assigned\0"));
        assert_eq!(
            ext_ack_message(NLM_F_ACK_TLVS, &payload).as_deref(),
            Some("ipv4: Address already assigned")
        );
    }

    #[test]
    fn truncated_ext_ack_is_ignored() {
        let payload = vec![0u8; 10];
        assert_eq!(
            ext_ack_message(NLM_F_CAPPED | NLM_F_ACK_TLVS, &payload),
            None
        );
        let mut payload = vec![0u8; NLMSG_HDRLEN];
        payload.extend_from_slice(&[200, 0, 1, 0, b'x']);
        assert_eq!(
            ext_ack_message(NLM_F_CAPPED | NLM_F_ACK_TLVS, &payload),
            None
        );
    }
}
