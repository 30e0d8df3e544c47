//! Many echo probes at once, for reachability checks: one socket per source namespace and
//! family on one thread, replies matched to probes by sequence number and sender, first echoes
//! paced so that neighbour resolution (a broadcast to every port of a bridge) does not
//! overflow the kernel's queues, and lost echoes repeated while a probe waits.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::os::fd::BorrowedFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

use super::error::NetError;
use super::icmp::{Answer, EchoPort, RECV_BUF};
use super::interrupt::interrupted;
use super::netns;

/// One echo probe: from a source (an index into the sources given to [`reach_all`]) to an
/// address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Probe {
    /// Which source namespace sends it.
    pub source: usize,
    /// Where to.
    pub dest: IpAddr,
}

/// How a probe ended.
#[derive(Clone, Debug)]
pub enum Reach {
    /// A reply came from the destination, this long after the echo it answers.
    Reply(Duration),
    /// No reply within the wait.
    Silent,
    /// The kernel refused to send: no route, network down.
    Unreachable(Errno),
    /// An ICMP error came back about the probe (`Destination Host Unreachable`, ...).
    Icmp {
        /// Who sent the error.
        from: IpAddr,
        /// iputils' text for it.
        text: &'static str,
    },
    /// The probe could not be made (no socket in its namespace, a send the kernel refused).
    Failed(Arc<NetError>),
}

/// How probes are paced and how long each waits.
#[derive(Clone, Copy, Debug)]
pub struct Pacing {
    /// How long a probe waits for a reply, from its first echo.
    pub wait: Duration,
    /// How often an unanswered probe repeats its echo.
    pub retry: Duration,
    /// First echoes in flight at most. Each may make its source resolve the destination's
    /// link address, which floods every port of a bridge: a few at a time keep the kernel's
    /// backlog (`net.core.netdev_max_backlog`, 1000) from overflowing.
    pub window: usize,
    /// A first echo unanswered for this long no longer holds a place in the window (its
    /// destination is silent, or the echo was lost and will be repeated).
    pub fresh: Duration,
}

impl Pacing {
    /// The defaults of a ping block, with its wait.
    pub fn with_wait(wait: Duration) -> Self {
        Pacing {
            wait,
            retry: Duration::from_millis(200),
            window: 16,
            fresh: Duration::from_millis(20),
        }
    }
}

/// Where one probe stands.
struct State {
    first: Option<Instant>,
    last: Instant,
    /// Whether an echo went out at all.
    sent: bool,
    /// Why the last send did not go out, when it is worth repeating.
    held_back: Option<Errno>,
    done: Option<Reach>,
}

/// Runs every probe; `sources[i]` is the namespace of source `i` (`None`: the calling
/// thread's). Returns each probe's end, in order; `None` for those a signal left undecided.
pub fn reach_all(
    sources: &[Option<BorrowedFd>],
    probes: &[Probe],
    pacing: Pacing,
) -> Vec<Option<Reach>> {
    let mut run = Run::open(sources, probes);
    run.go(pacing);
    run.states.into_iter().map(|s| s.done).collect()
}

struct Run<'a> {
    probes: &'a [Probe],
    /// One socket per source and family, or why it could not be opened.
    ports: Vec<Result<EchoPort, Arc<NetError>>>,
    /// The port of each probe.
    port_of: Vec<usize>,
    /// The next sequence number of each port.
    next_seq: Vec<u16>,
    /// (port, sequence number) to the probe that sent it and when.
    sent: HashMap<(usize, u16), (usize, Instant)>,
    states: Vec<State>,
    payload: Vec<u8>,
}

impl<'a> Run<'a> {
    fn open(sources: &[Option<BorrowedFd>], probes: &'a [Probe]) -> Self {
        let mut index: HashMap<(usize, bool), usize> = HashMap::new();
        let mut ports = Vec::new();
        let mut port_of = Vec::with_capacity(probes.len());
        for p in probes {
            let key = (p.source, p.dest.is_ipv6());
            let port = *index.entry(key).or_insert_with(|| {
                let v6 = key.1;
                let opened = match sources.get(p.source).copied().flatten() {
                    Some(fd) => netns::run_in(fd, || EchoPort::open(v6, None)).and_then(|r| r),
                    None => EchoPort::open(v6, None),
                };
                ports.push(opened.map_err(Arc::new));
                ports.len() - 1
            });
            port_of.push(port);
        }
        let now = Instant::now();
        Run {
            probes,
            next_seq: vec![1; ports.len()],
            ports,
            port_of,
            sent: HashMap::new(),
            states: probes
                .iter()
                .map(|_| State {
                    first: None,
                    last: now,
                    sent: false,
                    held_back: None,
                    done: None,
                })
                .collect(),
            // iputils' 56 bytes of fill pattern.
            payload: (0..56u8).collect(),
        }
    }

