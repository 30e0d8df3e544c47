//! One line per Ethernet frame, in the style of `tcpdump -n`: ARP, IPv4, IPv6, ICMP, ICMPv6,
//! UDP and TCP; anything else as its ethertype and length.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::{SystemTime, UNIX_EPOCH};

/// `HH:MM:SS.uuuuuu` in local time, as tcpdump starts each line.
pub fn time_of_day(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as libc::time_t;
    // SAFETY: tm is plain old data; localtime_r fills it from a live time_t, thread-safely.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let local = unsafe { !libc::localtime_r(&secs, &mut tm).is_null() };
    let (h, m, s) = if local {
        (tm.tm_hour as u64, tm.tm_min as u64, tm.tm_sec as u64)
    } else {
        let day = since.as_secs() % 86_400;
        (day / 3600, day / 60 % 60, day % 60)
    };
    format!("{h:02}:{m:02}:{s:02}.{:06}", since.subsec_micros())
}

/// Describes frames as `tcpdump -n` does, remembering what tcpdump remembers: where each TCP
/// conversation's sequence numbers started, to print them relative to that (tcpdump without
/// `-S`).
#[derive(Default)]
pub struct Decoder {
    tcp: HashMap<Flow, Bases>,
}

/// A TCP conversation: its ends in tcpdump's order, the same whichever way a packet goes.
type Flow = (Vec<u8>, Vec<u8>, u16, u16);

/// The first sequence and acknowledgement numbers seen, in the flow's own direction.
struct Bases {
    seq: u32,
    ack: u32,
}

impl Decoder {
    /// The text tcpdump -n prints after the timestamp for this frame.
    pub fn describe(&mut self, frame: &[u8]) -> String {
        let Some(ethertype) = frame.get(12..14).map(|b| u16::from_be_bytes([b[0], b[1]])) else {
            return format!("truncated frame, length {}", frame.len());
        };
        let body = &frame[14..];
        match ethertype {
            0x0806 => arp(body),
            0x0800 => self.ipv4(body),
            0x86dd => self.ipv6(body),
            0x8100 => format!("802.1Q VLAN, length {}", frame.len()),
            other => format!("ethertype 0x{other:04x}, length {}", frame.len()),
        }
    }
}

