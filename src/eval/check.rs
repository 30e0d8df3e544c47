//! `vsh --check`: what can be known without touching the kernel. Variables are set before
//! use, and each builtin's literal words pass the resolver the run uses (eval/resolve/): a
//! thin walk over the statements, with no rules of its own.

use super::error::{Result, RunError};
use super::resolve::{self, Expand, Literal};
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

    fn report(&mut self, r: Result<()>) {
        if let Err(e) = r {
            self.problems.push(e);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        // The variables and `$( )` of the statement's own words; a ping block's lines are
        // walked with the variables its own lets and loops set.
        match &s.kind {
            StmtKind::PingBlock { opts, .. } => opts
                .iter()
                .flat_map(|o| &o.value)
                .for_each(|w| self.word(w)),
            kind => crate::syntax::own_words(kind)
                .into_iter()
                .for_each(|w| self.word(w)),
        }
        // The builtin's own resolver, on the words known before the run.
        self.report(resolve_stmt(&Literal, &s.kind, s.span));
        self.lint(s);
        // What the statement holds, and the variables it sets.
        match &s.kind {
            StmtKind::Let { name, .. } => {
                self.defined.insert(name.name.clone());
            }
            StmtKind::For { var, body, .. } => {
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
            StmtKind::InNetns { cmd, .. } | StmtKind::IpShow { cmd, .. } => self.stmt(cmd),
            StmtKind::NetnsBlock { body, .. }
            | StmtKind::RootBlock(body)
            | StmtKind::Build(body)
            | StmtKind::Capture { body, .. }
            | StmtKind::Trace { body, .. } => self.stmts(&body.stmts),
            StmtKind::PingBlock { items, .. } => self.ping_items(items),
            StmtKind::Pipeline(stages) => self.stmts(stages),
            StmtKind::Redirected { stmt, .. } => self.stmt(stmt),
            StmtKind::AndOr { first, rest } => {
                self.stmt(first);
                rest.iter().for_each(|(_, s)| self.stmt(s));
            }
            _ => {}
        }
    }

    /// What is not an error but worth saying before a run.
    fn lint(&mut self, s: &Stmt) {
        match &s.kind {
            // `addr add 10.0.0.1` is a /32: the run takes it, and it is rarely meant.
            StmtKind::Addr(AddrCmd::Add { prefix, .. }) => {
                if let Some(text) = prefix.literal().filter(|t| !t.contains('/')) {
                    if let Ok(p) = super::words::parse_prefix(&text, prefix.span) {
                        self.problems.push(RunError::NoPrefixLength {
                            addr: p.addr.to_string(),
                            len: p.len,
                            span: prefix.span,
                        });
                    }
                }
            }
            // `ip` lines vsh does not implement, and `bridge` lines other than its own.
            StmtKind::External { argv } | StmtKind::Iproute { argv } => {
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
            _ => {}
        }
    }

    /// A ping block's body: lines name namespaces; lets and loops define variables.
    fn ping_items(&mut self, items: &[PingItem]) {
        for item in items {
            match item {
                PingItem::Line(line) => {
                    self.word(&line.src);
                    self.word(&line.dest);
                    self.report(resolve::ns(&Literal, &line.src).map(|_| ()));
                }
                PingItem::Let { name, value } => {
                    self.word(value);
                    self.defined.insert(name.name.clone());
                }
                PingItem::For { var, items, body } => {
                    let words: Vec<&Word> = match items {
                        ForItems::Range { from, to } => vec![from, to],
                        ForItems::List(words) => words.iter().collect(),
                    };
                    words.into_iter().for_each(|w| self.word(w));
                    self.report(resolve::for_items(&Literal, items).map(|_| ()));
                    self.defined.insert(var.name.clone());
                    self.ping_items(body);
                }
                PingItem::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    cond_words(cond).for_each(|w| self.word(w));
                    self.report(resolve_cond(&Literal, cond));
                    self.cond(cond);
                    self.ping_items(then);
                    if let Some(b) = otherwise {
                        self.ping_items(b);
                    }
                }
            }
        }
    }

    /// The statements inside a condition (its words are the statement's own).
    fn cond(&mut self, c: &Cond) {
        match c {
            Cond::Not(inner, _) => self.cond(inner),
            Cond::NetnsExists(_) | Cond::LinkExists(_) => {}
            Cond::Stmt(s) => self.stmt(s),
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
}

/// Runs the resolver of the builtin `kind` is, for its errors.
fn resolve_stmt(x: &dyn Expand, kind: &StmtKind, span: Span) -> Result<()> {
    match kind {
        StmtKind::For { items, .. } => known(resolve::for_items(x, items))?,
        StmtKind::If { cond, .. } => resolve_cond(x, cond)?,
        StmtKind::NetnsBlock { ns, .. }
        | StmtKind::NetnsEnter(ns)
        | StmtKind::InNetns { ns, .. } => known(resolve::ns(x, ns))?,
        StmtKind::Exec { ns, .. } | StmtKind::Spawn { ns, .. } => {
            known(resolve::opt(x, ns.as_ref(), resolve::ns))?
        }
        StmtKind::Deny(what) => resolve::deny(x, what)?,
        StmtKind::Netns(cmd) => known(resolve::netns_cmd(x, cmd))?,
        StmtKind::Link(cmd) => known(resolve::link(x, cmd))?,
        StmtKind::Addr(cmd) => known(resolve::addr(x, cmd))?,
        StmtKind::Veth { name, peer, netns } => {
            known(resolve::veth(x, name, peer, netns.as_ref()))?
        }
        StmtKind::Ping { opts, dest } => {
            super::ping::resolve_options(opts, x)?;
            known(resolve::ping_dest(x, dest))?;
        }
        StmtKind::PingBlock { opts, .. } => known(super::reach::block_options(x, opts))?,
        StmtKind::Capture {
            count, file, dev, ..
        } => known(resolve::capture(x, count.as_ref(), file.as_ref(), dev))?,
        StmtKind::Kill { signal, pids } => {
            resolve::signal(signal.as_ref())?;
            known(resolve::pids(x, pids))?;
        }
        StmtKind::Wait { pids } => known(resolve::pids(x, pids))?,
        StmtKind::Route(cmd) => resolve_route(x, cmd)?,
        StmtKind::Bridge(cmd) => known(resolve::bridge(x, cmd))?,
        StmtKind::Peer(dev) | StmtKind::Stats(dev) => known(resolve::ifname(x, dev))?,
        StmtKind::Graph(cmd) => known(resolve::graph(x, cmd))?,
        StmtKind::Trace { file, devs, .. } => known(resolve::trace(x, file.as_ref(), devs))?,
        StmtKind::Set(opts) => known(resolve::set(x, opts))?,
        StmtKind::Help(topic) => known(resolve::opt(x, topic.as_ref(), resolve::help))?,
        StmtKind::Neigh(cmd) => {
            known(super::neigh_request::resolve(cmd, span, &mut |w| x.text(w)))?
        }
        StmtKind::Tuntap(TuntapCmd::Change { add, opts }) => {
            known(super::tuntap::resolve(*add, opts, span, &mut |w| x.text(w)))?
        }
        // Words as they are, or statements of their own.
        StmtKind::Let { .. }
        | StmtKind::Tuntap(TuntapCmd::Show)
        | StmtKind::IpShow { .. }
        | StmtKind::Not(_)
        | StmtKind::RootBlock(_)
        | StmtKind::Build(_)
        | StmtKind::External { .. }
        | StmtKind::Iproute { .. }
        | StmtKind::Pipeline(_)
        | StmtKind::Redirected { .. }
        | StmtKind::AndOr { .. } => {}
    }
    Ok(())
}

/// Routes, through the resolvers a run uses (route_words.rs).
fn resolve_route(x: &dyn Expand, cmd: &RouteCmd) -> Result<()> {
    use super::route_words::{resolve_get, resolve_sel, resolve_spec};
    let text = &mut |w: &Word| x.text(w);
    match cmd {
        RouteCmd::Show { family, dev, sel } | RouteCmd::Flush { family, dev, sel } => {
            known(resolve::opt(x, dev.as_ref(), resolve::ifname))?;
            known(resolve_sel(sel, *family, text))
        }
        RouteCmd::Add(spec) | RouteCmd::Del(spec) => {
            let devs = spec
                .dev
                .iter()
                .chain(spec.nexthops.iter().flat_map(|h| &h.dev));
            for w in devs {
                known(resolve::ifname(x, w))?;
            }
            known(resolve_spec(spec, text))
        }
        RouteCmd::Get(get) => {
            for w in get.iif.iter().chain(&get.oif) {
                known(resolve::ifname(x, w))?;
            }
            known(resolve_get(get, text))
        }
    }
}

/// A resolver's answer, for its error only.
fn known<T>(r: Result<T>) -> Result<()> {
    r.map(|_| ())
}

/// A condition's names: `netns NS`, `link DEV`.
fn resolve_cond(x: &dyn Expand, c: &Cond) -> Result<()> {
    match c {
        Cond::Not(inner, _) => resolve_cond(x, inner),
        Cond::NetnsExists(w) => resolve::ns(x, w).map(|_| ()),
        Cond::LinkExists(w) => resolve::ifname(x, w).map(|_| ()),
        Cond::Stmt(_) => Ok(()),
    }
}

/// The words of a condition itself, not of the statement it may run.
fn cond_words(c: &Cond) -> Box<dyn Iterator<Item = &Word> + '_> {
    match c {
        Cond::Not(inner, _) => cond_words(inner),
        Cond::NetnsExists(w) | Cond::LinkExists(w) => Box::new(std::iter::once(w)),
        Cond::Stmt(_) => Box::new(std::iter::empty()),
    }
}
