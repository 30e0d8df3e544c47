//! A pcapng writer: one section, one interface description per captured device (named, with
//! nanosecond timestamps), and an enhanced packet block per frame saying which device saw it
//! and in which direction. tcpdump, tshark and Wireshark read it.

use std::io::{self, Write};
use std::time::UNIX_EPOCH;

use super::packet::{Frame, LINKTYPE_ETHERNET, SNAPLEN};

const SHB: u32 = 0x0A0D_0D0A;
const IDB: u32 = 1;
const EPB: u32 = 6;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;
const OPT_END: u16 = 0;
const IF_NAME: u16 = 2;
const IF_TSRESOL: u16 = 9;
const EPB_FLAGS: u16 = 2;

/// Writes a pcapng file in host byte order (the byte-order magic tells readers which).
pub struct PcapngWriter<W: Write> {
    out: W,
    interfaces: u32,
}

/// One option: code, length, value padded to 4 bytes.
fn option(body: &mut Vec<u8>, code: u16, value: &[u8]) {
    body.extend_from_slice(&code.to_ne_bytes());
    body.extend_from_slice(&(value.len() as u16).to_ne_bytes());
    body.extend_from_slice(value);
    body.resize(body.len().next_multiple_of(4), 0);
}

impl<W: Write> PcapngWriter<W> {
    /// Writes the section header.
    pub fn new(out: W) -> io::Result<Self> {
        let mut w = PcapngWriter { out, interfaces: 0 };
        let mut body = Vec::new();
        body.extend_from_slice(&BYTE_ORDER_MAGIC.to_ne_bytes());
        body.extend_from_slice(&1u16.to_ne_bytes());
        body.extend_from_slice(&0u16.to_ne_bytes());
        // Section length unknown: -1.
        body.extend_from_slice(&u64::MAX.to_ne_bytes());
        w.block(SHB, &body)?;
        Ok(w)
    }

    fn block(&mut self, kind: u32, body: &[u8]) -> io::Result<()> {
        let total = (12 + body.len()) as u32;
        let mut b = Vec::with_capacity(total as usize);
        b.extend_from_slice(&kind.to_ne_bytes());
        b.extend_from_slice(&total.to_ne_bytes());
        b.extend_from_slice(body);
        b.extend_from_slice(&total.to_ne_bytes());
        self.out.write_all(&b)
    }

    /// Describes the next interface (Ethernet, nanosecond timestamps); returns its id, the
    /// one [`PcapngWriter::write`] takes.
    pub fn interface(&mut self, name: &str) -> io::Result<u32> {
        let mut body = Vec::new();
        body.extend_from_slice(&(LINKTYPE_ETHERNET as u16).to_ne_bytes());
        body.extend_from_slice(&0u16.to_ne_bytes());
        body.extend_from_slice(&(SNAPLEN as u32).to_ne_bytes());
        option(&mut body, IF_NAME, name.as_bytes());
        // 10^-9 s.
        option(&mut body, IF_TSRESOL, &[9]);
        option(&mut body, OPT_END, &[]);
        self.block(IDB, &body)?;
        self.interfaces += 1;
        Ok(self.interfaces - 1)
    }

    /// Appends a frame seen on interface `id`, with its direction.
    pub fn write(&mut self, id: u32, frame: &Frame) -> io::Result<()> {
        let ns = frame
            .time
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos() as u64;
        let mut body = Vec::with_capacity(32 + frame.data.len());
        body.extend_from_slice(&id.to_ne_bytes());
        body.extend_from_slice(&((ns >> 32) as u32).to_ne_bytes());
        body.extend_from_slice(&(ns as u32).to_ne_bytes());
        body.extend_from_slice(&(frame.data.len() as u32).to_ne_bytes());
        body.extend_from_slice(&(frame.len as u32).to_ne_bytes());
        body.extend_from_slice(&frame.data);
        body.resize(body.len().next_multiple_of(4), 0);
        // Direction bits: 1 inbound, 2 outbound.
        let flags: u32 = if frame.outgoing { 2 } else { 1 };
        option(&mut body, EPB_FLAGS, &flags.to_ne_bytes());
        option(&mut body, OPT_END, &[]);
        self.block(EPB, &body)
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
    use std::time::Duration;

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_ne_bytes(b[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn blocks_are_framed_and_padded() {
        let mut w = PcapngWriter::new(Vec::new()).unwrap();
        assert_eq!(w.interface("root/veth0").unwrap(), 0);
        assert_eq!(w.interface("h1/e1").unwrap(), 1);
        let frame = Frame {
            time: UNIX_EPOCH + Duration::new(1, 5),
            data: vec![7; 5],
            len: 60,
            outgoing: true,
        };
        w.write(1, &frame).unwrap();
        let b = w.finish().unwrap();
        // Walk the blocks: each starts and ends with its length.
        let mut at = 0;
        let mut kinds = Vec::new();
        while at < b.len() {
            let (kind, len) = (u32_at(&b, at), u32_at(&b, at + 4) as usize);
            assert_eq!(len % 4, 0);
            assert_eq!(u32_at(&b, at + len - 4) as usize, len);
            kinds.push(kind);
            if kind == EPB {
                assert_eq!(u32_at(&b, at + 8), 1);
                let ns = (u64::from(u32_at(&b, at + 12)) << 32) | u64::from(u32_at(&b, at + 16));
                assert_eq!(ns, 1_000_000_005);
                assert_eq!(u32_at(&b, at + 20), 5);
                assert_eq!(u32_at(&b, at + 24), 60);
            }
            at += len;
        }
        assert_eq!(kinds, [SHB, IDB, IDB, EPB]);
        assert!(b.windows(10).any(|w| w == b"root/veth0"));
    }
}
