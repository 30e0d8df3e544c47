//! `spawn`, `kill`, `wait`: programs in the background, so a script can keep a namespace
//! alive with a process, pin it, and stop what it started.

use super::error::{Result, RunError};
use super::netns::fail;
use super::Evaluator;
use crate::net::{exec, NetError, Ns};
use crate::syntax::ast::Word;
use crate::syntax::Span;
use std::io::Write;
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
        let (ns, argv) = match ns {
            Some(w) => (self.ns_ref(w, false)?, argv),
            None => {
                let first = self.word(&argv[0])?;
                if argv.len() > 1
                    && (first == "root" || (!first.contains('/') && self.net.exists(&first)))
                {
                    (self.ns_ref(&argv[0], false)?, &argv[1..])
                } else {
                    (self.ns.clone(), argv)
                }
            }
        };
        let args = self.words(argv)?;
        let _ = std::io::stdout().flush();
        let child = match &ns {
            Ns::Root => exec::spawn(None, &args),
            Ns::Named(name) => {
                let fd = self.ns_fd(&ns, span)?;
                exec::spawn(Some((std::os::fd::AsFd::as_fd(&fd), name.as_str())), &args)
            }
        };
        let program = args.first().cloned().unwrap_or_default();
        let child = child.map_err(|e| match e {
            NetError::Spawn { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                RunError::ProgramNotFound {
                    program: program.clone(),
                    span: argv.first().map_or(span, |w| w.span),
                    help: None,
                }
            }
            e => fail(format!("cannot start {program}"), span)(e),
        })?;
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
        let sig = match signal {
            None => libc::SIGTERM,
            Some((name, sp)) => parse_signal(name).ok_or_else(|| RunError::BadValue {
                text: name.clone(),
                expected: "a signal (TERM, INT, KILL, HUP, USR1, ... or a number)",
                span: *sp,
            })?,
        };
        for pid in self.pids(pids, span)? {
            exec::signal(pid, sig).map_err(fail(format!("cannot signal process {pid}"), span))?;
        }
        Ok(())
    }

    /// `wait [PID...]`: with pids, their exit status is the statement's (the last one's);
    /// without, every spawned program is reaped and the statement succeeds, as in sh.
    pub(super) fn wait(&mut self, pids: &[Word], span: Span) -> Result<()> {
        if pids.is_empty() {
            for mut child in std::mem::take(&mut self.jobs.children) {
                let _ = child.wait();
            }
            return Ok(());
        }
        let mut last = 0;
        for (w, pid) in pids.iter().zip(self.pids(pids, span)?) {
            let Some(at) = self.jobs.children.iter().position(|c| c.id() == pid) else {
                return Err(RunError::NotAChild {
                    pid: pid as i32,
                    span: w.span,
                });
            };
            let mut child = self.jobs.children.remove(at);
            let status = child.wait().map_err(|e| {
                fail(format!("cannot wait for {pid}"), span)(NetError::io("waitpid", &e))
            })?;
            last = exec::exit_code(status);
        }
        if last != 0 {
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
        pids.iter()
            .map(|w| self.number(w, "a process id"))
            .collect()
    }
}

/// `TERM`, `SIGTERM`, `term` or `15`.
fn parse_signal(name: &str) -> Option<i32> {
    if let Ok(n) = name.parse::<i32>() {
        return (0..65).contains(&n).then_some(n);
    }
    let upper = name.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    Some(match bare {
        "HUP" => libc::SIGHUP,
        "INT" => libc::SIGINT,
        "QUIT" => libc::SIGQUIT,
        "KILL" => libc::SIGKILL,
        "USR1" => libc::SIGUSR1,
        "USR2" => libc::SIGUSR2,
        "TERM" => libc::SIGTERM,
        "CONT" => libc::SIGCONT,
        "STOP" => libc::SIGSTOP,
        _ => return None,
    })
}
