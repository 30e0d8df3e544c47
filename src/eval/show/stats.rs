//! `ip -s link`: the counters as iproute2 6.1's `print_stats64` prints them, in columns
//! as wide as their widest number; `-s -s` adds the error counters.

use super::printer::Printer;
use crate::net::link_detail::Counters;

/// The digits of `v`.
fn digits(mut v: u64) -> usize {
    let mut n = 1;
    while v > 9 {
        v /= 10;
        n += 1;
    }
    n
}

/// `size_columns`: each column as wide as its title or its widest number.
fn widen(cols: &mut [usize; 7], values: [u64; 7]) {
    for (c, v) in cols.iter_mut().zip(values) {
        *c = (*c).max(digits(v));
    }
}

fn nums(p: &mut Printer, cols: &[usize], values: &[u64]) {
    let mut text = String::new();
    for (w, v) in cols.iter().zip(values) {
        text.push_str(&format!("{v:>w$} "));
    }
    p.fp(&text);
}

/// The counters after the record's last line break: JSON's `stats64` object, or four lines
/// (eight with `level` 2).
pub(super) fn stats(p: &mut Printer, s: &Counters, carrier_changes: Option<u32>, level: u8) {
    if p.is_json() {
        p.open_obj(Some("stats64"));
        json_rx(p, s, level);
        json_tx(p, s, carrier_changes, level);
        p.close_obj();
        return;
    }
    let rows = Rows::new(s, carrier_changes);
    let c = rows.columns(level);
    rx_lines(p, s, &rows, &c, level);
    p.nl();
    tx_lines(p, s, &rows, &c, carrier_changes, level);
}

/// JSON's `rx` object; `level` 2 adds the error counters.
fn json_rx(p: &mut Printer, s: &Counters, level: u8) {
    p.open_obj(Some("rx"));
    p.jnum("bytes", s.rx_bytes);
    p.jnum("packets", s.rx_packets);
    p.jnum("errors", s.rx_errors);
    p.jnum("dropped", s.rx_dropped);
    p.jnum("over_errors", s.rx_over_errors);
    p.jnum("multicast", s.multicast);
    if s.rx_compressed != 0 {
        p.jnum("compressed", s.rx_compressed);
    }
    if level > 1 {
        p.jnum("length_errors", s.rx_length_errors);
        p.jnum("crc_errors", s.rx_crc_errors);
        p.jnum("frame_errors", s.rx_frame_errors);
        p.jnum("fifo_errors", s.rx_fifo_errors);
        p.jnum("missed_errors", s.rx_missed_errors);
        if s.rx_nohandler != 0 {
            p.jnum("nohandler", s.rx_nohandler);
        }
    }
    p.close_obj();
}

/// JSON's `tx` object; `level` 2 adds the error counters.
fn json_tx(p: &mut Printer, s: &Counters, carrier_changes: Option<u32>, level: u8) {
    p.open_obj(Some("tx"));
    p.jnum("bytes", s.tx_bytes);
    p.jnum("packets", s.tx_packets);
    p.jnum("errors", s.tx_errors);
    p.jnum("dropped", s.tx_dropped);
    p.jnum("carrier_errors", s.tx_carrier_errors);
    p.jnum("collisions", s.collisions);
    if s.tx_compressed != 0 {
        p.jnum("compressed", s.tx_compressed);
    }
    if level > 1 {
        p.jnum("aborted_errors", s.tx_aborted_errors);
        p.jnum("fifo_errors", s.tx_fifo_errors);
        p.jnum("window_errors", s.tx_window_errors);
        p.jnum("heartbeat_errors", s.tx_heartbeat_errors);
        if let Some(n) = carrier_changes {
            p.jnum("carrier_changes", n);
        }
    }
    p.close_obj();
}

/// The four rows of numbers of the text form, in column order.
struct Rows {
    rx: [u64; 7],
    rx_err: [u64; 7],
    tx: [u64; 7],
    tx_err: [u64; 7],
}

