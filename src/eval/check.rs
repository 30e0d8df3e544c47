//! `vsh --check`: what can be known without touching the kernel. Variables are set before
//! use, and literal names, addresses and numbers are valid, by the same checks a run makes.

use super::error::{Result, RunError};
use super::words::{check_ifname, check_netns_name, parse_prefix};
use crate::syntax::ast::*;
use crate::syntax::Span;
use std::collections::HashSet;

/// Every problem found in `program`, in source order.
pub fn check(program: &Program) -> Vec<RunError> {
    check_with_notes(program).0
}

/// The problems, and a note for each line that runs the real `ip` instead of vsh.
pub fn check_with_notes(program: &Program) -> (Vec<RunError>, Vec<Note>) {
    let mut c = Checker::default();
    c.stmts(&program.stmts);
    (c.problems, c.notes)
}

/// Not a problem, but worth knowing before a run: this line is not vsh's own.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "`{line}` runs the real `{program}` program: vsh does not undo what it does, even when the run fails"
)]
#[diagnostic(code(vsh::program), severity(Advice))]
pub struct Note {
    pub program: &'static str,
    pub line: String,
    #[label("iproute2 runs this")]
    pub span: Span,
}

#[derive(Default)]
struct Checker {
    defined: HashSet<String>,
    problems: Vec<RunError>,
    notes: Vec<Note>,
}

