//! `capture [-c N] [-w FILE] DEV { BODY }`: a capture thread prints (and saves) the packets
//! on DEV while BODY runs on this thread, then tcpdump's closing counts.

use super::error::Result;
use super::netns::fail;
use super::resolve;
use super::{Evaluator, Out};
use crate::net::decode::{time_of_day, Decoder};
use crate::net::packet::{Capture, PcapWriter, Stats};
use crate::net::NetError;
use crate::syntax::ast::{Block, Word};
use crate::syntax::Span;
use std::fs::File;
use std::io::BufWriter;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// How often the capture thread looks at the stop flag while the device is quiet.
const POLL: Duration = Duration::from_millis(50);

/// The captures running now, so that a statement in their body can let them catch up.
static ACTIVE: Mutex<Vec<Arc<CatchUp>>> = Mutex::new(Vec::new());

/// Requests to print what is queued, and how far the capture thread has answered them.
#[derive(Default)]
struct CatchUp {
    asked: AtomicU64,
    done: Mutex<u64>,
    answered: Condvar,
}

/// Lets every running capture print the packets queued so far, so that a ping's summary comes
/// after the packets of its exchange, as on a terminal running tcpdump beside ping. Waits at
/// most a second.
pub(super) fn catch_up() {
    let active: Vec<Arc<CatchUp>> = ACTIVE.lock().map(|a| a.clone()).unwrap_or_default();
    for c in active {
        let want = c.asked.fetch_add(1, Ordering::SeqCst) + 1;
        if let Ok(done) = c.done.lock() {
            let _ = c
                .answered
                .wait_timeout_while(done, Duration::from_secs(1), |d| *d < want);
        }
    }
}

/// What the capture thread saw.
struct Captured {
    packets: u64,
    stats: Stats,
}

impl Evaluator {
    pub(super) fn capture(
        &mut self,
        count: Option<&Word>,
        file: Option<&Word>,
        dev: &Word,
        body: &Block,
        span: Span,
    ) -> Result<()> {
        let req = resolve::capture(self, count, file, dev)?;
        let count = resolve::known(&req.count)?;
        let (ifindex, name) = self.device_of(&req.dev)?;
        let writer = match &req.file {
            None => None,
            Some(w) => {
                let path = w.get()?.clone();
                let file = File::create(&path)
                    .and_then(|f| PcapWriter::new(BufWriter::new(f)))
                    .map_err(|e| {
                        fail(format!("cannot write {path}"), w.span)(NetError::io(
                            format!("create {path}"),
                            &e,
                        ))
                    })?;
                Some((file, path))
            }
        };
        let ns = self.ns.clone();
        // Opened (and bound) before BODY starts, so nothing BODY does is missed.
        let cap = self
            .net
            .enter(&ns, || Capture::open(ifindex))
            .and_then(|r| r)
            .map_err(fail(format!("cannot capture on {name}"), span))?;
        self.out.line(&format!(
            "capturing on {name}, link-type EN10MB (Ethernet), snapshot length {} bytes",
            crate::net::packet::SNAPLEN
        ));
        self.out.flush();
        // The capture's thread prints its lines there while BODY runs.
        let out = self.out.clone();
        let stop = AtomicBool::new(false);
        let catch = Arc::new(CatchUp::default());
        if let Ok(mut active) = ACTIVE.lock() {
            active.push(catch.clone());
        }
        let (body_result, captured) = std::thread::scope(|s| {
            let handle = s.spawn(|| capture_loop(cap, writer, count, &stop, &catch, &out));
            let body_result = self.block(body);
            if let Ok(mut active) = ACTIVE.lock() {
                active.retain(|c| !Arc::ptr_eq(c, &catch));
            }
            stop.store(true, Ordering::SeqCst);
            let captured = handle
                .join()
                .unwrap_or_else(|p| Err(NetError::panicked("the capture thread", p)));
            (body_result, captured)
        });
        let captured = captured.map_err(fail(format!("capture on {name}"), span))?;
        self.out.print(&format!(
            "{} packets captured\n{} packets received by filter\n{} packets dropped by kernel\n",
            captured.packets, captured.stats.packets, captured.stats.drops
        ));
        body_result
    }
}

/// Reads frames until `count` of them or `stop` (then drains what is queued), printing one
/// line each and appending them to the pcap file.
fn capture_loop(
    mut cap: Capture,
    mut writer: Option<(PcapWriter<BufWriter<File>>, String)>,
    count: Option<u64>,
    stop: &AtomicBool,
    catch: &CatchUp,
    out: &Out,
) -> crate::net::Result<Captured> {
    let mut packets = 0u64;
    let full = |n: u64| count.is_some_and(|c| n >= c);
    let mut decoder = Decoder::default();
    // Answers every catch-up asked before the drain that follows.
    let answer = |asked: u64| {
        if let Ok(mut done) = catch.done.lock() {
            *done = asked;
            catch.answered.notify_all();
        }
    };
    'outer: while !full(packets) {
        let stopping = stop.load(Ordering::SeqCst);
        let asked = catch.asked.load(Ordering::SeqCst);
        // Asked to catch up: drain what is queued now instead of waiting for more.
        let hurry = asked > catch.done.lock().map(|d| *d).unwrap_or(asked);
        if !stopping && !hurry && !cap.wait(POLL)? {
            continue;
        }
        while let Some(frame) = cap.try_next()? {
            let line = decoder.describe(&frame.data);
            out.line(&format!("{} {line}", time_of_day(frame.time)));
            if let Some((w, path)) = writer.as_mut() {
                w.write(&frame)
                    .map_err(|e| NetError::io(format!("write {path}"), &e))?;
            }
            packets += 1;
            if full(packets) {
                break 'outer;
            }
        }
        out.flush();
        answer(asked);
        if stopping {
            break;
        }
    }
    out.flush();
    // A count reached ends the capture: nothing more to wait for.
    answer(u64::MAX);
    let stats = cap.stats()?;
    if let Some((w, path)) = writer {
        w.finish()
            .map_err(|e| NetError::io(format!("write {path}"), &e))?;
    }
    Ok(Captured { packets, stats })
}
