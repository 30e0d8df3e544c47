//! The evaluator: walks the AST, keeps variables, the current namespace and the last status,
//! and calls the net layer. The only layer that knows both the language and the kernel.

mod addr;
mod addr_filter;
mod bridge;
mod build;
mod capture;
mod changes;
pub mod check;
mod control;
pub mod error;
mod exec;
mod fuse;
mod graph;
mod help;
mod ifcache;
mod inspect;
pub mod journal;
mod kinds;
mod link;
mod linkset;
mod names;
mod neigh_request;
mod neighbours;
mod netns;
mod out;
mod output;
mod ping;
mod process;
pub mod reach;
mod resolve;
mod route;
mod route_show;
mod route_words;
mod shell;
mod show;
mod subst;
mod trace;
mod tuntap;
pub mod undo;
mod unreachable;
mod words;

pub use error::{Result, RunError};
pub use out::Out;

use crate::net::{Namespaces, Ns};
use crate::syntax::ast::{Block, Cond, NetnsCmd, Program, Stmt, StmtKind};
use journal::Journal;
use std::collections::HashMap;

/// The state of one run, shared by a script and by every line typed in the REPL.
pub struct Evaluator {
    pub(crate) net: Namespaces,
    pub(crate) vars: HashMap<String, String>,
    pub(crate) args: Vec<String>,
    pub(crate) script_name: String,
    /// `$?`: the status of the last statement.
    pub status: i32,
    /// Where builtins act and programs run.
    pub ns: Ns,
    /// Under --isolated a move to a pid must stay inside the sandbox.
    pub(crate) isolated: bool,
    /// `deny host-moves` (or --deny-host-moves): no device may move into the host's namespace.
    pub deny_host_moves: bool,
    /// What this run made, for undo and `vsh down`.
    pub journal: Journal,
    /// Programs started with `spawn`, and `$!`.
    pub(crate) jobs: process::Jobs,
    /// Whether consecutive statements may run as one request (fuse.rs); VSH_NO_FUSION=1 turns
    /// it off, to compare.
    pub(crate) fusion: bool,
    /// Ifindex by name, per namespace, forgotten whenever a statement may have changed them.
    pub(crate) ifindex: ifcache::IfCache,
    /// Namespaces `netns del` queued and the statement of each, until `settle`.
    pub(crate) deleting: HashMap<String, crate::syntax::Span>,
    /// What each `$( )` of the statement under way printed, by its span (subst.rs).
    pub(crate) substs: HashMap<crate::syntax::Span, String>,
    /// The script's directory, where relative redirection paths start; None: the current one.
    pub dir: Option<std::path::PathBuf>,
    /// `set -o pipefail`: a pipeline fails when any stage does, not only the last.
    pub(crate) pipefail: bool,
    /// The text being run, to report a failure that does not stop it (a pipeline's stage).
    pub(crate) source: Option<crate::diag::Source>,
    /// Where each line of the text being run starts, for reports that name a line.
    pub(crate) line_starts: Vec<usize>,
    /// Inside `build { }`: the links whose bring-up waits for its end.
    pub(crate) deferred: Option<build::Deferred>,
    /// The ping-block checks made so far, kept when a JUnit report was asked for.
    pub checks_log: Option<Vec<reach::CheckResult>>,
    /// Why the last run failed, if it did (not counting a ping block's checks).
    pub failure: Option<String>,
    /// Where builtins print (out.rs): standard output unless a test or front door sets another.
    pub out: Out,
    /// The output options of the `ip` line being run (`ip -j link`), and the line (show/).
    pub(crate) shown: Option<show::Shown>,
}

impl Evaluator {
    pub fn new(script_name: &str, args: Vec<String>, isolated: bool) -> Result<Self> {
        let net = Namespaces::new().map_err(|error| RunError::Net {
            what: "cannot open the root namespace".into(),
            error,
            span: Default::default(),
            help: None,
        })?;
        Ok(Evaluator {
            net,
            vars: HashMap::new(),
            args,
            script_name: script_name.to_string(),
            status: 0,
            ns: Ns::Root,
            isolated,
            deny_host_moves: false,
            journal: Journal::in_memory(),
            jobs: process::Jobs::default(),
            fusion: std::env::var_os("VSH_NO_FUSION").is_none_or(|v| v != "1"),
            ifindex: Default::default(),
            deleting: HashMap::new(),
            substs: HashMap::new(),
            dir: None,
            pipefail: false,
            source: None,
            line_starts: vec![0],
            deferred: None,
            checks_log: None,
            failure: None,
            out: Out::stdout(),
            shown: None,
        })
    }

