//! `ip -j link`, `ip -br -c addr`, `bridge -j link`: a show form run with iproute2's output
//! options, which the listings read while it runs (show.rs).

use super::show::Shown;
use super::{Evaluator, Result};
use crate::syntax::ast::{OutputOpts, Stmt, Word};
use crate::syntax::Span;

impl Evaluator {
    pub(super) fn ip_show(&mut self, opts: OutputOpts, argv: &[Word], cmd: &Stmt) -> Result<()> {
        let shown = Shown {
            opts,
            argv: argv.to_vec(),
            ns: self.ns.clone(),
        };
        let saved = self.shown.replace(shown);
        let result = self.stmt(cmd);
        self.shown = saved;
        result
    }

    /// The line as written, run by the real program where it was written: for what vsh
    /// cannot print as iproute2 does (`ip -d link` of a kind whose parameters it does not
    /// read).
    pub(super) fn real_program(&mut self, span: Span) -> Result<()> {
        match self.shown.clone() {
            Some(shown) => self.run_program(&shown.ns, &shown.argv, span),
            None => Ok(()),
        }
    }

    /// The output options of the line being run; iproute2's defaults outside one.
    pub(super) fn output_opts(&self) -> OutputOpts {
        self.shown.as_ref().map(|s| s.opts).unwrap_or_default()
    }
}
