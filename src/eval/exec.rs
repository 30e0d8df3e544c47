//! External programs: a line that is not a builtin, `exec ...` and `netns exec ...`.

use super::error::{Result, RunError};
use super::netns::fail;
use super::Evaluator;
use crate::builtins;
use crate::net::{exec, NetError, Ns};
use crate::syntax::ast::Word;
use crate::syntax::Span;
use std::io::Write;

impl Evaluator {
    /// A command line that is not a builtin: a program in the current namespace.
    pub(super) fn external(&mut self, argv: &[Word], span: Span) -> Result<()> {
        let ns = self.ns.clone();
        self.run_program(&ns, argv, span)
    }

    /// `exec [-n NS] PROG ARGS`, or `exec NS PROG ARGS` when NS names a namespace.
    pub(super) fn exec(&mut self, ns: Option<&Word>, argv: &[Word], span: Span) -> Result<()> {
        if let Some(w) = ns {
            let ns = self.ns_ref(w, false)?;
            return self.run_program(&ns, argv, span);
        }
        if argv.len() > 1 {
            let first = self.word(&argv[0])?;
            if first == "root" || (!first.contains('/') && self.net.exists(&first)) {
                let ns = self.ns_ref(&argv[0], false)?;
                return self.run_program(&ns, &argv[1..], span);
            }
        }
        let ns = self.ns.clone();
        self.run_program(&ns, argv, span)
    }

    /// Runs a program inside `ns` with `ip netns exec` semantics; its exit status is the
    /// statement's.
    pub(super) fn run_program(&mut self, ns: &Ns, argv: &[Word], span: Span) -> Result<()> {
        let args = self.words(argv)?;
        let program = args.first().cloned().unwrap_or_default();
        // Our own buffered output must come before the program's.
        let _ = std::io::stdout().flush();
        let result = match ns {
            Ns::Root => exec::run(None, &args),
            Ns::Named(name) => {
                let fd = self.ns_fd(ns, span)?;
                exec::run(Some((std::os::fd::AsFd::as_fd(&fd), name.as_str())), &args)
            }
        };
        let prog_span = argv.first().map_or(span, |w| w.span);
        // Stopped by SIGINT or SIGTERM sent to us: the run is interrupted, not the program.
        if let Some(signal) = crate::net::interrupt::pending() {
            return Err(RunError::Interrupted { signal, span });
        }
        match result {
            Ok(0) => Ok(()),
            Ok(code) => Err(RunError::ProgramFailed {
                program,
                code,
                span,
            }),
            Err(NetError::Spawn { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                let help =
                    builtins::nearest(&program).map(|b| format!("did you mean the builtin `{b}`?"));
                Err(RunError::ProgramNotFound {
                    program,
                    span: prog_span,
                    help,
                })
            }
            Err(e) => Err(fail(format!("cannot run {program}"), span)(e)),
        }
    }
}
