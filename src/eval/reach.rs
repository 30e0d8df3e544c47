//! `ping { }` blocks: a reachability matrix. The body's `for`, `let` and `if` generate checks
//! (`SRC -> DEST` must answer, `SRC !-> DEST` must not; DEST an address or a namespace, then
//! each of its global addresses); net::reach probes them all at once; the report is one line
//! a check, or past a few dozen a line per source, then a total.

use super::error::{Result, RunError};
use super::netns::fail;
use super::resolve::{Expand, ForReq};
use super::Evaluator;
use crate::net::reach::{reach_all, Pacing, Probe, Reach};
use crate::net::Ns;
use crate::net::{addr, neigh};
use crate::syntax::ast::{ForItems, PingFlag, PingItem, PingLine, PingOpt};
use crate::syntax::Span;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::ops::Range;
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

/// How long a ping block waits for each check by default (its `-W`). Over a second: a link
/// just brought up drops packets until the kernel's link watch activates it (up to a
/// second), and the neighbour then retries ARP after a second.
const BLOCK_WAIT: Duration = Duration::from_secs(2);
/// Up to this many checks, the report has a line for each; past it, a line per source.
const LINES_MAX: usize = 40;
/// Failures named on one source's line of the compact report.
const NAMED_MAX: usize = 3;

/// One check of a ping block, as its line generated it.
struct Check {
    src: String,
    reachable: bool,
    /// The destination as written: an address or a namespace.
    target: String,
    /// Its probes (one per address), in the block's list of probes.
    probes: Range<usize>,
    span: Span,
    /// The loop variables and their values when the line generated it: `i=3 j=9`.
    vars: String,
}

/// The checks of a block, and what is needed to probe them.
#[derive(Default)]
struct Generated {
    checks: Vec<Check>,
    probes: Vec<Probe>,
    /// Source namespaces (`None` is root), and their index by name.
    sources: Vec<Option<OwnedFd>>,
    source_index: HashMap<String, usize>,
    /// The global addresses of each namespace named as a target.
    targets: HashMap<String, Vec<IpAddr>>,
    /// The loop variables in scope, outermost first.
    loop_vars: Vec<String>,
}

/// A check's outcome, for the report and for JUnit.
pub struct CheckResult {
    /// `h1 -> 10.0.0.2`
    pub name: String,
    /// The line that generated it (1-based).
    pub line: usize,
    /// The loop variables: `i=3 j=9`, or empty.
    pub vars: String,
    /// The longest wait of its probes.
    pub time: Duration,
    /// Whether it held; `None` when a signal stopped the block first.
    pub held: Option<bool>,
    /// What its probes said: `reply in 0.052 ms`, `10.0.0.2: no reply in 2s`.
    pub how: String,
}

impl CheckResult {
    /// Whether it was decided and did not hold.
    pub fn failed(&self) -> bool {
        self.held == Some(false)
    }

    /// `line 12, i=3 j=9`: where it came from.
    pub fn place(&self) -> String {
        if self.vars.is_empty() {
            format!("line {}", self.line)
        } else {
            format!("line {}, {}", self.line, self.vars)
        }
    }
}

/// A ping block's options: how long each check waits (`-W`), and `-v`. The one resolver
/// the run and `--check` share; a wait given by a variable is known only when run.
pub(super) fn block_options(x: &dyn Expand, opts: &[PingOpt]) -> Result<(Duration, bool)> {
    let mut wait = BLOCK_WAIT;
    let mut verbose = false;
    for opt in opts {
        match (&opt.value, opt.flag) {
            (Some(w), PingFlag::Timeout) => {
                if let Some(text) = x.text(w)? {
                    wait = super::ping::seconds(text, w.span)?;
                }
            }
            (None, PingFlag::Verbose) => verbose = true,
            _ => {
                return Err(RunError::Usage {
                    what: format!("`{}` is not an option of a ping block", opt.flag.text()),
                    span: opt.span,
                    help: Some(
                        "a ping block takes `-W SECS` (how long each check waits) and `-v` \
                         (a line for every check)"
                            .into(),
                    ),
                })
            }
        }
    }
    Ok((wait, verbose))
}

