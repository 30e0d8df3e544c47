//! The shell's forms around statements: pipelines, `&&` / `||`, and redirections.
//!
//! A pipeline's program stages start first, each with descriptors 0 and 1 on its pipes; then
//! the other stages (builtins, blocks) run here in vsh, one after the other, with descriptors
//! 0 and 1 pointed at theirs while they run (stdio.rs). Every stage runs in the namespace
//! current where the pipeline stands; `ip netns exec NS PROG` runs its own stage in NS only.

use super::error::{Result, RunError};
use super::netns::fail;
use super::Evaluator;
use crate::net::exec::Waited;
use crate::net::stdio::{self, Collector, Swapped};
use crate::net::{exec, NetError, Ns};
use crate::syntax::ast::{AndOr, NetnsCmd, Redirect, RedirectTo, SetOpt, Stmt, StmtKind, Word};
use crate::syntax::Span;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::PathBuf;
use std::process::Child;

/// What joins stage i to stage i+1.
enum Link {
    /// An OS pipe: (read end, write end), until each is handed to its stage.
    Pipe(Option<OwnedFd>, Option<OwnedFd>),
    /// Between two stages that run here, one after the other: the first's output is kept and
    /// fed to the second.
    Kept(Option<Collector>),
}

impl Evaluator {
    /// `A | B | C`: the status is the last stage's.
    pub(super) fn pipeline(&mut self, stages: &[Stmt], span: Span) -> Result<()> {
        let programs: Vec<bool> = stages.iter().map(is_program).collect();
        let mut links = Vec::new();
        for i in 1..stages.len() {
            links.push(if programs[i - 1] || programs[i] {
                let (r, w) = stdio::pipe().map_err(io_fail("cannot make a pipe", span))?;
                Link::Pipe(Some(r), Some(w))
            } else {
                Link::Kept(None)
            });
        }
        // Programs first, so that each stage here has its reader and writer running.
        let mut children: Vec<Option<(String, Child)>> = Vec::new();
        for (i, stage) in stages.iter().enumerate() {
            if !programs[i] {
                children.push(None);
                continue;
            }
            match self.with_substs(stage, |ev| ev.start_stage(stage, i, &mut links)) {
                Ok(child) => children.push(Some(child)),
                Err(e) => {
                    // The stages started see their pipes close, and end.
                    drop(links);
                    for (_, mut child) in children.into_iter().flatten() {
                        let _ = exec::wait(&mut child);
                    }
                    return Err(e);
                }
            }
        }
        // A program's output for a stage here that runs after another stage here is kept as
        // it comes: the program must not wait on a full pipe for a reader that is not yet
        // running (in `A | PROGRAM | B`, B runs once A is done).
        if let Some(first_here) = programs.iter().position(|p| !p) {
            for (i, link) in links.iter_mut().enumerate().skip(first_here) {
                if let Link::Pipe(r @ Some(_), None) = link {
                    if programs[i] && !programs[i + 1] {
                        let read = r.take().expect("matched Some");
                        *link = Link::Kept(Some(Collector::start(read)));
                    }
                }
            }
        }
        let mut results: Vec<Option<Result<()>>> = Vec::new();
        let mut relays = Vec::new();
        for (i, stage) in stages.iter().enumerate() {
            if programs[i] {
                results.push(None);
                continue;
            }
            let result = self.run_stage(stage, i, &mut links, &mut relays, span);
            results.push(Some(result));
        }
        drop(links);
        for relay in relays {
            let _ = relay.join();
        }
        self.pipeline_status(stages, children, results, span)
    }

