//! `ping`: ICMP echo with iputils' flags, reply lines and summary. (`ping { }` blocks are
//! reach.rs.)

use super::error::{Result, RunError};
use super::netns::fail;
use super::{Evaluator, Out};
use crate::net::icmp::{Answer, EchoSocket, Quiet, Via};
use crate::net::interrupt::{interrupted, InterruptGuard};
use crate::syntax::ast::{PingFlag, PingOpt, Word};
use crate::syntax::Span;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// iputils' wait for late replies when none came at all and no -W was given (MAXWAIT).
const LINGER: Duration = Duration::from_secs(10);
/// The largest ICMP payload that fits an IPv4 packet.
const MAX_SIZE: usize = 65507;

/// The options of one `ping`, with iputils' defaults.
pub(super) struct PingOptions {
    count: Option<u64>,
    interval: Duration,
    /// -W: how long to wait for replies after the last echo.
    timeout: Option<Duration>,
    /// -w: stop after this long, whatever the count.
    deadline: Option<Duration>,
    size: usize,
    /// -I DEV: a device to send through.
    dev: Option<String>,
    /// -I ADDR: a source address, and where it was written.
    source: Option<(IpAddr, Span)>,
    quiet: bool,
}

/// What one ping run counted.
#[derive(Default)]
struct Tally {
    transmitted: u64,
    received: u64,
    duplicates: u64,
    errors: u64,
    /// Round-trip times in microseconds, as iputils keeps them.
    rtts: Vec<u64>,
    /// From the first echo to the last one sent.
    elapsed: Duration,
}

impl Evaluator {
    /// `ping [OPTIONS] DEST` in the current namespace.
    pub(super) fn ping(&mut self, opts: &[PingOpt], dest: &Word, span: Span) -> Result<()> {
        let o = self.ping_options(opts)?;
        let dest_text = self.word(dest)?;
        let addr = *super::resolve::ping_dest(self, dest)?.get()?;
        if let Some((source, at)) = o.source {
            if source.is_ipv4() != addr.is_ipv4() {
                return Err(RunError::MixedFamily {
                    what: "the source address",
                    version: if addr.is_ipv4() { 4 } else { 6 },
                    rest: "the destination",
                    span: at,
                });
            }
        }
        let (sock, source) = self.echo_socket(addr, &o, span)?;
        self.out.print(&header(addr, source, &o));
        self.out.flush();

        let guard = InterruptGuard::install().map_err(fail("cannot handle Ctrl-C", span))?;
        let tally = run_ping(&sock, &o, &self.out).map_err(fail(format!("ping {addr}"), span));
        drop(guard);
        // Ctrl-C ends the ping, as with iputils, and the script goes on; SIGTERM stays
        // pending and stops the run.
        if crate::net::interrupt::pending() == Some(libc::SIGINT) {
            crate::net::interrupt::clear();
        }
        let tally = tally.map_err(|e| self.unreachable_hint(e, addr))?;
        super::capture::catch_up();
        self.out.print(&summary(&dest_text, &tally));
        self.out.flush();
        if let Some(signal) = crate::net::interrupt::pending() {
            return Err(RunError::Interrupted { signal, span });
        }
        let short = o.deadline.is_some() && o.count.is_some_and(|c| tally.received < c);
        if tally.received == 0 || short {
            return Err(RunError::NoReply {
                dest: dest_text,
                transmitted: tally.transmitted,
                received: tally.received,
                span,
            });
        }
        Ok(())
    }

    /// The echo socket, opened in the current namespace and bound as `-I` says, and the
    /// source address it sends from when `-I` gave one.
    fn echo_socket(
        &mut self,
        addr: IpAddr,
        o: &PingOptions,
        span: Span,
    ) -> Result<(EchoSocket, Option<IpAddr>)> {
        let ns = self.ns.clone();
        let via = match (&o.dev, o.source) {
            (Some(d), _) => Some(Via::Dev(d)),
            (None, Some((a, _))) => Some(Via::Source(a)),
            (None, None) => None,
        };
        self.net
            .enter(&ns, || -> crate::net::Result<_> {
                let sock = EchoSocket::open(addr, via)?;
                let source = match via {
                    Some(Via::Dev(d)) => Some(EchoSocket::source_for(addr, d)?),
                    Some(Via::Source(a)) => Some(a),
                    None => None,
                };
                Ok((sock, source))
            })
            .and_then(|r| r)
            .map_err(fail(format!("cannot ping {addr}"), span))
    }

