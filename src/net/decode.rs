//! One line per Ethernet frame, in the style of `tcpdump -n`: ARP, IPv4, IPv6, ICMP, ICMPv6,
//! UDP and TCP; anything else as its ethertype and length.

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

/// The text tcpdump -n prints after the timestamp for this frame.
pub fn describe(frame: &[u8]) -> String {
    let Some(ethertype) = frame.get(12..14).map(|b| u16::from_be_bytes([b[0], b[1]])) else {
        return format!("truncated frame, length {}", frame.len());
    };
    let body = &frame[14..];
    match ethertype {
        0x0806 => arp(body),
        0x0800 => ipv4(body),
        0x86dd => ipv6(body),
        0x8100 => format!("802.1Q VLAN, length {}", frame.len()),
        other => format!("ethertype 0x{other:04x}, length {}", frame.len()),
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

fn ipv4(b: &[u8]) -> String {
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
        6 => tcp("IP", &src.to_string(), &dst.to_string(), payload),
        17 => udp("IP", &src.to_string(), &dst.to_string(), payload),
        p => format!("IP {src} > {dst}: ip-proto-{p} {}", payload.len()),
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

fn ipv6(b: &[u8]) -> String {
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
        6 => tcp("IP6", &s, &d, payload),
        17 => udp("IP6", &s, &d, payload),
        p => format!("IP6 {s} > {d}: {prefix}ip-proto-{p} {}", payload.len()),
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

fn tcp(ip: &str, src: &str, dst: &str, b: &[u8]) -> String {
    if b.len() < 20 {
        return format!("{ip} {src} > {dst}: tcp, truncated");
    }
    let (sp, dp, seq, ack) = (be16(b, 0), be16(b, 2), be32(b, 4), be32(b, 8));
    let off = usize::from(b[12] >> 4) * 4;
    let flags = b[13];
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
    let data = b.len().saturating_sub(off);
    let mut line = format!("{ip} {src}.{sp} > {dst}.{dp}: Flags [{f}]");
    if data > 0 {
        let _ = write!(line, ", seq {seq}:{}", seq.wrapping_add(data as u32));
    } else if flags & 0x07 != 0 {
        let _ = write!(line, ", seq {seq}");
    }
    if flags & 0x10 != 0 {
        let _ = write!(line, ", ack {ack}");
    }
    let _ = write!(line, ", win {}, length {data}", be16(b, 14));
    line
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
            describe(&eth(0x0806, &body)),
            "ARP, Request who-has 10.1.1.2 tell 10.1.1.1, length 28"
        );
        body[7] = 2;
        assert_eq!(
            describe(&eth(0x0806, &body)),
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
            describe(&eth(0x0800, &ip)),
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
            describe(&eth(0x0800, &ip)),
            "IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 5"
        );
        assert_eq!(
            describe(&eth(0x88cc, &[0; 46])),
            "ethertype 0x88cc, length 60"
        );
    }
}