impl Rows {
    fn new(s: &Counters, carrier_changes: Option<u32>) -> Rows {
        Rows {
            rx: [
                s.rx_bytes,
                s.rx_packets,
                s.rx_errors,
                s.rx_dropped,
                s.rx_missed_errors,
                s.multicast,
                s.rx_compressed,
            ],
            rx_err: [
                0,
                s.rx_length_errors,
                s.rx_crc_errors,
                s.rx_frame_errors,
                s.rx_fifo_errors,
                s.rx_over_errors,
                s.rx_nohandler,
            ],
            tx: [
                s.tx_bytes,
                s.tx_packets,
                s.tx_errors,
                s.tx_dropped,
                s.tx_carrier_errors,
                s.collisions,
                s.tx_compressed,
            ],
            tx_err: [
                0,
                s.tx_aborted_errors,
                s.tx_fifo_errors,
                s.tx_window_errors,
                s.tx_heartbeat_errors,
                u64::from(carrier_changes.unwrap_or(0)),
                0,
            ],
        }
    }

    /// The column widths: the error rows count only when they are printed.
    fn columns(&self, level: u8) -> [usize; 7] {
        // "*X errors:", "packets", "errors", "dropped", "heartbt", "overrun", "compressed".
        let mut cols = [10, 7, 6, 7, 7, 7, 10];
        widen(&mut cols, self.rx);
        if level > 1 {
            widen(&mut cols, self.rx_err);
        }
        widen(&mut cols, self.tx);
        if level > 1 {
            widen(&mut cols, self.tx_err);
        }
        cols
    }
}

/// The "RX:" title and numbers, and with `level` 2 the "RX errors:" ones.
fn rx_lines(p: &mut Printer, s: &Counters, rows: &Rows, c: &[usize; 7], level: u8) {
    p.fp(&format!(
        "    RX: {:>a$} {:>b$} {:>cc$} {:>d$} {:>e$} {:>f$} {:>g$}",
        "bytes",
        "packets",
        "errors",
        "dropped",
        "missed",
        "mcast",
        if s.rx_compressed != 0 {
            "compressed"
        } else {
            ""
        },
        a = c[0] - 4,
        b = c[1],
        cc = c[2],
        d = c[3],
        e = c[4],
        f = c[5],
        g = c[6],
    ));
    p.nl();
    p.fp("    ");
    let rx_n = if s.rx_compressed != 0 { 7 } else { 6 };
    nums(p, &c[..rx_n], &rows.rx[..rx_n]);
    if level > 1 {
        p.nl();
        let mut head = format!(
            "    RX errors: {:>a$} {:>b$} {:>cc$} {:>d$} {:>e$}",
            "length",
            "crc",
            "frame",
            "fifo",
            "overrun",
            a = c[1],
            b = c[2],
            cc = c[3],
            d = c[4],
            e = c[5],
        );
        if s.rx_nohandler != 0 {
            head.push_str(&format!(" {:>w$}", "nohandler", w = c[6]));
        }
        p.fp(&head);
        p.nl();
        p.fp(&" ".repeat(c[0] + 5));
        let n = if s.rx_nohandler != 0 { 7 } else { 6 };
        nums(p, &c[1..n], &rows.rx_err[1..n]);
    }
}

/// The "TX:" title and numbers, and with `level` 2 the "TX errors:" ones.
fn tx_lines(
    p: &mut Printer,
    s: &Counters,
    rows: &Rows,
    c: &[usize; 7],
    carrier_changes: Option<u32>,
    level: u8,
) {
    p.fp(&format!(
        "    TX: {:>a$} {:>b$} {:>cc$} {:>d$} {:>e$} {:>f$} {:>g$}",
        "bytes",
        "packets",
        "errors",
        "dropped",
        "carrier",
        "collsns",
        if s.tx_compressed != 0 {
            "compressed"
        } else {
            ""
        },
        a = c[0] - 4,
        b = c[1],
        cc = c[2],
        d = c[3],
        e = c[4],
        f = c[5],
        g = c[6],
    ));
    p.nl();
    p.fp("    ");
    let tx_n = if s.tx_compressed != 0 { 7 } else { 6 };
    nums(p, &c[..tx_n], &rows.tx[..tx_n]);
    if level > 1 {
        p.nl();
        let mut head = format!(
            "    TX errors: {:>a$} {:>b$} {:>cc$} {:>d$}",
            "aborted",
            "fifo",
            "window",
            "heartbt",
            a = c[1],
            b = c[2],
            cc = c[3],
            d = c[4],
        );
        if carrier_changes.is_some() {
            head.push_str(&format!(" {:>w$}", "transns", w = c[5]));
        }
        p.fp(&head);
        p.nl();
        p.fp(&" ".repeat(c[0] + 5));
        let n = if carrier_changes.is_some() { 6 } else { 5 };
        nums(p, &c[1..n], &rows.tx_err[1..n]);
    }
}