    fn ping_options(&self, opts: &[PingOpt]) -> Result<PingOptions> {
        resolve_options(opts, self)
    }
}

/// Ping's options from their words, iputils' defaults for the rest: the one resolver the
/// evaluator runs and `--check` runs on what it can know before the run. A word `x` cannot know
/// yet (a variable, for `--check`) leaves its option at the default.
pub(super) fn resolve_options(
    opts: &[PingOpt],
    x: &dyn super::resolve::Expand,
) -> Result<PingOptions> {
    let mut o = PingOptions {
        count: None,
        interval: Duration::from_secs(1),
        timeout: None,
        deadline: None,
        size: 56,
        dev: None,
        source: None,
        quiet: false,
    };
    for opt in opts {
        let Some(w) = &opt.value else {
            // `-v` is a ping block's; the grammar gives it to no plain ping.
            o.quiet |= opt.flag == PingFlag::Quiet;
            continue;
        };
        let Some(value) = x.text(w)? else { continue };
        let number = |expected: &'static str| {
            value.parse::<u64>().map_err(|_| RunError::BadValue {
                text: value.clone(),
                expected,
                span: w.span,
            })
        };
        match opt.flag {
            PingFlag::Count => {
                const EXPECTED: &str = "a packet count (1 or more)";
                match number(EXPECTED)? {
                    0 => {
                        return Err(RunError::BadValue {
                            text: value,
                            expected: EXPECTED,
                            span: w.span,
                        })
                    }
                    n => o.count = Some(n),
                }
            }
            PingFlag::Interval => o.interval = seconds(value, w.span)?,
            PingFlag::Timeout => o.timeout = Some(seconds(value, w.span)?),
            PingFlag::Deadline => o.deadline = Some(seconds(value, w.span)?),
            PingFlag::Size => {
                let size = number("a payload size in bytes")?;
                o.size = usize::try_from(size)
                    .ok()
                    .filter(|s| *s <= MAX_SIZE)
                    .ok_or(RunError::BadValue {
                        text: size.to_string(),
                        expected: "a payload size of at most 65507 bytes",
                        span: w.span,
                    })?;
            }
            // As iputils: an address is a source to send from, anything else a device.
            PingFlag::Interface => match value.parse::<IpAddr>() {
                Ok(addr) => o.source = Some((addr, w.span)),
                Err(_) => {
                    super::resolve::parse_ifname(&value, w.span)?;
                    o.dev = Some(value);
                }
            },
            // Flags without a value were taken above.
            PingFlag::Quiet | PingFlag::Verbose => {}
        }
    }
    Ok(o)
}

/// Seconds as iputils takes them: `1`, `0.2`, `0`.
pub(super) fn seconds(text: String, span: Span) -> Result<Duration> {
    text.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or(RunError::BadValue {
            text,
            expected: "a number of seconds (e.g. 1 or 0.2)",
            span,
        })
}

pub(super) fn parse_addr(text: &str, span: Span) -> Result<IpAddr> {
    text.parse().map_err(|_| RunError::Usage {
        what: format!("\"{text}\" is not an IPv4 or IPv6 address"),
        span,
        help: Some("ping takes an address such as 10.1.1.2 or 2001:db8::2".into()),
    })
}

/// iputils' first line: `PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.`, with `from ADDR
/// DEV: ` after -I DEV, and `from ADDR : ` after -I ADDR.
fn header(addr: IpAddr, source: Option<IpAddr>, o: &PingOptions) -> String {
    let from = match (&source, &o.dev) {
        (Some(src), Some(dev)) => format!("from {src} {dev}: "),
        (Some(src), None) => format!("from {src} : "),
        _ => String::new(),
    };
    match addr {
        IpAddr::V4(_) => format!(
            "PING {addr} ({addr}) {from}{}({}) bytes of data.\n",
            o.size,
            o.size + 28
        ),
        IpAddr::V6(_) => format!("PING {addr}({addr}) {from}{} data bytes\n", o.size),
    }
}