    /// Tells the evaluator the text its spans point into, to name lines in reports.
    pub fn set_source(&mut self, text: &str) {
        self.line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
    }

    /// Runs a program; the first failing statement stops it.
    pub fn run(&mut self, program: &Program) -> Result<()> {
        // A signal that a statement let pass (`! wait`, a ping's summary) still stops the run.
        let last = program.stmts.last().map(|s| s.span).unwrap_or_default();
        let result = self.stmts(&program.stmts).and_then(|()| interrupted(last));
        // Queued deletes precede the failure in the script, so theirs comes first; a signal
        // still says why the run stopped.
        match (result, self.settle()) {
            (Err(e @ RunError::Interrupted { .. }), _) | (_, Err(e)) => Err(e),
            (result, Ok(())) => result,
        }
    }

    fn stmts(&mut self, stmts: &[Stmt]) -> Result<()> {
        let mut i = 0;
        while let Some(s) = stmts.get(i) {
            // A pair made then its peer moved runs as one request (fuse.rs).
            if let Some(next) = stmts.get(i + 1).filter(|_| self.fusion) {
                if self.run_fused(s, next) {
                    i += 2;
                    continue;
                }
            }
            self.stmt(s)?;
            i += 1;
        }
        Ok(())
    }

    fn block(&mut self, b: &Block) -> Result<()> {
        self.stmts(&b.stmts)
    }

    /// Runs one statement and records its status in `$?`.
    pub fn stmt(&mut self, s: &Stmt) -> Result<()> {
        if let Some(signal) = crate::net::interrupt::pending() {
            return Err(RunError::Interrupted {
                signal,
                span: s.span,
            });
        }
        // Consecutive `netns del`s overlap; any other statement sees them done.
        let result = match &s.kind {
            StmtKind::Netns(NetnsCmd::Del(_)) => Ok(()),
            _ => self.settle(),
        }
        .and_then(|()| self.before_observing(&s.kind))
        .and_then(|()| self.with_substs(s, |ev| ev.stmt_inner(s)))
        .and_then(|()| self.out_failed(s.span));
        self.ifindex.after(&s.kind);
        // Control flow passes on its body's status; everything else sets its own.
        if !matches!(
            s.kind,
            StmtKind::For { .. }
                | StmtKind::If { .. }
                | StmtKind::NetnsBlock { .. }
                | StmtKind::AndOr { .. }
        ) || result.is_err()
        {
            self.status = match &result {
                Ok(()) => 0,
                Err(e) => e.status(),
            };
        }
        result
    }

