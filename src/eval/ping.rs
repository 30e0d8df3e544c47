//! `ping`: ICMP echo with iputils' flags, reply lines and summary; and `ping { }` blocks that
//! check a reachability matrix, one thread a line.

use super::error::{Result, RunError};
use super::netns::fail;
use super::Evaluator;
use crate::net::icmp::{Answer, EchoSocket, Quiet, Via};
use crate::net::interrupt::{interrupted, InterruptGuard};
use crate::net::{netns, NetError, Ns};
use crate::syntax::ast::{PingLine, PingOpt, Word};
use crate::syntax::Span;
use nix::errno::Errno;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::net::IpAddr;
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

/// iputils' wait for late replies when none came at all and no -W was given (MAXWAIT).
const LINGER: Duration = Duration::from_secs(10);
/// The largest ICMP payload that fits an IPv4 packet.
const MAX_SIZE: usize = 65507;
/// How long a ping block waits for each line by default (its `-W`). Over a second: a link
/// just brought up drops packets until the kernel's link watch activates it (up to a
/// second), and the neighbour then retries ARP after a second.
const BLOCK_WAIT: Duration = Duration::from_secs(2);
/// How often a ping block line repeats its echo while it waits.
const BLOCK_RETRY: Duration = Duration::from_millis(200);

/// The options of one `ping`, with iputils' defaults.
struct PingOptions {
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
        let addr = parse_addr(&dest_text, dest.span)?;
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
        let ns = self.ns.clone();
        let dev = o.dev.clone();
        let via = match (&dev, o.source) {
            (Some(d), _) => Some(Via::Dev(d)),
            (None, Some((a, _))) => Some(Via::Source(a)),
            (None, None) => None,
        };
        let (sock, source) = self
            .net
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
            .map_err(fail(format!("cannot ping {addr}"), span))?;

        let mut out = String::new();
        // iputils: `from ADDR DEV: `, and `from ADDR : ` when -I named the address.
        let from = match (&source, &o.dev) {
            (Some(src), Some(dev)) => format!("from {src} {dev}: "),
            (Some(src), None) => format!("from {src} : "),
            _ => String::new(),
        };
        match addr {
            IpAddr::V4(_) => {
                let _ = writeln!(
                    out,
                    "PING {addr} ({addr}) {from}{}({}) bytes of data.",
                    o.size,
                    o.size + 28
                );
            }
            IpAddr::V6(_) => {
                let _ = writeln!(out, "PING {addr}({addr}) {from}{} data bytes", o.size);
            }
        }
        print!("{out}");
        let _ = std::io::stdout().flush();

        let guard = InterruptGuard::install().map_err(fail("cannot handle Ctrl-C", span))?;
        let tally = run_ping(&sock, &o).map_err(fail(format!("ping {addr}"), span));
        drop(guard);
        // Ctrl-C ends the ping, as with iputils, and the script goes on; SIGTERM stays
        // pending and stops the run.
        if crate::net::interrupt::pending() == Some(libc::SIGINT) {
            crate::net::interrupt::clear();
        }
        let tally = tally.map_err(|e| self.unreachable_hint(e, addr))?;
        super::capture::catch_up();
        print!("{}", summary(&dest_text, &tally));
        let _ = std::io::stdout().flush();
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

