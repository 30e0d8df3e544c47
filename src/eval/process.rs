//! `spawn`, `kill`, `wait`: programs in the background, so a script can keep a namespace
//! alive with a process, pin it, and stop what it started.

use super::error::{Result, RunError};
use super::netns::fail;
use super::resolve;
use super::Evaluator;
use crate::net::exec::{self, Waited};
use crate::syntax::ast::Word;
use crate::syntax::Span;
use std::process::Child;

/// The programs `spawn` started and has not reaped yet, and `$!`.
#[derive(Default)]
pub struct Jobs {
    children: Vec<Child>,
    /// `$!`: the pid of the last spawned program.
    pub last: Option<u32>,
}

impl Evaluator {
    /// `spawn [-n NS] PROG ARGS` or `spawn NS PROG ARGS` (NS a namespace, as for `exec`).
    pub(super) fn spawn(&mut self, ns: Option<&Word>, argv: &[Word], span: Span) -> Result<()> {
        let (ns, argv) = self.program_ns(ns, argv)?;
        let (_, child) = self.start(&ns, argv, span)?;
        self.jobs.last = Some(child.id());
        self.jobs.children.push(child);
        Ok(())
    }

    /// `kill [-SIGNAL] [PID...]`: SIGTERM to `$!` unless told otherwise.
    pub(super) fn kill(
        &mut self,
        signal: Option<&(String, Span)>,
        pids: &[Word],
        span: Span,
    ) -> Result<()> {
        let sig = resolve::signal(signal)?;
        for pid in self.pids(pids, span)? {
            exec::signal(pid, sig).map_err(fail(format!("cannot signal process {pid}"), span))?;
        }
        Ok(())
    }

    /// `wait [PID...]`: with pids, their exit status is the statement's (the last one's);
    /// without, every spawned program is reaped and the statement succeeds, as in sh.
    /// SIGINT or SIGTERM stops the wait and is passed on to every program it waits for.
    pub(super) fn wait(&mut self, pids: &[Word], span: Span) -> Result<()> {
        let all = pids.is_empty();
        let wanted: Vec<u32> = if all {
            self.jobs.children.iter().map(Child::id).collect()
        } else {
            self.pids(pids, span)?
        };
        let mut last = 0;
        for (i, &pid) in wanted.iter().enumerate() {
            let Some(at) = self.jobs.children.iter().position(|c| c.id() == pid) else {
                return Err(RunError::NotAChild {
                    pid: pid as i32,
                    span: pids.get(i).map_or(span, |w| w.span),
                });
            };
            let waited = exec::wait(&mut self.jobs.children[at])
                .map_err(|e| fail(format!("cannot wait for {pid}"), span)(e));
            if !matches!(waited, Ok(Waited::Interrupted(_))) {
                // Reaped, or gone for good: it is no longer a job.
                self.jobs.children.retain(|c| c.id() != pid);
            }
            match waited {
                Ok(Waited::Exited(code)) => last = code,
                Ok(Waited::Interrupted(signal)) => {
                    let others = &wanted[i + 1..];
                    for child in self.jobs.children.iter_mut() {
                        // Only one not reaped yet: its pid is still its own.
                        if others.contains(&child.id()) && matches!(child.try_wait(), Ok(None)) {
                            let _ = exec::signal(child.id(), signal);
                        }
                    }
                    return Err(RunError::Interrupted { signal, span });
                }
                // `wait` alone reaps what it can, as in sh.
                Err(e) if !all => return Err(e),
                Err(_) => {}
            }
        }
        if last != 0 && !all {
            return Err(RunError::ProgramFailed {
                program: format!("process {}", self.word(&pids[pids.len() - 1])?),
                code: last,
                span,
            });
        }
        Ok(())
    }

    /// Pids as words say them; none means `$!`.
    fn pids(&self, pids: &[Word], span: Span) -> Result<Vec<u32>> {
        if pids.is_empty() {
            return match self.jobs.last {
                Some(pid) => Ok(vec![pid]),
                None => Err(RunError::Undefined {
                    name: "!".into(),
                    span,
                    help: Some("start a program first: spawn PROGRAM ARGS...".into()),
                }),
            };
        }
        resolve::pids(self, pids)?
            .into_iter()
            .map(resolve::Val::take)
            .collect()
    }
}
