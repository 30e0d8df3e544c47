//! `trace [-w FILE] [DEV...] { BODY }`: capture on every device of every namespace (or the
//! ones named) while BODY runs, then print each packet's path hop by hop.

use super::error::{Result, RunError};
use super::netns::{fail, where_};
use super::resolve::{self, TraceDev, Val};
use super::Evaluator;
use crate::net::packet::Capture;
use crate::net::pcapng::PcapngWriter;
use crate::net::topology::Topology;
use crate::net::{netns, NetError, Ns};
use crate::syntax::ast::{Block, Word};
use crate::syntax::Span;
use crate::trace::{paths, since, Sighting, Traced};
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use std::fs::File;
use std::io::BufWriter;
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

/// At most this many devices are traced at once (one socket and its buffer each).
const MAX_DEVICES: usize = 64;
/// How often the capture thread looks at the stop flag while every device is quiet.
const POLL_MS: u16 = 50;

impl Evaluator {
    pub(super) fn trace(
        &mut self,
        file: Option<&Word>,
        devs: &[Word],
        body: &Block,
        span: Span,
    ) -> Result<()> {
        let req = resolve::trace(self, file, devs)?;
        let (handles, topo) = self.topology(false, span)?;
        let traced = self.traced(&topo, &req.devs)?;
        let writer = match &req.file {
            None => None,
            Some(w) => Some(self.pcapng_file(w)?),
        };
        let label = |t: &Traced| {
            let ns = &topo.namespaces[t.ns];
            format!("{}/{}", ns.name, ns.links[t.dev].name)
        };
        let mut caps = Vec::with_capacity(traced.len());
        for t in &traced {
            let ifindex = topo.namespaces[t.ns].links[t.dev].ifindex;
            let cap = netns::run_in(handles[t.ns].fd.as_fd(), || Capture::open(ifindex))
                .and_then(|r| r)
                .map_err(fail(format!("cannot capture on {}", label(t)), span))?;
            caps.push(cap);
        }
        // Frames stamped before this instant may have missed the captures opened after them.
        let start = SystemTime::now();
        let total: usize = topo.namespaces.iter().map(|n| n.links.len()).sum();
        let names: Vec<String> = traced.iter().map(label).collect();
        self.tracing_line(&names, total, devs.is_empty());
        let stop = AtomicBool::new(false);
        let (body_result, seen) = std::thread::scope(|s| {
            let handle = s.spawn(|| collect(caps, &stop));
            let body_result = self.block(body);
            stop.store(true, Ordering::SeqCst);
            let seen = handle
                .join()
                .unwrap_or_else(|p| Err(NetError::panicked("the trace thread", p)));
            (body_result, seen)
        });
        let seen = since(start, seen.map_err(fail("trace", span))?);
        if let Some((w, path)) = writer {
            write_pcapng(w, &names, &seen).map_err(|e| {
                fail(format!("cannot write {path}"), span)(NetError::io(
                    format!("write {path}"),
                    &e,
                ))
            })?;
        }
        let frames = seen.len();
        let packets = paths(&topo, &traced, seen);
        for p in &packets {
            self.out.line(&p.to_string());
        }
        self.out.line(&format!(
            "{} packets, seen {frames} times on {} devices",
            packets.len(),
            traced.len()
        ));
        self.out.flush();
        body_result
    }

    /// `-w FILE`: the pcapng file, made before anything is traced.
    fn pcapng_file(&self, w: &Val<String>) -> Result<(PcapngWriter<BufWriter<File>>, String)> {
        let path = w.get()?.clone();
        let made = File::create(&path).and_then(|f| PcapngWriter::new(BufWriter::new(f)));
        let writer = made.map_err(|e| {
            fail(format!("cannot write {path}"), w.span)(NetError::io(format!("create {path}"), &e))
        })?;
        Ok((writer, path))
    }