fn mac(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn v4(b: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(b[0], b[1], b[2], b[3])
}

fn v6(b: &[u8]) -> Ipv6Addr {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[..16]);
    Ipv6Addr::from(a)
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn arp(b: &[u8]) -> String {
    // Ethernet/IPv4 ARP only: hardware type 1, protocol 0x0800, sizes 6 and 4.
    if b.len() < 28 || be16(b, 0) != 1 || be16(b, 2) != 0x0800 || b[4] != 6 || b[5] != 4 {
        return format!("ARP, length {}", b.len());
    }
    let (sha, spa, tpa) = (&b[8..14], v4(&b[14..18]), v4(&b[24..28]));
    let len = b.len();
    match be16(b, 6) {
        1 => format!("ARP, Request who-has {tpa} tell {spa}, length {len}"),
        2 => format!("ARP, Reply {spa} is-at {}, length {len}", mac(sha)),
        op => format!("ARP, Unknown opcode {op}, length {len}"),
    }
}

fn icmp(b: &[u8]) -> String {
    let len = b.len();
    if len < 8 {
        return format!("ICMP, length {len}");
    }
    let (id, seq) = (be16(b, 4), be16(b, 6));
    match (b[0], b[1]) {
        (8, _) => format!("ICMP echo request, id {id}, seq {seq}, length {len}"),
        (0, _) => format!("ICMP echo reply, id {id}, seq {seq}, length {len}"),
        (3, code) if b.len() >= 28 => {
            let inner = &b[8..];
            let dst = v4(&inner[16..20]);
            let ihl = usize::from(inner[0] & 0x0f) * 4;
            match code {
                1 => format!("ICMP host {dst} unreachable, length {len}"),
                0 => format!("ICMP net {dst} unreachable, length {len}"),
                3 if inner.len() >= ihl + 4 && inner[9] == 17 => format!(
                    "ICMP {dst} udp port {} unreachable, length {len}",
                    be16(inner, ihl + 2)
                ),
                3 if inner.len() >= ihl + 4 && inner[9] == 6 => format!(
                    "ICMP {dst} tcp port {} unreachable, length {len}",
                    be16(inner, ihl + 2)
                ),
                c => format!("ICMP {dst} unreachable - code {c}, length {len}"),
            }
        }
        (11, _) => format!("ICMP time exceeded in-transit, length {len}"),
        (t, _) => format!("ICMP type-#{t}, length {len}"),
    }
}

fn icmp6(b: &[u8]) -> String {
    let len = b.len();
    if len < 4 {
        return format!("ICMP6, length {len}");
    }
    let target = || b.get(8..24).map(|t| v6(t).to_string()).unwrap_or_default();
    match b[0] {
        128 if len >= 8 => format!(
            "ICMP6, echo request, id {}, seq {}, length {len}",
            be16(b, 4),
            be16(b, 6)
        ),
        129 if len >= 8 => format!(
            "ICMP6, echo reply, id {}, seq {}, length {len}",
            be16(b, 4),
            be16(b, 6)
        ),
        1 => format!("ICMP6, destination unreachable, length {len}"),
        2 => format!("ICMP6, packet too big, length {len}"),
        3 => format!("ICMP6, time exceeded in-transit, length {len}"),
        133 => format!("ICMP6, router solicitation, length {len}"),
        134 => format!("ICMP6, router advertisement, length {len}"),
        135 => format!(
            "ICMP6, neighbor solicitation, who has {}, length {len}",
            target()
        ),
        136 => format!(
            "ICMP6, neighbor advertisement, tgt is {}, length {len}",
            target()
        ),
        143 => format!(
            "ICMP6, multicast listener report v2, {} group record(s), length {len}",
            b.get(6..8).map_or(0, |_| be16(b, 6))
        ),
        t => format!("ICMP6, type {t}, length {len}"),
    }
}

fn udp(ip: &str, src: &str, dst: &str, b: &[u8]) -> String {
    if b.len() < 8 {
        return format!("{ip} {src} > {dst}: UDP, truncated");
    }
    let (sp, dp) = (be16(b, 0), be16(b, 2));
    let len = usize::from(be16(b, 4)).saturating_sub(8);
    format!("{ip} {src}.{sp} > {dst}.{dp}: UDP, length {len}")
}

impl Decoder {
    fn ipv4(&mut self, b: &[u8]) -> String {
        if b.len() < 20 {
            return format!("IP truncated-ip, length {}", b.len());
        }
        let ihl = usize::from(b[0] & 0x0f) * 4;
        let total = usize::from(be16(b, 2)).min(b.len());
        let (src, dst, proto) = (v4(&b[12..16]), v4(&b[16..20]), b[9]);
        let frag = be16(b, 6) & 0x1fff;
        if ihl < 20 || total < ihl {
            return format!("IP {src} > {dst}: bad header, length {}", b.len());
        }
        let payload = &b[ihl..total];
        if frag != 0 {
            return format!(
                "IP {src} > {dst}: ip-proto-{proto}, fragment, length {}",
                payload.len()
            );
        }
        match proto {
            1 => format!("IP {src} > {dst}: {}", icmp(payload)),
            6 => self.tcp("IP", (&b[12..16], &b[16..20]), payload),
            17 => udp("IP", &src.to_string(), &dst.to_string(), payload),
            p => format!("IP {src} > {dst}: ip-proto-{p} {}", payload.len()),
        }
    }

    fn ipv6(&mut self, b: &[u8]) -> String {
        if b.len() < 40 {
            return format!("IP6 truncated, length {}", b.len());
        }
        let (src, dst) = (v6(&b[8..24]), v6(&b[24..40]));
        let end = (40 + usize::from(be16(b, 4))).min(b.len());
        let mut next = b[6];
        let mut at = 40;
        let mut prefix = String::new();
        // Hop-by-hop options (MLD reports carry one), destination options, routing.
        while matches!(next, 0 | 43 | 60) && at + 8 <= end {
            prefix.push_str(match next {
                0 => "HBH ",
                43 => "srcrt ",
                _ => "DSTOPT ",
            });
            let len = (usize::from(b[at + 1]) + 1) * 8;
            next = b[at];
            at += len;
        }
        let payload = b.get(at..end).unwrap_or(&[]);
        let (s, d) = (src.to_string(), dst.to_string());
        match next {
            58 => format!("IP6 {s} > {d}: {prefix}{}", icmp6(payload)),
            6 => self.tcp("IP6", (&b[8..24], &b[24..40]), payload),
            17 => udp("IP6", &s, &d, payload),
            p => format!("IP6 {s} > {d}: {prefix}ip-proto-{p} {}", payload.len()),
        }
    }

    /// A TCP segment as tcpdump prints it: flags, sequence numbers (relative once the
    /// conversation is known), window, options, length.
    fn tcp(&mut self, ip: &str, (src, dst): (&[u8], &[u8]), b: &[u8]) -> String {
        let (s, d) = (addr_text(src), addr_text(dst));
        if b.len() < 20 {
            return format!("{ip} {s} > {d}: tcp, truncated");
        }
        let (sp, dp, mut seq, mut ack) = (be16(b, 0), be16(b, 2), be32(b, 4), be32(b, 8));
        let off = (usize::from(b[12] >> 4) * 4).clamp(20, b.len());
        let flags = b[13];
        let mut base_seq = 0;
        if flags & 0x10 != 0 {
            base_seq = self.relative(((src, sp), (dst, dp)), flags, &mut seq, &mut ack);
        }
        let f = tcp_flags(flags);
        let data = b.len() - off;
        let mut line = format!("{ip} {s}.{sp} > {d}.{dp}: Flags [{f}]");
        if data > 0 || flags & 0x07 != 0 {
            let _ = write!(line, ", seq {seq}");
            if data > 0 {
                let _ = write!(line, ":{}", seq.wrapping_add(data as u32));
            }
        }
        if flags & 0x10 != 0 {
            let _ = write!(line, ", ack {ack}");
        }
        let _ = write!(line, ", win {}", be16(b, 14));
        if off > 20 {
            let _ = write!(line, ", options [{}]", tcp_options(&b[20..off], base_seq));
        }
        let _ = write!(line, ", length {data}");
        line
    }

    /// tcpdump's print-tcp.c: a conversation starts at its first packet with an ACK (or a
    /// SYN), printed as is; later packets are printed relative to it. Makes `seq` and `ack`
    /// relative, and returns the conversation's base sequence number for SACK options.
    fn relative(
        &mut self,
        ((src, sp), (dst, dp)): (Endpoint, Endpoint),
        flags: u8,
        seq: &mut u32,
        ack: &mut u32,
    ) -> u32 {
        let rev = sp > dp || (sp == dp && src > dst);
        let flow = if rev {
            (dst.to_vec(), src.to_vec(), dp, sp)
        } else {
            (src.to_vec(), dst.to_vec(), sp, dp)
        };
        match self.tcp.get(&flow) {
            Some(base) if flags & 0x02 == 0 => {
                let (bs, ba) = if rev {
                    (base.ack, base.seq)
                } else {
                    (base.seq, base.ack)
                };
                *seq = seq.wrapping_sub(bs);
                *ack = ack.wrapping_sub(ba);
                base.seq
            }
            _ => {
                let base = if rev {
                    Bases {
                        seq: ack.wrapping_sub(1),
                        ack: *seq,
                    }
                } else {
                    Bases {
                        seq: *seq,
                        ack: ack.wrapping_sub(1),
                    }
                };
                let base_seq = base.seq;
                self.tcp.insert(flow, base);
                base_seq
            }
        }
    }
}

/// One end of a TCP conversation: the address's bytes, and the port.
type Endpoint<'a> = (&'a [u8], u16);

