//! External programs: a line that is not a builtin, `exec ...`, `netns exec ...`, and the
//! start of `spawn`.

use super::error::{Result, RunError};
use super::netns::fail;
use super::Evaluator;
use crate::builtins;
use crate::net::exec::Waited;
use crate::net::{exec, NetError, Ns};
use crate::syntax::ast::Word;
use crate::syntax::Span;
use std::process::Child;

impl Evaluator {
    /// A command line that is not a builtin: a program in the current namespace.
    pub(super) fn external(&mut self, argv: &[Word], span: Span) -> Result<()> {
        let ns = self.ns.clone();
        self.run_program(&ns, argv, span)
    }

    /// `exec [-n NS] PROG ARGS`, or `exec NS PROG ARGS` when NS names a namespace.
    pub(super) fn exec(&mut self, ns: Option<&Word>, argv: &[Word], span: Span) -> Result<()> {
        let (ns, argv) = self.program_ns(ns, argv)?;
        self.run_program(&ns, argv, span)
    }

    /// Where `exec` and `spawn` run a program: `-n NS`, a first word naming a namespace
    /// (with more words after it), or the current namespace.
    pub(super) fn program_ns<'a>(
        &mut self,
        ns: Option<&Word>,
        argv: &'a [Word],
    ) -> Result<(Ns, &'a [Word])> {
        if let Some(w) = ns {
            return Ok((self.ns_ref(w, false)?, argv));
        }
        if argv.len() > 1 {
            let first = self.word(&argv[0])?;
            if first == "root" || (!first.contains('/') && self.net.exists(&first)) {
                return Ok((self.ns_ref(&argv[0], false)?, &argv[1..]));
            }
        }
        Ok((self.ns.clone(), argv))
    }

    /// Runs a program inside `ns` with `ip netns exec` semantics; its exit status is the
    /// statement's.
    pub(super) fn run_program(&mut self, ns: &Ns, argv: &[Word], span: Span) -> Result<()> {
        let (program, mut child) = self.start(ns, argv, span)?;
        let result = exec::wait(&mut child);
        // Stopped by SIGINT or SIGTERM sent to us: the run is interrupted, not the program.
        if let Some(signal) = crate::net::interrupt::pending() {
            return Err(RunError::Interrupted { signal, span });
        }
        match result {
            Ok(Waited::Interrupted(signal)) => Err(RunError::Interrupted { signal, span }),
            Ok(Waited::Exited(0)) => Ok(()),
            Ok(Waited::Exited(code)) => Err(RunError::ProgramFailed {
                program,
                code,
                span,
            }),
            Err(e) => Err(fail(format!("cannot run {program}"), span)(e)),
        }
    }

    /// Starts a program inside `ns` without waiting; returns its name and process.
    pub(super) fn start(&mut self, ns: &Ns, argv: &[Word], span: Span) -> Result<(String, Child)> {
        let args = self.words(argv)?;
        let program = args.first().cloned().unwrap_or_default();
        // Our own buffered output must come before the program's.
        self.out.flush();
        crate::net::stdio::flush();
        let child = match ns {
            Ns::Root => exec::spawn(None, &args),
            Ns::Named(name) => {
                let fd = self.ns_fd(ns, span)?;
                exec::spawn(Some((std::os::fd::AsFd::as_fd(&fd), name.as_str())), &args)
            }
        };
        match child {
            Ok(child) => Ok((program, child)),
            Err(NetError::Spawn { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                let help =
                    builtins::nearest(&program).map(|b| format!("did you mean the builtin `{b}`?"));
                Err(RunError::ProgramNotFound {
                    program,
                    span: argv.first().map_or(span, |w| w.span),
                    help,
                })
            }
            Err(e) => Err(fail(format!("cannot run {program}"), span)(e)),
        }
    }
}