    fn go(&mut self, pacing: Pacing) {
        let mut next = 0;
        let mut active: Vec<usize> = Vec::new();
        let mut fresh: VecDeque<(Instant, usize)> = VecDeque::new();
        let mut buf = vec![0u8; RECV_BUF];
        loop {
            if interrupted() {
                return;
            }
            let now = Instant::now();
            // Waits that ended, and echoes to repeat.
            active.retain(|&p| {
                let st = &self.states[p];
                if st.done.is_some() {
                    return false;
                }
                let first = st.first.unwrap_or(now);
                if now >= first + pacing.wait {
                    // Never sent: say why, rather than that nobody answered.
                    let end = match (st.sent, st.held_back) {
                        (false, Some(errno)) => Reach::Unreachable(errno),
                        _ => Reach::Silent,
                    };
                    self.states[p].done = Some(end);
                    return false;
                }
                if now >= st.last + pacing.retry {
                    self.send(p, now);
                }
                self.states[p].done.is_none()
            });
            fresh.retain(|&(t, p)| self.states[p].done.is_none() && now < t + pacing.fresh);
            while fresh.len() < pacing.window && next < self.probes.len() {
                self.send(next, now);
                if self.states[next].done.is_none() {
                    active.push(next);
                    fresh.push_back((now, next));
                }
                next += 1;
            }
            if next == self.probes.len() && active.is_empty() {
                return;
            }
            // Wait for answers: not at all while the window has room, else until the next
            // repeat, the end of a wait, or a place in the window frees by age.
            let timeout = if fresh.len() < pacing.window && next < self.probes.len() {
                Duration::ZERO
            } else {
                let mut wake = now + Duration::from_millis(50);
                if let Some(&(t, _)) = fresh.front() {
                    wake = wake.min(t + pacing.fresh);
                }
                for &p in &active {
                    let st = &self.states[p];
                    wake = wake.min(st.last + pacing.retry);
                    wake = wake.min(st.first.unwrap_or(now) + pacing.wait);
                }
                wake.saturating_duration_since(now)
            };
            self.receive(timeout, &mut buf);
        }
    }

    /// Sends probe `p`'s next echo; a refusal ends the probe.
    fn send(&mut self, p: usize, now: Instant) {
        let probe = self.probes[p];
        let port = self.port_of[p];
        let st = &mut self.states[p];
        st.first.get_or_insert(now);
        st.last = now;
        let sock = match &self.ports[port] {
            Ok(sock) => sock,
            Err(e) => {
                st.done = Some(Reach::Failed(e.clone()));
                return;
            }
        };
        let seq = self.next_seq[port];
        self.next_seq[port] = seq.wrapping_add(1);
        match sock.send(probe.dest, seq, &self.payload, true) {
            Ok(()) => {
                st.sent = true;
                self.sent.insert((port, seq), (p, now));
            }
            Err(e) => match e.errno() {
                Some(errno @ (Errno::ENETUNREACH | Errno::EHOSTUNREACH | Errno::ENETDOWN)) => {
                    st.done = Some(Reach::Unreachable(errno));
                }
                // A full send buffer (echoes queued behind neighbour resolution), or a source
                // address still tentative on a link that just came up: repeat later.
                Some(errno @ (Errno::EAGAIN | Errno::ENOBUFS | Errno::EADDRNOTAVAIL)) => {
                    st.held_back = Some(errno);
                }
                _ => st.done = Some(Reach::Failed(Arc::new(e))),
            },
        }
    }

    /// Waits up to `timeout` for any socket to be readable, then reads every socket dry.
    fn receive(&mut self, timeout: Duration, buf: &mut [u8]) {
        let ms = timeout.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32;
        let open: Vec<(usize, &EchoPort)> = self
            .ports
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.as_ref().ok().map(|p| (i, p)))
            .collect();
        let mut fds: Vec<PollFd> = open
            .iter()
            .map(|(_, p)| PollFd::new(p.fd(), PollFlags::POLLIN))
            .collect();
        match poll(
            &mut fds,
            PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX),
        ) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let ready: Vec<usize> = open
            .iter()
            .zip(&fds)
            .filter(|(_, fd)| fd.revents().is_some_and(|r| !r.is_empty()))
            .map(|((i, _), _)| *i)
            .collect();
        for port in ready {
            let Ok(sock) = &self.ports[port] else {
                continue;
            };
            // A read error on a socket ends nothing: its probes wait out their time.
            while let Ok(Some(answer)) = sock.try_recv(buf) {
                let Some(answer) = answer else { continue };
                let (seq, reach, about) = match answer {
                    Answer::Reply { seq, from, .. } => (seq, None, from),
                    Answer::Error {
                        seq,
                        to,
                        from,
                        text,
                    } => (seq, Some(Reach::Icmp { from, text }), to),
                };
                let Some(&(p, at)) = self.sent.get(&(port, seq)) else {
                    continue;
                };
                // The sequence number says which probe; the address confirms it, so a check
                // never holds on the reply to another probe.
                let st = &mut self.states[p];
                if self.probes[p].dest != about || st.done.is_some() {
                    continue;
                }
                st.done = Some(reach.unwrap_or_else(|| Reach::Reply(at.elapsed())));
            }
        }
    }
}