/// TCP flags as tcpdump writes them: `S`, `F`, `P`, `R`, `U`, then `.` for ACK; `none`.
fn tcp_flags(flags: u8) -> String {
    let mut f = String::new();
    for (bit, c) in [
        (0x02, 'S'),
        (0x01, 'F'),
        (0x08, 'P'),
        (0x04, 'R'),
        (0x20, 'U'),
    ] {
        if flags & bit != 0 {
            f.push(c);
        }
    }
    if flags & 0x10 != 0 {
        f.push('.');
    }
    if f.is_empty() {
        f.push_str("none");
    }
    f
}

/// TCP options as tcpdump lists them: `mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7`. SACK
/// edges are relative to the conversation's first sequence number, as tcpdump prints them.
fn tcp_options(mut b: &[u8], base_seq: u32) -> String {
    let mut out = Vec::new();
    while let Some(&kind) = b.first() {
        if kind == 0 || kind == 1 {
            out.push(if kind == 0 { "eol" } else { "nop" }.to_string());
            b = &b[1..];
            continue;
        }
        let len = usize::from(b.get(1).copied().unwrap_or(0));
        if len < 2 || len > b.len() {
            out.push(format!("bad opt {kind}"));
            break;
        }
        let v = &b[2..len];
        out.push(match (kind, v.len()) {
            (2, 2) => format!("mss {}", be16(v, 0)),
            (3, 1) => format!("wscale {}", v[0]),
            (4, 0) => "sackOK".to_string(),
            (5, n) if n % 8 == 0 => {
                let blocks: String = v
                    .chunks(8)
                    .map(|e| {
                        let (l, r) = (be32(e, 0), be32(e, 4));
                        format!(
                            "{{{}:{}}}",
                            l.wrapping_sub(base_seq),
                            r.wrapping_sub(base_seq)
                        )
                    })
                    .collect();
                format!("sack {} {blocks}", n / 8)
            }
            (8, 8) => format!("TS val {} ecr {}", be32(v, 0), be32(v, 4)),
            (k, _) => format!("unknown-{k}"),
        });
        b = &b[len..];
    }
    out.join(",")
}