impl Checker {
    fn stmts(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn for_items(&mut self, items: &ForItems) {
        match items {
            ForItems::Range { from, to } => {
                self.number::<i64>(from, "an integer");
                self.number::<i64>(to, "an integer");
            }
            ForItems::List(words) => {
                words.iter().for_each(|w| self.word(w));
                if let [w] = words.as_slice() {
                    if w.literal().is_some_and(|t| t.contains("..")) {
                        self.report(super::words::not_a_range(w));
                    }
                }
            }
        }
    }

    fn report(&mut self, r: Result<()>) {
        if let Err(e) = r {
            self.problems.push(e);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Let { name, value } => {
                self.word(value);
                self.defined.insert(name.name.clone());
            }
            StmtKind::For { var, items, body } => {
                self.for_items(items);
                self.defined.insert(var.name.clone());
                self.stmts(&body.stmts);
            }
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                self.cond(cond);
                self.stmts(&then.stmts);
                if let Some(b) = otherwise {
                    self.stmts(&b.stmts);
                }
            }
            StmtKind::Not(inner) => self.stmt(inner),
            StmtKind::NetnsBlock { ns, body } => {
                self.netns(ns);
                self.stmts(&body.stmts);
            }
            StmtKind::RootBlock(body) | StmtKind::Build(body) => self.stmts(&body.stmts),
            StmtKind::NetnsEnter(w) => self.netns(w),
            StmtKind::Help(topic) => topic.iter().for_each(|w| self.word(w)),
            StmtKind::Deny(what) => {
                self.word(what);
                if let Some(text) = what.literal() {
                    self.report(super::words::deny_target(&text, what.span));
                }
            }
            StmtKind::InNetns { ns, cmd } => {
                self.netns(ns);
                self.stmt(cmd);
            }
            StmtKind::Netns(cmd) => match cmd {
                NetnsCmd::Add(w) | NetnsCmd::Del(w) => self.netns(w),
                NetnsCmd::List => {}
                NetnsCmd::Exec { ns, argv } => {
                    self.netns(ns);
                    argv.iter().for_each(|w| self.word(w));
                }
                NetnsCmd::Attach { name, pid } => {
                    self.netns(name);
                    self.number::<u32>(pid, "a process id");
                }
                NetnsCmd::Identify(pid) => pid
                    .iter()
                    .for_each(|w| self.number::<u32>(w, "a process id")),
                NetnsCmd::Pids(w) => self.netns(w),
            },
            StmtKind::Link(cmd) => self.link(cmd),
            StmtKind::Addr(cmd) => match cmd {
                AddrCmd::Add { prefix, dev, .. } | AddrCmd::Del { prefix, dev } => {
                    self.word(prefix);
                    if let Some(text) = prefix.literal() {
                        let parsed = parse_prefix(&text, prefix.span);
                        let lone = matches!(cmd, AddrCmd::Add { .. }) && !text.contains('/');
                        if let (Ok(p), true) = (&parsed, lone) {
                            self.problems.push(RunError::NoPrefixLength {
                                addr: p.addr.to_string(),
                                len: p.len,
                                span: prefix.span,
                            });
                        }
                        self.report(parsed.map(drop));
                    }
                    self.ifname(dev);
                }
                AddrCmd::Show { dev, .. } => dev.iter().for_each(|w| self.ifname(w)),
                AddrCmd::Flush { dev } => self.ifname(dev),
            },
            StmtKind::Veth { name, peer, netns } => {
                self.ifname(name);
                self.ifname(peer);
                netns.iter().for_each(|w| self.netns(w));
            }
            StmtKind::Exec { ns, argv } => {
                ns.iter().for_each(|w| self.netns(w));
                argv.iter().for_each(|w| self.word(w));
            }
            StmtKind::External { argv } | StmtKind::Iproute { argv } => {
                argv.iter().for_each(|w| self.word(w));
                // `ip` lines vsh does not implement, and `bridge` lines other than its own.
                let program = match (&s.kind, argv.first().and_then(|w| w.literal())) {
                    (StmtKind::Iproute { .. }, _) => Some("ip"),
                    (_, Some(first)) if first == "bridge" => Some("bridge"),
                    _ => None,
                };
                if let Some(program) = program {
                    let line = argv
                        .iter()
                        .map(|w| w.literal().unwrap_or_else(|| "…".into()))
                        .collect::<Vec<_>>()
                        .join(" ");
                    self.notes.push(Note {
                        program,
                        line,
                        span: s.span,
                    });
                }
            }
            StmtKind::Ping { opts, dest } => {
                opts.iter()
                    .flat_map(|o| &o.value)
                    .for_each(|w| self.word(w));
                // The evaluator's own resolver, on the words known before the run.
                if let Err(e) = super::ping::resolve_options(opts, &mut |w| Ok(w.literal())) {
                    self.problems.push(e);
                }
                self.word(dest);
                if let Some(text) = dest.literal() {
                    if text.parse::<std::net::IpAddr>().is_err() {
                        self.problems.push(RunError::BadValue {
                            text,
                            expected: "an IPv4 or IPv6 address",
                            span: dest.span,
                        });
                    }
                }
            }
            StmtKind::PingBlock { opts, items } => {
                opts.iter()
                    .flat_map(|o| &o.value)
                    .for_each(|w| self.word(w));
                self.ping_items(items);
            }
            StmtKind::Capture {
                count,
                file,
                dev,
                body,
            } => {
                count
                    .iter()
                    .for_each(|w| self.number::<u64>(w, "a packet count"));
                file.iter().for_each(|w| self.word(w));
                self.ifname(dev);
                self.stmts(&body.stmts);
            }
            StmtKind::Spawn { ns, argv } => {
                ns.iter().for_each(|w| self.netns(w));
                argv.iter().for_each(|w| self.word(w));
            }
            StmtKind::Kill { pids, .. } | StmtKind::Wait { pids } => {
                pids.iter().for_each(|w| self.word(w))
            }
            StmtKind::Route(cmd) => self.route(cmd),
            StmtKind::Bridge(BridgeCmd::Link { dev }) => dev.iter().for_each(|w| self.ifname(w)),
            StmtKind::Bridge(BridgeCmd::Block { name, items }) => {
                self.ifname(name);
                for item in items {
                    match item {
                        BridgeItem::Port(words) => words.iter().for_each(|w| self.ifname(w)),
                        BridgeItem::Addr(w) => self.prefix(w),
                    }
                }
            }
            StmtKind::Peer(w) | StmtKind::Stats(w) => self.ifname(w),
            StmtKind::Trace { file, devs, body } => {
                file.iter().for_each(|w| self.word(w));
                devs.iter().for_each(|w| self.word(w));
                self.stmts(&body.stmts);
            }
            StmtKind::Graph(cmd) => {
                cmd.out.iter().for_each(|w| self.word(w));
                if let Some(w) = &cmd.format {
                    self.word(w);
                    if let Some(text) = w.literal() {
                        if crate::graph::Format::parse(&text).is_none() {
                            self.problems.push(RunError::BadValue {
                                text,
                                expected: crate::graph::Format::EXPECTED,
                                span: w.span,
                            });
                        }
                    }
                }
            }
            StmtKind::Pipeline(stages) => self.stmts(stages),
            StmtKind::Redirected { stmt, redirects } => {
                self.stmt(stmt);
                for r in redirects {
                    if let RedirectTo::Read(w) | RedirectTo::Write(w) | RedirectTo::Append(w) =
                        &r.to
                    {
                        self.word(w);
                    }
                }
            }
            StmtKind::AndOr { first, rest } => {
                self.stmt(first);
                rest.iter().for_each(|(_, s)| self.stmt(s));
            }
            StmtKind::Set(opts) => opts.iter().for_each(|o| self.word(&o.name)),
            StmtKind::IpShow { cmd, .. } => self.stmt(cmd),
        }
    }