impl Evaluator {
    /// `ping [-W SECS] [-v] { ... }`: every check at once; fails if any does not hold.
    pub(super) fn ping_block(
        &mut self,
        opts: &[PingOpt],
        items: &[PingItem],
        span: Span,
    ) -> Result<()> {
        let (wait, verbose) = block_options(self, opts)?;
        let mut gen = Generated::default();
        self.generate(items, &mut gen)?;
        // Overflows of the kernel's neighbour tables during the block explain failures.
        let tables = self.neigh_tables();
        let start = Instant::now();
        let sources: Vec<_> = gen
            .sources
            .iter()
            .map(|s| s.as_ref().map(|fd| fd.as_fd()))
            .collect();
        let ends = reach_all(&sources, &gen.probes, Pacing::with_wait(wait));
        let elapsed = start.elapsed();
        let results: Vec<CheckResult> = gen
            .checks
            .iter()
            .map(|c| self.judge(c, &gen.probes, &ends[c.probes.clone()], wait))
            .collect();
        let interrupted = results.iter().any(|r| r.held.is_none());
        if !interrupted {
            self.out
                .print(&report(&gen.checks, &results, verbose, elapsed));
        }
        let failed: Vec<usize> = (0..results.len())
            .filter(|&i| results[i].failed())
            .collect();
        let labels = labels(&gen.checks, &results, &failed);
        if let Some(log) = &mut self.checks_log {
            log.extend(results);
        }
        // Ctrl-C stops every check: a block cut short proves nothing, so the run stops, as
        // at any statement.
        if let Some(signal) = crate::net::interrupt::pending() {
            return Err(RunError::Interrupted { signal, span });
        }
        if failed.is_empty() {
            Ok(())
        } else {
            let after = self.neigh_tables();
            Err(RunError::PingBlock {
                failed: failed.len(),
                total: gen.checks.len(),
                lines: labels,
                help: overflowed(&tables, &after),
            })
        }
    }