    fn stmt_inner(&mut self, s: &Stmt) -> Result<()> {
        match &s.kind {
            StmtKind::Let { name, value } => self.let_var(name, value),
            StmtKind::For { var, items, body } => self.for_loop(var, items, body),
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => self.if_stmt(cond, then, otherwise.as_ref()),
            StmtKind::Not(inner) => self.not_stmt(inner),
            StmtKind::NetnsBlock { ns, body } => {
                let ns = self.ns_ref(ns, true)?;
                self.within(ns, |ev| ev.block(body))
            }
            StmtKind::NetnsEnter(w) => {
                self.ns = self.ns_ref(w, false)?;
                Ok(())
            }
            StmtKind::Help(topic) => self.help(topic.as_ref()),
            StmtKind::Deny(what) => {
                resolve::deny(self, what)?;
                self.deny_host_moves = true;
                Ok(())
            }
            StmtKind::RootBlock(body) => self.within(Ns::Root, |ev| ev.block(body)),
            StmtKind::Build(body) => self.build_block(body),
            StmtKind::InNetns { ns, cmd } => {
                let ns = self.ns_ref(ns, false)?;
                self.within(ns, |ev| ev.stmt(cmd))
            }
            StmtKind::Netns(cmd) => self.netns_cmd(cmd, s.span),
            StmtKind::Link(cmd) => self.link_cmd(cmd, s.span),
            StmtKind::Addr(cmd) => self.addr_cmd(cmd, s.span),
            StmtKind::Veth { name, peer, netns } => self.veth(name, peer, netns.as_ref(), s.span),
            StmtKind::Exec { ns, argv } => self.exec(ns.as_ref(), argv, s.span),
            StmtKind::External { argv } | StmtKind::Iproute { argv } => self.external(argv, s.span),
            StmtKind::Ping { opts, dest } => self.ping(opts, dest, s.span),
            StmtKind::PingBlock { opts, items } => self.ping_block(opts, items, s.span),
            StmtKind::Capture {
                count,
                file,
                dev,
                body,
            } => self.capture(count.as_ref(), file.as_ref(), dev, body, s.span),
            StmtKind::Spawn { ns, argv } => self.spawn(ns.as_ref(), argv, s.span),
            StmtKind::Kill { signal, pids } => self.kill(signal.as_ref(), pids, s.span),
            StmtKind::Wait { pids } => self.wait(pids, s.span),
            StmtKind::Route(cmd) => self.route_cmd(cmd, s.span),
            StmtKind::Bridge(cmd) => self.bridge_cmd(cmd, s.span),
            StmtKind::Peer(dev) => self.peer(dev, s.span),
            StmtKind::Stats(dev) => self.stats(dev, s.span),
            StmtKind::Graph(cmd) => self.graph(cmd, s.span),
            StmtKind::Trace { file, devs, body } => self.trace(file.as_ref(), devs, body, s.span),
            StmtKind::Pipeline(stages) => self.pipeline(stages, s.span),
            StmtKind::Redirected { stmt, redirects } => self.redirected(stmt, redirects),
            StmtKind::AndOr { first, rest } => self.and_or(first, rest),
            StmtKind::Set(opts) => self.set_options(opts),
            StmtKind::Neigh(cmd) => self.neigh_cmd(cmd, s.span),
            StmtKind::Tuntap(cmd) => self.tuntap_cmd(cmd, s.span),
            StmtKind::IpShow { opts, argv, cmd } => self.ip_show(*opts, argv, cmd),
        }
    }

    fn cond(&mut self, c: &Cond) -> Result<bool> {
        Ok(match c {
            Cond::Not(inner, _) => !self.cond(inner)?,
            Cond::NetnsExists(w) => {
                let name = resolve::ns(self, w)?.take()?;
                name.as_str() == "root" || self.net.exists(&name)
            }
            Cond::LinkExists(w) => {
                let name = resolve::ifname(self, w)?.take()?;
                self.find_link(&name, w.span)?.is_some()
            }
            // A condition's failure is an answer, not an error.
            Cond::Stmt(s) => match self.stmt(s).and_then(|()| self.settle()) {
                Err(e @ RunError::Interrupted { .. }) => return Err(e),
                done => done.is_ok(),
            },
        })
    }

    /// The names of the variables set so far, for completion.
    pub fn var_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vars.keys().cloned().collect();
        names.sort();
        names
    }

    /// The namespaces in /run/netns, for completion; none if they cannot be read.
    pub fn netns_names(&mut self) -> Vec<String> {
        self.net
            .list()
            .map(|l| l.into_iter().map(|e| e.name).collect())
            .unwrap_or_default()
    }

    /// Runs `f` with `ns` as the current namespace, then restores the previous one.
    fn within(&mut self, ns: Ns, f: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        let saved = std::mem::replace(&mut self.ns, ns);
        let result = f(self);
        self.ns = saved;
        result
    }
}

/// `Interrupted` at `span` if SIGINT or SIGTERM arrived and was not dealt with.
fn interrupted(span: crate::syntax::Span) -> Result<()> {
    match crate::net::interrupt::pending() {
        Some(signal) => Err(RunError::Interrupted { signal, span }),
        None => Ok(()),
    }
}