    /// The first line: which devices are traced, and whether they are only the first of all.
    fn tracing_line(&self, names: &[String], total: usize, all: bool) {
        if all && total > names.len() {
            self.out.line(&format!(
                "tracing the first {} of {total} devices: {}",
                names.len(),
                names.join(" ")
            ));
        } else {
            self.out.line(&format!(
                "tracing {} devices: {}",
                names.len(),
                names.join(" ")
            ));
        }
        self.out.flush();
    }

    /// The devices to trace: those named (`DEV` in the current namespace, or `NS/DEV`), or
    /// the first [`MAX_DEVICES`] of all.
    fn traced(&mut self, topo: &Topology, devs: &[Val<TraceDev>]) -> Result<Vec<Traced>> {
        if devs.is_empty() {
            let all = topo
                .namespaces
                .iter()
                .enumerate()
                .flat_map(|(ns, n)| (0..n.links.len()).map(move |dev| Traced { ns, dev }));
            return Ok(all.take(MAX_DEVICES).collect());
        }
        let mut out = Vec::new();
        for w in devs {
            let named = w.get()?;
            let dev = named.dev.to_string();
            let ns_name = match &named.ns {
                Some(ns) => ns.to_string(),
                None => self.ns.to_string(),
            };
            let found = topo.namespaces.iter().enumerate().find_map(|(i, n)| {
                (n.name == ns_name)
                    .then(|| n.links.iter().position(|l| l.name == dev))
                    .flatten()
                    .map(|k| Traced { ns: i, dev: k })
            });
            let place = if ns_name == "root" {
                Ns::Root
            } else {
                Ns::Named(ns_name)
            };
            match found {
                Some(t) if !out.contains(&t) => out.push(t),
                Some(_) => {}
                None => {
                    return Err(RunError::NoDevice {
                        name: dev,
                        place: where_(&place),
                        span: w.span,
                    })
                }
            }
        }
        if out.len() > MAX_DEVICES {
            return Err(RunError::BadValue {
                text: format!("{} devices", out.len()),
                expected: "at most 64 devices",
                span: devs[MAX_DEVICES].span,
            });
        }
        Ok(out)
    }
}

/// One interface per traced device, then every sighting in time order.
fn write_pcapng(
    mut w: PcapngWriter<BufWriter<File>>,
    names: &[String],
    seen: &[Sighting],
) -> std::io::Result<()> {
    let ids = names
        .iter()
        .map(|name| w.interface(name))
        .collect::<std::io::Result<Vec<u32>>>()?;
    let mut in_order: Vec<&Sighting> = seen.iter().collect();
    in_order.sort_by_key(|s| s.frame.time);
    for s in in_order {
        w.write(ids[s.at], &s.frame)?;
    }
    w.finish().map(drop)
}

/// Reads every socket until `stop`, then what is still queued.
fn collect(mut caps: Vec<Capture>, stop: &AtomicBool) -> crate::net::Result<Vec<Sighting>> {
    let mut seen = Vec::new();
    loop {
        let stopping = stop.load(Ordering::SeqCst);
        if !stopping {
            let mut fds: Vec<PollFd> = caps
                .iter()
                .map(|c| PollFd::new(c.as_fd(), PollFlags::POLLIN))
                .collect();
            match poll(&mut fds, PollTimeout::from(POLL_MS)) {
                Ok(_) | Err(nix::errno::Errno::EINTR) => {}
                Err(e) => return Err(NetError::sys("poll AF_PACKET", e)),
            }
        }
        for (at, cap) in caps.iter_mut().enumerate() {
            loop {
                match cap.try_next() {
                    Ok(Some(frame)) => seen.push(Sighting { at, frame }),
                    Ok(None) => break,
                    // A device the body brought down (reported once): the others go on.
                    Err(e) if e.errno() == Some(nix::errno::Errno::ENETDOWN) => break,
                    Err(e) => return Err(e),
                }
            }
        }
        if stopping {
            return Ok(seen);
        }
    }
}