    /// Walks a block's body: lines become checks, `let`, `for` and `if` as in a script.
    fn generate(&mut self, items: &[PingItem], gen: &mut Generated) -> Result<()> {
        for item in items {
            match item {
                PingItem::Line(line) => self.generate_line(line, gen)?,
                PingItem::Let { name, value } => {
                    let value = self.word(value)?;
                    self.vars.insert(name.name.clone(), value);
                }
                PingItem::For { var, items, body } => {
                    let values = self.for_values(items)?;
                    gen.loop_vars.push(var.name.clone());
                    for value in values {
                        self.vars.insert(var.name.clone(), value);
                        self.generate(body, gen)?;
                    }
                    gen.loop_vars.pop();
                }
                PingItem::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    if self.cond(cond)? {
                        self.generate(then, gen)?;
                    } else if let Some(body) = otherwise {
                        self.generate(body, gen)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn generate_line(&mut self, line: &PingLine, gen: &mut Generated) -> Result<()> {
        let src = self.netns_name(&line.src)?;
        let source = match gen.source_index.get(&src) {
            Some(&i) => i,
            None => {
                let fd = match self.ns_ref(&line.src, false)? {
                    Ns::Root => None,
                    named => Some(self.ns_fd(&named, line.src.span)?),
                };
                gen.sources.push(fd);
                gen.source_index.insert(src.clone(), gen.sources.len() - 1);
                gen.sources.len() - 1
            }
        };
        let target = self.word(&line.dest)?;
        let addrs = match target.parse::<IpAddr>() {
            Ok(a) => vec![a],
            Err(_) if looks_like_address(&target) => {
                return Err(not_an_address(&target, line.dest.span))
            }
            Err(_) => self.target_addrs(line, gen)?,
        };
        let first = gen.probes.len();
        gen.probes
            .extend(addrs.into_iter().map(|dest| Probe { source, dest }));
        let vars = gen
            .loop_vars
            .iter()
            .map(|v| format!("{v}={}", self.vars.get(v).map_or("", String::as_str)))
            .collect::<Vec<_>>()
            .join(" ");
        gen.checks.push(Check {
            src,
            reachable: line.reachable,
            target,
            probes: first..gen.probes.len(),
            span: line.span,
            vars,
        });
        Ok(())
    }

    /// A namespace as a target: its global addresses, of both families, read once a block.
    fn target_addrs(&mut self, line: &PingLine, gen: &mut Generated) -> Result<Vec<IpAddr>> {
        let name = self.netns_name(&line.dest)?;
        if let Some(addrs) = gen.targets.get(&name) {
            return Ok(addrs.clone());
        }
        let ns = self.ns_ref(&line.dest, false)?;
        let span = line.dest.span;
        let sock = self.socket(&ns, span)?;
        let mut addrs: Vec<IpAddr> = addr::list(sock)
            .map_err(fail(format!("cannot list the addresses of {name}"), span))?
            .into_iter()
            .filter(|a| a.scope == 0)
            .map(|a| a.prefix.addr)
            .collect();
        addrs.dedup();
        if addrs.is_empty() {
            return Err(RunError::Usage {
                what: format!("namespace {name} has no global address to ping"),
                span,
                help: Some(format!(
                    "give it one: netns {name} {{ addr add ADDR/LEN dev DEV }}"
                )),
            });
        }
        gen.targets.insert(name, addrs.clone());
        Ok(addrs)
    }

    /// The values a `for` takes: an inclusive range of integers, or a list of words.
    pub(super) fn for_values(&mut self, items: &ForItems) -> Result<Vec<String>> {
        Ok(match super::resolve::for_items(self, items)? {
            ForReq::Range(from, to) => (*from.get()?..=*to.get()?).map(|i| i.to_string()).collect(),
            ForReq::List(words) => words
                .into_iter()
                .map(super::resolve::Val::take)
                .collect::<Result<_>>()?,
        })
    }

    /// Whether a check held, from its probes' ends.
    fn judge(
        &self,
        c: &Check,
        probes: &[Probe],
        ends: &[Option<Reach>],
        wait: Duration,
    ) -> CheckResult {
        let arrow = if c.reachable { "->" } else { "!->" };
        let mut result = CheckResult {
            name: format!("{} {arrow} {}", c.src, c.target),
            line: self.line_of(c.span.start),
            vars: c.vars.clone(),
            time: Duration::ZERO,
            held: None,
            how: String::new(),
        };
        let by_name = c.target.parse::<IpAddr>().is_err();
        // Each probe: whether it answered, and what to say about it.
        let said: Vec<(bool, String)> = probes[c.probes.clone()]
            .iter()
            .zip(ends)
            .map(|(p, end)| {
                let (answered, how) = match end {
                    Some(Reach::Reply(rtt)) => {
                        (true, format!("reply in {}", super::ping::rtt_text(*rtt)))
                    }
                    Some(Reach::Silent) | None => (
                        false,
                        format!("no reply in {}s", super::ping::fmt_g(wait.as_secs_f64())),
                    ),
                    Some(Reach::Unreachable(errno)) => (false, errno.desc().to_lowercase()),
                    Some(Reach::Icmp { from, text }) => {
                        (false, format!("{} from {from}", text.to_lowercase()))
                    }
                    Some(Reach::Failed(e)) => (false, format!("error: {e}")),
                };
                let how = if by_name {
                    format!("{}: {how}", p.dest)
                } else {
                    how
                };
                (answered, how)
            })
            .collect();
        result.time = ends
            .iter()
            .map(|e| match e {
                Some(Reach::Reply(rtt)) => *rtt,
                Some(Reach::Silent) => wait,
                _ => Duration::ZERO,
            })
            .max()
            .unwrap_or_default();
        let errors = ends.iter().any(|e| matches!(e, Some(Reach::Failed(_))));
        let holds = if c.reachable {
            said.iter().all(|(answered, _)| *answered)
        } else {
            !errors && said.iter().all(|(answered, _)| !answered)
        };
        // What to say: the probes that decided it.
        let telling: Vec<&str> = said
            .iter()
            .filter(|(answered, _)| holds || *answered != c.reachable)
            .map(|(_, how)| how.as_str())
            .collect();
        result.how = telling.join(", ");
        if ends.iter().all(Option::is_some) {
            result.held = Some(holds);
        }
        result
    }

    /// The kernel's neighbour tables, read from root; none if they cannot be read.
    fn neigh_tables(&mut self) -> Vec<neigh::Table> {
        self.net
            .route(&Ns::Root)
            .ok()
            .and_then(|sock| neigh::tables(sock).ok())
            .unwrap_or_default()
    }

    /// The 1-based line of a byte offset of the text being run.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).max(1)
    }
}

/// Text that was meant as an address (digits, dots, colons), not a namespace name.
fn looks_like_address(text: &str) -> bool {
    text.chars().any(|c| c == '.' || c == ':')
        && text
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':')
}

fn not_an_address(text: &str, span: Span) -> RunError {
    RunError::Usage {
        what: format!("\"{text}\" is not an IPv4 or IPv6 address"),
        span,
        help: Some(
            "a ping block checks an address such as 10.1.1.2 or 2001:db8::2, or a namespace".into(),
        ),
    }
}

/// The report: a line per check (all with `verbose`), or a line per source; then a total.
fn report(checks: &[Check], results: &[CheckResult], verbose: bool, elapsed: Duration) -> String {
    let mut out = String::new();
    let held = results.iter().filter(|r| r.held == Some(true)).count();
    if verbose || checks.len() <= LINES_MAX {
        for r in results {
            if r.failed() {
                let _ = writeln!(out, "{}: FAILED, {} ({})", r.name, r.how, r.place());
            } else {
                let _ = writeln!(out, "{}: ok, {}", r.name, r.how);
            }
        }
    } else {
        // One line per source, in order of first appearance; failures named.
        let mut order: Vec<&str> = Vec::new();
        let mut by_src: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, c) in checks.iter().enumerate() {
            by_src
                .entry(c.src.as_str())
                .or_insert_with(|| {
                    order.push(c.src.as_str());
                    Vec::new()
                })
                .push(i);
        }
        for src in order {
            let mine = &by_src[src];
            let bad: Vec<usize> = mine
                .iter()
                .copied()
                .filter(|&i| results[i].failed())
                .collect();
            let _ = write!(
                out,
                "{src}: {} of {} hold",
                mine.len() - bad.len(),
                mine.len()
            );
            if !bad.is_empty() {
                let named: Vec<String> = bad
                    .iter()
                    .take(NAMED_MAX)
                    .map(|&i| {
                        let r = &results[i];
                        // The source starts the line already.
                        let check = r.name.strip_prefix(src).unwrap_or(&r.name).trim_start();
                        format!("{check} ({}; {})", r.how, r.place())
                    })
                    .collect();
                let _ = write!(out, "; FAILED: {}", named.join(", "));
                if bad.len() > NAMED_MAX {
                    let _ = write!(out, " and {} more", bad.len() - NAMED_MAX);
                }
            }
            out.push('\n');
        }
    }
    let secs = elapsed.as_secs_f64();
    let time = if secs < 1.0 {
        format!("{secs:.2}")
    } else {
        format!("{secs:.1}")
    };
    let _ = writeln!(
        out,
        "{} checks, {held} held, {} failed in {time} s",
        results.len(),
        results.len() - held
    );
    out
}

/// The diagnostic's labels: one per generating line that failed, with its first failure.
fn labels(checks: &[Check], results: &[CheckResult], failed: &[usize]) -> Vec<miette::LabeledSpan> {
    let mut order: Vec<Span> = Vec::new();
    let mut by_span: HashMap<Span, Vec<usize>> = HashMap::new();
    for &i in failed {
        by_span
            .entry(checks[i].span)
            .or_insert_with(|| {
                order.push(checks[i].span);
                Vec::new()
            })
            .push(i);
    }
    order
        .into_iter()
        .map(|span| {
            let here = &by_span[&span];
            let r = &results[here[0]];
            let mut text = if r.vars.is_empty() {
                format!("does not hold: {}", r.how)
            } else {
                format!("does not hold with {}: {}: {}", r.vars, r.name, r.how)
            };
            if here.len() > 1 {
                let _ = write!(text, " (and {} more checks of this line)", here.len() - 1);
            }
            miette::LabeledSpan::new_with_span(Some(text), span)
        })
        .collect()
}

/// The sysctl that sets a neighbour table's limit, for hints.
fn sysctl_of(table: &str) -> &'static str {
    if table.starts_with("ndisc") {
        "net.ipv6.neigh.default.gc_thresh3"
    } else {
        "net.ipv4.neigh.default.gc_thresh3"
    }
}