/// iputils' payload: a fill pattern (the bytes 0x00, 0x01, ...).
fn pattern(size: usize) -> Vec<u8> {
    (0..size).map(|i| i as u8).collect()
}

/// The echo loop: iputils' scheduling, reply lines and counters.
fn run_ping(sock: &EchoSocket, o: &PingOptions, out: &Out) -> crate::net::Result<Tally> {
    let payload = pattern(o.size);
    let mut t = Tally::default();
    let mut sent_at: Vec<Instant> = Vec::new();
    let mut seen = HashSet::new();
    let start = Instant::now();
    let deadline = o.deadline.map(|d| start + d);
    let mut next_send = start;
    let mut exit_at: Option<Instant> = None;
    loop {
        let now = Instant::now();
        if interrupted() || deadline.is_some_and(|d| now >= d) || exit_at.is_some_and(|e| now >= e)
        {
            break;
        }
        let target = o.count.unwrap_or(u64::MAX);
        // With -w, the count is of replies, and echoes go on until they came.
        let done = if o.deadline.is_some() {
            t.received >= target
        } else {
            t.received + t.errors >= target
        };
        if done {
            break;
        }
        let more = t.transmitted < target || o.deadline.is_some();
        if more && now >= next_send {
            t.transmitted += 1;
            let seq = t.transmitted as u16;
            sent_at.push(Instant::now());
            t.elapsed = now - start;
            sock.send(seq, &payload)?;
            next_send = now + o.interval;
            if !(t.transmitted < target || o.deadline.is_some()) {
                // iputils' __schedule_exit: twice the worst rtt after a reply, else the linger.
                let wait = if t.received > 0 {
                    Duration::from_micros(2 * t.rtts.iter().copied().max().unwrap_or(0))
                        .max(o.interval)
                } else {
                    o.timeout.unwrap_or(LINGER)
                };
                exit_at = Some(Instant::now() + wait);
            }
            if o.interval.is_zero() {
                // Flooding: collect whatever already came back, then send the next one.
                if let Ok(answer) = sock.recv(Duration::ZERO)? {
                    record(&mut t, &mut seen, &sent_at, answer, o, out);
                }
                continue;
            }
        }
        let mut wake = exit_at.unwrap_or(next_send);
        if more {
            wake = wake.min(next_send);
        }
        if let Some(d) = deadline {
            wake = wake.min(d);
        }
        match sock.recv(wake.saturating_duration_since(Instant::now()))? {
            Ok(answer) => record(&mut t, &mut seen, &sent_at, answer, o, out),
            Err(Quiet::Timeout) | Err(Quiet::Interrupted) => {}
        }
    }
    Ok(t)
}

fn record(
    t: &mut Tally,
    seen: &mut HashSet<u16>,
    sent_at: &[Instant],
    answer: Answer,
    o: &PingOptions,
    out: &Out,
) {
    match answer {
        Answer::Reply {
            seq,
            bytes,
            ttl,
            from,
        } => {
            // Sequence numbers wrap at 65536; the latest echo with this number is the one.
            let Some(sent) = sent_at
                .iter()
                .enumerate()
                .rev()
                .find(|(i, _)| (*i + 1) as u16 == seq)
                .map(|(_, t)| *t)
            else {
                return;
            };
            let rtt = sent.elapsed();
            let dup = !seen.insert(seq);
            if dup {
                t.duplicates += 1;
            } else {
                t.received += 1;
                t.rtts.push(rtt.as_micros() as u64);
            }
            if !o.quiet {
                let ttl = ttl.map(|v| format!(" ttl={v}")).unwrap_or_default();
                let dup = if dup { " (DUP!)" } else { "" };
                out.line(&format!(
                    "{bytes} bytes from {from}: icmp_seq={seq}{ttl} time={}{dup}",
                    rtt_text(rtt)
                ));
            }
        }
        Answer::Error {
            seq, from, text, ..
        } => {
            t.errors += 1;
            if !o.quiet {
                out.line(&format!("From {from} icmp_seq={seq} {text}"));
            }
        }
    }
}