/// An IPv4 or IPv6 address from its bytes, as tcpdump -n prints it.
fn addr_text(b: &[u8]) -> String {
    match b.len() {
        4 => v4(b).to_string(),
        _ => v6(b).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eth(ethertype: u16, body: &[u8]) -> Vec<u8> {
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&[0x02, 0, 0, 0, 0, 1]);
        f.extend_from_slice(&ethertype.to_be_bytes());
        f.extend_from_slice(body);
        f
    }

    #[test]
    fn arp_request_and_reply() {
        let mut body = vec![0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 1, 1, 1];
        body.extend_from_slice(&[0, 0, 0, 0, 0, 0, 10, 1, 1, 2]);
        assert_eq!(
            Decoder::default().describe(&eth(0x0806, &body)),
            "ARP, Request who-has 10.1.1.2 tell 10.1.1.1, length 28"
        );
        body[7] = 2;
        assert_eq!(
            Decoder::default().describe(&eth(0x0806, &body)),
            "ARP, Reply 10.1.1.1 is-at 02:00:00:00:00:01, length 28"
        );
    }

    #[test]
    fn icmp_echo_in_ipv4() {
        let mut ip = vec![
            0x45, 0, 0, 28, 0, 0, 0x40, 0, 64, 1, 0, 0, 10, 1, 1, 1, 10, 1, 1, 2,
        ];
        ip.extend_from_slice(&[8, 0, 0, 0, 0x12, 0x34, 0, 7]);
        assert_eq!(
            Decoder::default().describe(&eth(0x0800, &ip)),
            "IP 10.1.1.1 > 10.1.1.2: ICMP echo request, id 4660, seq 7, length 8"
        );
    }

    #[test]
    fn udp_and_unknown() {
        let mut ip = vec![
            0x45, 0, 0, 33, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        ip.extend_from_slice(&[
            0x13, 0x88, 0x17, 0x70, 0, 13, 0, 0, b'h', b'e', b'l', b'l', b'o',
        ]);
        assert_eq!(
            Decoder::default().describe(&eth(0x0800, &ip)),
            "IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 5"
        );
        assert_eq!(
            Decoder::default().describe(&eth(0x88cc, &[0; 46])),
            "ethertype 0x88cc, length 60"
        );
    }

    #[test]
    fn tcp_options_read_as_tcpdump_lists_them() {
        // mss 1460, nop, wscale 7, sackOK, a SACK block, timestamps, eol.
        let mut o = vec![2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 5, 10];
        o.extend_from_slice(&[0, 0, 0, 110, 0, 0, 0, 120]);
        o.extend_from_slice(&[8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 0]);
        assert_eq!(
            tcp_options(&o, 100),
            "mss 1460,nop,wscale 7,sackOK,sack 1 {10:20},TS val 1 ecr 2,eol"
        );
        assert_eq!(tcp_options(&[30, 9, 0], 0), "bad opt 30");
    }
}