    /// The status of a pipeline whose stages here have run: each program waited for, as in
    /// sh the last stage decides, and under pipefail the rightmost that failed.
    fn pipeline_status(
        &mut self,
        stages: &[Stmt],
        children: Vec<Option<(String, Child)>>,
        mut results: Vec<Option<Result<()>>>,
        span: Span,
    ) -> Result<()> {
        let mut last = Ok(());
        // Under pipefail, the rightmost stage that failed, as bash's pipefail.
        let mut failed = None;
        let mut interrupted = None;
        for (i, child) in children.into_iter().enumerate() {
            let result = match child {
                Some((program, mut child)) => match exec::wait(&mut child) {
                    Ok(Waited::Interrupted(signal)) => Err(RunError::Interrupted {
                        signal,
                        span: stages[i].span,
                    }),
                    Ok(Waited::Exited(0)) => Ok(()),
                    Ok(Waited::Exited(code)) => Err(RunError::ProgramFailed {
                        program,
                        code,
                        span: stages[i].span,
                    }),
                    Err(e) => Err(fail(format!("cannot run {program}"), stages[i].span)(e)),
                },
                None => results[i].take().unwrap_or(Ok(())),
            };
            if i + 1 == stages.len() {
                last = result;
            } else if let Err(e) = result {
                // As in sh, an earlier stage's failure is reported but the last one decides.
                if matches!(e, RunError::Interrupted { .. }) {
                    // The later stages are still waited for: each wait passes the signal on.
                    interrupted.get_or_insert(e);
                    continue;
                }
                if self.pipefail {
                    failed = Some(e);
                } else if !matches!(e, RunError::ProgramFailed { .. }) {
                    self.report(e);
                }
            }
        }
        if let (Ok(()), Some(e)) = (&last, failed) {
            last = Err(e);
        }
        if let Some(e) = interrupted {
            last = Err(e);
        }
        if let Some(signal) = crate::net::interrupt::pending() {
            return Err(RunError::Interrupted { signal, span });
        }
        last
    }

    /// Starts a program stage with its pipes on descriptors 0 and 1.
    fn start_stage(
        &mut self,
        stage: &Stmt,
        i: usize,
        links: &mut [Link],
    ) -> Result<(String, Child)> {
        let (ns, argv) = self.stage_program(stage)?;
        let mut swapped = Swapped::default();
        let input = i.checked_sub(1).and_then(|j| match &mut links[j] {
            Link::Pipe(r, _) => r.take(),
            Link::Kept(_) => None,
        });
        let output = links.get_mut(i).and_then(|l| match l {
            Link::Pipe(_, w) => w.take(),
            Link::Kept(_) => None,
        });
        for (fd, end) in [(0, &input), (1, &output)] {
            if let Some(end) = end {
                swapped
                    .point(fd, end.as_raw_fd())
                    .map_err(io_fail("cannot point a pipe at a program", stage.span))?;
            }
        }
        self.start(&ns, &argv, stage.span)
    }

    /// Where a program stage runs, and its words.
    fn stage_program(&mut self, stage: &Stmt) -> Result<(Ns, Vec<Word>)> {
        match &stage.kind {
            StmtKind::External { argv } => Ok((self.ns.clone(), argv.clone())),
            StmtKind::Exec { ns, argv } => {
                let (ns, argv) = self.program_ns(ns.as_ref(), argv)?;
                Ok((ns, argv.to_vec()))
            }
            StmtKind::Netns(NetnsCmd::Exec { ns, argv }) => {
                Ok((self.ns_ref(ns, false)?, argv.clone()))
            }
            _ => unreachable!("only programs are started as stages"),
        }
    }

    /// Runs a stage here, with descriptors 0 and 1 on its links while it runs.
    fn run_stage(
        &mut self,
        stage: &Stmt,
        i: usize,
        links: &mut [Link],
        relays: &mut Vec<std::thread::JoinHandle<()>>,
        span: Span,
    ) -> Result<()> {
        let why = |what| io_fail(what, span);
        let input = match i.checked_sub(1).map(|j| &mut links[j]) {
            None => None,
            Some(Link::Pipe(r, _)) => r.take(),
            Some(Link::Kept(kept)) => {
                let bytes = match kept.take() {
                    Some(c) => c.finish().map_err(why("cannot read a stage's output"))?,
                    None => Vec::new(),
                };
                Some(stdio::feed(bytes).map_err(why("cannot make a pipe"))?)
            }
        };
        let output = match links.get_mut(i) {
            None => None,
            Some(Link::Pipe(_, w)) => match w.take() {
                Some(w) => {
                    let (write, relay) = stdio::relay(w).map_err(why("cannot make a pipe"))?;
                    relays.push(relay);
                    Some(write)
                }
                None => None,
            },
            Some(Link::Kept(kept)) => {
                let (r, w) = stdio::pipe().map_err(why("cannot make a pipe"))?;
                *kept = Some(Collector::start(r));
                Some(w)
            }
        };
        let mut swapped = Swapped::default();
        for (fd, end) in [(0, &input), (1, &output)] {
            if let Some(end) = end {
                swapped
                    .point(fd, end.as_raw_fd())
                    .map_err(why("cannot point a pipe at a stage"))?;
            }
        }
        let to_pipe = output.is_some();
        drop((input, output));
        let run = |ev: &mut Self| ev.stmt(stage).and_then(|()| ev.settle());
        let result = if to_pipe { self.on_fd1(run) } else { run(self) };
        drop(swapped);
        result
    }