/// A hint when the kernel refused neighbour entries during the block.
fn overflowed(before: &[neigh::Table], after: &[neigh::Table]) -> Option<String> {
    for a in after {
        let Some(b) = before.iter().find(|b| b.name == a.name) else {
            continue;
        };
        let fulls = a.table_fulls.saturating_sub(b.table_fulls);
        if fulls > 0 {
            return Some(format!(
                "the kernel's {} was full {fulls} times during this block: it holds {} entries \
                 for every namespace of the machine, and packets to a neighbour it had no room \
                 for were dropped. On the host, `sysctl -w {}=N` raises the limit.",
                a.name,
                a.thresh3,
                sysctl_of(&a.name)
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, fulls: u64) -> neigh::Table {
        neigh::Table {
            name: name.into(),
            thresh3: 1024,
            entries: 1000,
            table_fulls: fulls,
        }
    }

    #[test]
    fn a_neighbour_table_that_overflowed_during_the_block_is_named() {
        let before = [table("arp_cache", 5), table("ndisc_cache", 0)];
        assert_eq!(overflowed(&before, &before), None);
        let after = [table("arp_cache", 5), table("ndisc_cache", 3)];
        let hint = overflowed(&before, &after).unwrap();
        assert!(
            hint.starts_with("the kernel's ndisc_cache was full 3 times"),
            "{hint}"
        );
        assert!(hint.contains("net.ipv6.neigh.default.gc_thresh3"), "{hint}");
    }

    #[test]
    fn addresses_mistyped_are_not_namespaces() {
        assert!(looks_like_address("10.0.0.300"));
        assert!(looks_like_address("2001:db8::"));
        assert!(!looks_like_address("h1"));
        assert!(!looks_like_address("red"));
    }
}