    /// A ping block's body: lines name namespaces; lets and loops define variables.
    fn ping_items(&mut self, items: &[PingItem]) {
        for item in items {
            match item {
                PingItem::Line(line) => {
                    self.netns(&line.src);
                    self.word(&line.dest);
                }
                PingItem::Let { name, value } => {
                    self.word(value);
                    self.defined.insert(name.name.clone());
                }
                PingItem::For { var, items, body } => {
                    self.for_items(items);
                    self.defined.insert(var.name.clone());
                    self.ping_items(body);
                }
                PingItem::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    self.cond(cond);
                    self.ping_items(then);
                    if let Some(b) = otherwise {
                        self.ping_items(b);
                    }
                }
            }
        }
    }

    fn route(&mut self, cmd: &RouteCmd) {
        match cmd {
            RouteCmd::Show { dev, .. } => dev.iter().for_each(|w| self.ifname(w)),
            RouteCmd::Add(spec) | RouteCmd::Del(spec) => {
                spec.dst.iter().for_each(|w| self.prefix(w));
                for w in spec.via.iter().chain(&spec.src) {
                    self.word(w);
                    if let Some(text) = w.literal() {
                        if text.parse::<std::net::IpAddr>().is_err() {
                            self.problems.push(RunError::BadValue {
                                text,
                                expected: "an IP address",
                                span: w.span,
                            });
                        }
                    }
                }
                spec.dev.iter().for_each(|w| self.ifname(w));
                if let Some(w) = &spec.metric {
                    self.number::<u32>(w, "a metric (0 to 4294967295)");
                }
            }
        }
    }

    fn prefix(&mut self, w: &Word) {
        self.word(w);
        if let Some(text) = w.literal() {
            self.report(parse_prefix(&text, w.span).map(drop));
        }
    }

    fn cond(&mut self, c: &Cond) {
        match c {
            Cond::Not(inner, _) => self.cond(inner),
            Cond::NetnsExists(w) => self.netns(w),
            Cond::LinkExists(w) => self.ifname(w),
            Cond::Stmt(s) => self.stmt(s),
        }
    }

    fn link(&mut self, cmd: &LinkCmd) {
        match cmd {
            LinkCmd::Show { dev } => dev.iter().for_each(|w| self.ifname(w)),
            LinkCmd::Add { name, kind, ops } => {
                self.link_ops(ops);
                self.ifname(name);
                match kind {
                    LinkType::Veth {
                        peer,
                        peer_netns,
                        peer_ops,
                        ..
                    } => {
                        self.link_ops(peer_ops);
                        peer.iter().for_each(|w| self.ifname(w));
                        peer_netns.iter().for_each(|w| self.netns(w));
                    }
                    LinkType::Other { kind, opts } => {
                        self.word(kind);
                        for (k, v) in opts {
                            self.word(k);
                            self.word(v);
                            // Options of another kind fail when run: say so now.
                            if let (Some(kind), Some(key)) = (kind.literal(), k.literal()) {
                                if !super::kinds::kind_takes(&kind, &key) {
                                    self.problems.push(RunError::BadOption {
                                        kind: kind.clone(),
                                        key,
                                        accepted: super::kinds::kind_options(&kind),
                                        span: k.span,
                                    });
                                }
                            }
                        }
                    }
                }
            }
            LinkCmd::Set { dev, ops } => {
                self.ifname(dev);
                self.link_ops(ops);
            }
            LinkCmd::Del { dev } => self.ifname(dev),
        }
    }

    fn link_ops(&mut self, ops: &[LinkOp]) {
        for op in ops {
            match op {
                LinkOp::Up(_) | LinkOp::Down(_) | LinkOp::NoMaster(_) => {}
                LinkOp::Netns(w) => {
                    if w.literal().is_some_and(|t| t.parse::<u32>().is_err()) {
                        self.netns(w);
                    }
                }
                LinkOp::Master(w) | LinkOp::Name(w) => self.ifname(w),
                LinkOp::Mtu(w) => self.number::<u32>(w, "an MTU (bytes)"),
            }
        }
    }

    /// Variables used in a word are set by then.
    fn word(&mut self, w: &Word) {
        for part in &w.parts {
            match part {
                WordPart::Lit(_) => {}
                WordPart::Var(v) => self.var(v),
                WordPart::Expr(e) => self.expr(e),
                WordPart::Subst(sub) => self.stmts(&sub.stmts),
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Num(..) => {}
            Expr::Var(v) => self.var(v),
            Expr::Neg(inner, _) => self.expr(inner),
            Expr::Bin(a, _, b, _) => {
                self.expr(a);
                self.expr(b);
            }
        }
    }

    fn var(&mut self, v: &Var) {
        let special = v.name == "?" || v.name == "!" || v.name.parse::<u8>().is_ok();
        if !special && !self.defined.contains(&v.name) {
            self.problems.push(RunError::Undefined {
                name: v.name.clone(),
                span: v.span,
                help: Some(format!("set it first: let {} = ...", v.name)),
            });
        }
    }

    fn ifname(&mut self, w: &Word) {
        self.word(w);
        if let Some(text) = w.literal() {
            self.report(check_ifname(&text, w.span));
        }
    }

    fn netns(&mut self, w: &Word) {
        self.word(w);
        if let Some(text) = w.literal() {
            self.report(check_netns_name(&text, w.span));
        }
    }

    fn number<T: std::str::FromStr>(&mut self, w: &Word, expected: &'static str) {
        self.word(w);
        if let Some(text) = w.literal() {
            if text.parse::<T>().is_err() {
                self.problems.push(RunError::BadValue {
                    text,
                    expected,
                    span: w.span,
                });
            }
        }
    }
}