    fn ping_options(&self, opts: &[PingOpt]) -> Result<PingOptions> {
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
                o.quiet = true;
                continue;
            };
            match opt.flag.as_str() {
                "-c" => o.count = Some(self.positive(w, "a packet count (1 or more)")?),
                "-i" => o.interval = self.seconds(w)?,
                "-W" => o.timeout = Some(self.seconds(w)?),
                "-w" => o.deadline = Some(self.seconds(w)?),
                "-s" => {
                    let size: usize = self.number(w, "a payload size in bytes")?;
                    if size > MAX_SIZE {
                        return Err(RunError::BadValue {
                            text: size.to_string(),
                            expected: "a payload size of at most 65507 bytes",
                            span: w.span,
                        });
                    }
                    o.size = size;
                }
                // As iputils: an address is a source to send from, anything else a device.
                _ => match self.word(w)?.parse::<IpAddr>() {
                    Ok(addr) => o.source = Some((addr, w.span)),
                    Err(_) => o.dev = Some(self.ifname(w)?),
                },
            }
        }
        Ok(o)
    }

    fn positive(&self, w: &Word, expected: &'static str) -> Result<u64> {
        let n: u64 = self.number(w, expected)?;
        if n == 0 {
            return Err(RunError::BadValue {
                text: n.to_string(),
                expected,
                span: w.span,
            });
        }
        Ok(n)
    }

    /// Seconds as iputils takes them: `1`, `0.2`, `0`.
    fn seconds(&self, w: &Word) -> Result<Duration> {
        let text = self.word(w)?;
        text.parse::<f64>()
            .ok()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .ok_or(RunError::BadValue {
                text,
                expected: "a number of seconds (e.g. 1 or 0.2)",
                span: w.span,
            })
    }

    /// `ping [-W SECS] { SRC -> DEST; SRC !-> DEST }`: every line checked at once, one report
    /// line each, in order; fails if any line does not hold.
    pub(super) fn ping_block(
        &mut self,
        opts: &[PingOpt],
        lines: &[PingLine],
        span: Span,
    ) -> Result<()> {
        let mut wait = BLOCK_WAIT;
        for opt in opts {
            match (&opt.value, opt.flag.as_str()) {
                (Some(w), "-W") => wait = self.seconds(w)?,
                _ => {
                    return Err(RunError::Usage {
                        what: format!("`{}` is not an option of a ping block", opt.flag),
                        span: opt.span,
                        help: Some("a ping block takes `-W SECS`: how long each line waits".into()),
                    })
                }
            }
        }
        // Resolved on this thread: names, addresses and namespace handles.
        let mut probes: Vec<(String, IpAddr, Option<OwnedFd>)> = Vec::new();
        for line in lines {
            let src = self.ns_ref(&line.src, false)?;
            let dest = parse_addr(&self.word(&line.dest)?, line.dest.span)?;
            let fd = match &src {
                Ns::Root => None,
                named => Some(self.ns_fd(named, line.src.span)?),
            };
            probes.push((src.to_string(), dest, fd));
        }
        let results: Vec<std::result::Result<Reach, NetError>> = std::thread::scope(|s| {
            let handles: Vec<_> = probes
                .iter()
                .map(|(_, dest, fd)| s.spawn(move || probe(fd.as_ref(), *dest, wait)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|p| Err(NetError::panicked("a ping block thread", p)))
                })
                .collect()
        });
        // Ctrl-C stops every line within BLOCK_RETRY: a block cut short proves nothing, so
        // the run stops, as at any statement.
        if let Some(signal) = crate::net::interrupt::pending() {
            return Err(RunError::Interrupted { signal, span });
        }
        let mut failed = Vec::new();
        for ((line, (src, dest, _)), result) in lines.iter().zip(&probes).zip(results) {
            let arrow = if line.reachable { "->" } else { "!->" };
            let (holds, how) = match result {
                Ok(Reach::Reply(rtt)) => (line.reachable, format!("reply in {}", rtt_text(rtt))),
                Ok(Reach::Unreachable(errno)) => (!line.reachable, errno.desc().to_lowercase()),
                Ok(Reach::Silent) => (
                    !line.reachable,
                    format!("no reply in {}s", fmt_g(wait.as_secs_f64())),
                ),
                Err(e) => (false, format!("error: {e}")),
            };
            let verdict = if holds { "ok" } else { "FAILED" };
            println!("{src} {arrow} {dest}: {verdict}, {how}");
            if !holds {
                failed.push(miette::LabeledSpan::new_with_span(
                    Some(format!("does not hold: {how}")),
                    line.span,
                ));
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(RunError::PingBlock {
                failed: failed.len(),
                total: lines.len(),
                lines: failed,
            })
        }
    }
}

