//! `$( STATEMENTS )`: what statements print, as part of a word.
//!
//! Words are read through `&self` everywhere, but running statements needs `&mut self`: so
//! before a statement runs, the substitutions in its own words (not those of the blocks and
//! statements it holds, which run later, each through `stmt`) run first, in source order, and
//! their output is kept by span until the statement is done.

use super::error::{Result, RunError};
use super::Evaluator;
use crate::net::stdio::{self, Collector, Swapped};
use crate::syntax::ast::*;
use std::os::fd::AsRawFd;

impl Evaluator {
    /// Runs the substitutions of `s`'s own words, then `f`.
    pub(super) fn with_substs<T>(
        &mut self,
        s: &Stmt,
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        let mut substs = Vec::new();
        own_substs(&s.kind, &mut substs);
        if substs.is_empty() {
            return f(self);
        }
        let mut done = Vec::new();
        let mut result = Ok(());
        for sub in substs {
            match self.output_of(&sub.stmts) {
                Ok(text) => {
                    self.substs.insert(sub.span, text);
                    done.push(sub.span);
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        let result = result.and_then(|()| f(self));
        for span in done {
            self.substs.remove(&span);
        }
        result
    }

    /// The output of a substitution that `with_substs` ran.
    pub(super) fn subst_output(&self, sub: &Subst) -> Result<&str> {
        self.substs
            .get(&sub.span)
            .map(String::as_str)
            .ok_or_else(|| RunError::Undefined {
                name: "$( )".into(),
                span: sub.span,
                help: Some("a `$( )` is not run here yet: please report this".into()),
            })
    }

    /// What `stmts` print on standard output, trailing newlines removed.
    fn output_of(&mut self, stmts: &[Stmt]) -> Result<String> {
        let span = stmts
            .first()
            .map(|s| s.span.to(stmts[stmts.len() - 1].span))
            .unwrap_or_default();
        let io = |e: std::io::Error| RunError::Net {
            what: "cannot capture the output of `$( )`".into(),
            error: crate::net::NetError::io("pipe", &e),
            span,
            help: None,
        };
        let (read, write) = stdio::pipe().map_err(io)?;
        let collector = Collector::start(read);
        let mut swapped = Swapped::default();
        swapped.point(1, write.as_raw_fd()).map_err(io)?;
        drop(write);
        let result = self.stmts(stmts).and_then(|()| self.settle());
        drop(swapped);
        let bytes = collector.finish().map_err(io)?;
        result?;
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        let kept = text.trim_end_matches('\n').len();
        text.truncate(kept);
        Ok(text)
    }

    /// Prints a failure that does not stop the run, as the run's own failures are printed.
    pub(super) fn report(&self, e: RunError) {
        stdio::flush();
        match &self.source {
            Some(source) => eprintln!("{}", crate::diag::render(e, source)),
            None => eprintln!("vsh: {e}"),
        }
    }
}

/// The substitutions in the words a statement evaluates itself.
fn own_substs<'a>(kind: &'a StmtKind, out: &mut Vec<&'a Subst>) {
    let mut words: Vec<&Word> = Vec::new();
    match kind {
        StmtKind::Let { value, .. } => words.push(value),
        StmtKind::For { items, .. } => match items {
            ForItems::Range { from, to } => words.extend([from, to]),
            ForItems::List(list) => words.extend(list),
        },
        StmtKind::If { cond, .. } => cond_words(cond, &mut words),
        StmtKind::NetnsBlock { ns, .. }
        | StmtKind::NetnsEnter(ns)
        | StmtKind::Deny(ns)
        | StmtKind::InNetns { ns, .. }
        | StmtKind::Peer(ns)
        | StmtKind::Stats(ns) => words.push(ns),
        StmtKind::Help(topic) => words.extend(topic),
        StmtKind::Netns(cmd) => match cmd {
            NetnsCmd::Add(w) | NetnsCmd::Del(w) | NetnsCmd::Pids(w) => words.push(w),
            NetnsCmd::List => {}
            NetnsCmd::Exec { ns, argv } => {
                words.push(ns);
                words.extend(argv);
            }
            NetnsCmd::Attach { name, pid } => words.extend([name, pid]),
            NetnsCmd::Identify(pid) => words.extend(pid),
        },
        StmtKind::Link(cmd) => match cmd {
            LinkCmd::Show { dev } => words.extend(dev),
            LinkCmd::Add { name, kind, ops } => {
                words.push(name);
                op_words(ops, &mut words);
                match kind {
                    LinkType::Veth {
                        peer,
                        peer_netns,
                        peer_ops,
                        ..
                    } => {
                        words.extend(peer.iter().chain(peer_netns));
                        op_words(peer_ops, &mut words);
                    }
                    LinkType::Other { kind, opts } => {
                        words.push(kind);
                        for (k, v) in opts {
                            words.extend([k, v]);
                        }
                    }
                }
            }
            LinkCmd::Set { dev, ops } => {
                words.push(dev);
                op_words(ops, &mut words);
            }
            LinkCmd::Del { dev } => words.push(dev),
        },
        StmtKind::Addr(cmd) => match cmd {
            AddrCmd::Add { prefix, dev, opts } => {
                words.extend([prefix, dev]);
                words.extend(
                    opts.broadcast
                        .iter()
                        .chain(&opts.label)
                        .chain(&opts.scope)
                        .chain(&opts.valid_lft)
                        .chain(&opts.preferred_lft),
                );
            }
            AddrCmd::Del { prefix, dev } => words.extend([prefix, dev]),
            AddrCmd::Flush { dev } => words.push(dev),
            AddrCmd::Show { dev, .. } => words.extend(dev),
        },
        StmtKind::Veth { name, peer, netns } => {
            words.extend([name, peer]);
            words.extend(netns);
        }
        StmtKind::Exec { ns, argv } | StmtKind::Spawn { ns, argv } => {
            words.extend(ns);
            words.extend(argv);
        }
        StmtKind::External { argv } | StmtKind::Iproute { argv } => words.extend(argv),
        StmtKind::Ping { opts, dest } => {
            words.extend(opts.iter().filter_map(|o| o.value.as_ref()));
            words.push(dest);
        }
        StmtKind::PingBlock { opts, items } => {
            words.extend(opts.iter().filter_map(|o| o.value.as_ref()));
            // The block's own lines; those a loop generates read its variables, which are
            // not set yet here.
            for item in items {
                match item {
                    PingItem::Line(line) => words.extend([&line.src, &line.dest]),
                    PingItem::Let { value, .. } => words.push(value),
                    PingItem::For { items, .. } => match items {
                        ForItems::Range { from, to } => words.extend([from, to]),
                        ForItems::List(list) => words.extend(list),
                    },
                    PingItem::If { cond, .. } => cond_words(cond, &mut words),
                }
            }
        }
        StmtKind::Capture {
            count, file, dev, ..
        } => {
            words.extend(count.iter().chain(file));
            words.push(dev);
        }
        StmtKind::Kill { pids, .. } | StmtKind::Wait { pids } => words.extend(pids),
        StmtKind::Route(cmd) => match cmd {
            RouteCmd::Show { dev, .. } => words.extend(dev),
            RouteCmd::Add(spec) | RouteCmd::Del(spec) => words.extend(
                spec.dst
                    .iter()
                    .chain(&spec.via)
                    .chain(&spec.dev)
                    .chain(&spec.src)
                    .chain(&spec.metric)
                    .chain(&spec.table)
                    .chain(&spec.proto)
                    .chain(&spec.scope),
            ),
        },
        StmtKind::Bridge(cmd) => match cmd {
            BridgeCmd::Link { dev } => words.extend(dev),
            BridgeCmd::Block { name, items } => {
                words.push(name);
                for item in items {
                    match item {
                        BridgeItem::Port(ports) => words.extend(ports),
                        BridgeItem::Addr(w) => words.push(w),
                    }
                }
            }
        },
        StmtKind::Graph(cmd) => words.extend(cmd.format.iter().chain(&cmd.out)),
        StmtKind::Trace { file, devs, .. } => words.extend(file.iter().chain(devs)),
        StmtKind::Set(opts) => words.extend(opts.iter().map(|o| &o.name)),
        // The show form inside runs its own.
        StmtKind::IpShow { .. } => {}
        StmtKind::Redirected { redirects, .. } => {
            for r in redirects {
                if let RedirectTo::Read(w) | RedirectTo::Write(w) | RedirectTo::Append(w) = &r.to {
                    words.push(w);
                }
            }
        }
        // Their statements run through `stmt`, each with its own.
        StmtKind::Not(_)
        | StmtKind::Build(_)
        | StmtKind::RootBlock(_)
        | StmtKind::Pipeline(_)
        | StmtKind::AndOr { .. } => {}
    }
    for w in words {
        for part in &w.parts {
            if let WordPart::Subst(sub) = part {
                out.push(sub);
            }
        }
    }
}

fn op_words<'a>(ops: &'a [LinkOp], words: &mut Vec<&'a Word>) {
    for op in ops {
        match op {
            LinkOp::Netns(w) | LinkOp::Master(w) | LinkOp::Mtu(w) | LinkOp::Name(w) => {
                words.push(w)
            }
            LinkOp::Up(_) | LinkOp::Down(_) | LinkOp::NoMaster(_) => {}
        }
    }
}

fn cond_words<'a>(cond: &'a Cond, words: &mut Vec<&'a Word>) {
    match cond {
        Cond::Not(inner, _) => cond_words(inner, words),
        Cond::NetnsExists(w) | Cond::LinkExists(w) => words.push(w),
        Cond::Stmt(_) => {}
    }
}