    /// `A && B || C`, left to right. A failure that another statement of the list answers is
    /// an answer, as an `if` condition's is; the list fails when its last statement ran and
    /// failed, as under `sh -e`.
    pub(super) fn and_or(&mut self, first: &Stmt, rest: &[(AndOr, Stmt)]) -> Result<()> {
        let mut result = self.stmt(first).and_then(|()| self.settle());
        let mut last_ran = 0;
        for (i, (op, stmt)) in rest.iter().enumerate() {
            if let Err(e @ RunError::Interrupted { .. }) = result {
                return Err(e);
            }
            let run = match op {
                AndOr::And => result.is_ok(),
                AndOr::Or => result.is_err(),
            };
            if run {
                result = self.stmt(stmt).and_then(|()| self.settle());
                last_ran = i + 1;
            }
        }
        match result {
            Err(e) if last_ran == rest.len() || matches!(e, RunError::Interrupted { .. }) => Err(e),
            Err(e) => {
                self.status = e.status();
                Ok(())
            }
            Ok(()) => {
                self.status = 0;
                Ok(())
            }
        }
    }

    /// `set -e`, `set -u` (vsh's way already), `set [+-]o pipefail`; other options are refused
    /// with what vsh does instead.
    pub(super) fn set_options(&mut self, opts: &[SetOpt]) -> Result<()> {
        for o in super::resolve::set(self, opts)? {
            if let super::resolve::ShellOpt::Pipefail(on) = o.take()? {
                self.pipefail = on;
            }
        }
        Ok(())
    }

    /// `STMT > FILE`, `STMT 2>&1`, ...: applied left to right, undone when it has run.
    pub(super) fn redirected(&mut self, stmt: &Stmt, redirects: &[Redirect]) -> Result<()> {
        let mut swapped = Swapped::default();
        // The files stay open until the statement has run.
        let mut files = Vec::new();
        for r in redirects {
            std_fd(r.fd, r.span)?;
            let target = match &r.to {
                RedirectTo::Dup(to) => std_fd(*to, r.span)?,
                RedirectTo::Read(w) | RedirectTo::Write(w) | RedirectTo::Append(w) => {
                    let path = self.path(w)?;
                    let mut open = std::fs::OpenOptions::new();
                    match &r.to {
                        RedirectTo::Read(_) => open.read(true),
                        RedirectTo::Write(_) => open.write(true).create(true).truncate(true),
                        _ => open.append(true).create(true),
                    };
                    let file = open.open(&path).map_err(|source| RunError::File {
                        path: path.display().to_string(),
                        source,
                        span: w.span,
                    })?;
                    let fd = file.as_raw_fd();
                    files.push(file);
                    fd
                }
            };
            swapped
                .point(r.fd, target)
                .map_err(io_fail("cannot redirect", r.span))?;
        }
        let run = |ev: &mut Self| ev.stmt(stmt).and_then(|()| ev.settle());
        let result = if redirects.iter().any(|r| r.fd == 1) {
            self.on_fd1(run)
        } else {
            run(self)
        };
        drop(swapped);
        result
    }

    /// A path from a word: relative ones are taken from the script's directory (or, for the
    /// REPL and `-c`, the current directory).
    fn path(&self, w: &Word) -> Result<PathBuf> {
        let text = self.word(w)?;
        let path = PathBuf::from(&text);
        Ok(match &self.dir {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path,
        })
    }
}

/// True for the stages that are programs: they start as processes of their own.
fn is_program(stage: &Stmt) -> bool {
    matches!(
        stage.kind,
        StmtKind::External { .. } | StmtKind::Exec { .. } | StmtKind::Netns(NetnsCmd::Exec { .. })
    )
}

/// Redirections change descriptors 0, 1 and 2 only.
fn std_fd(fd: i32, span: Span) -> Result<i32> {
    if (0..=2).contains(&fd) {
        return Ok(fd);
    }
    Err(RunError::BadValue {
        text: fd.to_string(),
        expected: "a standard descriptor (0, 1 or 2)",
        span,
    })
}

fn io_fail(what: &'static str, span: Span) -> impl Fn(std::io::Error) -> RunError {
    move |e| fail(what.to_string(), span)(NetError::io(what, &e))
}