/// How one line of a ping block ended.
enum Reach {
    /// A reply came, after this long.
    Reply(Duration),
    /// No reply within the wait.
    Silent,
    /// The kernel refused to send: no route, network down.
    Unreachable(Errno),
}

/// One line of a ping block, on its own thread: an echo every BLOCK_RETRY until a reply or
/// `wait` passes. The socket is opened inside the line's namespace.
fn probe(ns: Option<&OwnedFd>, dest: IpAddr, wait: Duration) -> crate::net::Result<Reach> {
    let sock = match ns {
        Some(fd) => netns::run_in(fd.as_fd(), || EchoSocket::open(dest, None))??,
        None => EchoSocket::open(dest, None)?,
    };
    let start = Instant::now();
    let end = start + wait;
    let payload = pattern(56);
    let mut sent_at = Vec::new();
    while Instant::now() < end && !interrupted() {
        let seq = sent_at.len() as u16 + 1;
        sent_at.push(Instant::now());
        if let Err(e) = sock.send(seq, &payload) {
            return match e.errno() {
                Some(errno @ (Errno::ENETUNREACH | Errno::EHOSTUNREACH | Errno::ENETDOWN)) => {
                    Ok(Reach::Unreachable(errno))
                }
                _ => Err(e),
            };
        }
        let until = (Instant::now() + BLOCK_RETRY).min(end);
        while Instant::now() < until && !interrupted() {
            if let Ok(Answer::Reply { seq, .. }) =
                sock.recv(until.saturating_duration_since(Instant::now()))?
            {
                if let Some(t) = sent_at.get(usize::from(seq).wrapping_sub(1)) {
                    return Ok(Reach::Reply(t.elapsed()));
                }
            }
        }
    }
    Ok(Reach::Silent)
}

fn parse_addr(text: &str, span: Span) -> Result<IpAddr> {
    text.parse().map_err(|_| RunError::Usage {
        what: format!("\"{text}\" is not an IPv4 or IPv6 address"),
        span,
        help: Some("ping takes an address such as 10.1.1.2 or 2001:db8::2".into()),
    })
}

/// iputils' payload: a fill pattern (the bytes 0x00, 0x01, ...).
fn pattern(size: usize) -> Vec<u8> {
    (0..size).map(|i| i as u8).collect()
}

/// The echo loop: iputils' scheduling, reply lines and counters.
fn run_ping(sock: &EchoSocket, o: &PingOptions) -> crate::net::Result<Tally> {
    let payload = pattern(o.size);
    let mut t = Tally::default();
    let mut sent_at: Vec<Instant> = Vec::new();
    let mut seen = HashSet::new();
    let start = Instant::now();
    let deadline = o.deadline.map(|d| start + d);
    let mut next_send = start;
    let mut exit_at: Option<Instant> = None;
    let mut stdout = std::io::stdout();
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
                    record(&mut t, &mut seen, &sent_at, answer, o, &mut stdout);
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
            Ok(answer) => record(&mut t, &mut seen, &sent_at, answer, o, &mut stdout),
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
    out: &mut std::io::Stdout,
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
                let _ = writeln!(
                    out,
                    "{bytes} bytes from {from}: icmp_seq={seq}{ttl} time={}{dup}",
                    rtt_text(rtt)
                );
            }
        }
        Answer::Error { seq, from, text } => {
            t.errors += 1;
            if !o.quiet {
                let _ = writeln!(out, "From {from} icmp_seq={seq} {text}");
            }
        }
    }
}

/// A round-trip time as iputils prints it: fewer decimals as it grows.
fn rtt_text(rtt: Duration) -> String {
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
fn fmt_g(x: f64) -> String {
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