/// A round-trip time as iputils prints it: fewer decimals as it grows.
pub(super) fn rtt_text(rtt: Duration) -> String {
    let us = rtt.as_micros() as u64;
    if us >= 100_000 - 50 {
        format!("{} ms", (us + 500) / 1000)
    } else if us >= 10_000 - 5 {
        format!("{}.{:01} ms", (us + 50) / 1000, ((us + 50) % 1000) / 100)
    } else if us >= 1000 {
        format!("{}.{:02} ms", (us + 5) / 1000, ((us + 5) % 1000) / 10)
    } else {
        format!("{}.{:03} ms", us / 1000, us % 1000)
    }
}

/// iputils' closing lines.
fn summary(dest: &str, t: &Tally) -> String {
    let mut s = format!("\n--- {dest} ping statistics ---\n");
    let _ = write!(
        s,
        "{} packets transmitted, {} received",
        t.transmitted, t.received
    );
    if t.duplicates > 0 {
        let _ = write!(s, ", +{} duplicates", t.duplicates);
    }
    if t.errors > 0 {
        let _ = write!(s, ", +{} errors", t.errors);
    }
    if t.transmitted > 0 {
        let loss =
            (t.transmitted - t.received.min(t.transmitted)) as f64 * 100.0 / t.transmitted as f64;
        let _ = write!(s, ", {}% packet loss", fmt_g(loss));
    }
    let _ = writeln!(s, ", time {}ms", t.elapsed.as_millis());
    if !t.rtts.is_empty() {
        let n = t.rtts.len() as u64;
        let sum: u64 = t.rtts.iter().sum();
        let sum2: u128 = t.rtts.iter().map(|&r| u128::from(r) * u128::from(r)).sum();
        let min = t.rtts.iter().copied().min().unwrap_or(0);
        let max = t.rtts.iter().copied().max().unwrap_or(0);
        let avg = sum / n;
        let mean2 = sum2 / u128::from(n);
        let mdev = (mean2.saturating_sub(u128::from(avg) * u128::from(avg)) as f64).sqrt() as u64;
        let ms = |us: u64| format!("{}.{:03}", us / 1000, us % 1000);
        let _ = writeln!(
            s,
            "rtt min/avg/max/mdev = {}/{}/{}/{} ms",
            ms(min),
            ms(avg),
            ms(max),
            ms(mdev)
        );
    }
    s
}

/// printf's `%g`: six significant digits, trailing zeros dropped.
pub(super) fn fmt_g(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = 6 - 1 - x.abs().log10().floor() as i32;
    let text = format!("{:.*}", digits.max(0) as usize, x);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loss_as_printf_g() {
        assert_eq!(fmt_g(100.0), "100");
        assert_eq!(fmt_g(0.0), "0");
        assert_eq!(fmt_g(100.0 / 3.0), "33.3333");
        assert_eq!(fmt_g(50.0), "50");
        assert_eq!(fmt_g(1.0), "1");
    }

    #[test]
    fn rtt_decimals_shrink_as_it_grows() {
        assert_eq!(rtt_text(Duration::from_micros(178)), "0.178 ms");
        assert_eq!(rtt_text(Duration::from_micros(1234)), "1.23 ms");
        assert_eq!(rtt_text(Duration::from_micros(12345)), "12.3 ms");
        assert_eq!(rtt_text(Duration::from_micros(123456)), "123 ms");
    }

    /// iputils' integer microseconds: avg 213/2 = 106, mean square 32909/2 = 16454,
    /// mdev = sqrt(16454 - 106^2) = 72.
    #[test]
    fn summary_shape() {
        let t = Tally {
            transmitted: 3,
            received: 2,
            rtts: vec![35, 178],
            elapsed: Duration::from_millis(2041),
            ..Tally::default()
        };
        assert_eq!(
            summary("10.1.1.2", &t),
            "\n--- 10.1.1.2 ping statistics ---\n\
             3 packets transmitted, 2 received, 33.3333% packet loss, time 2041ms\n\
             rtt min/avg/max/mdev = 0.035/0.106/0.178/0.072 ms\n"
        );
    }
}
