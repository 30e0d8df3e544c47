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
        let result = self.on_fd1(|ev| ev.stmts(stmts).and_then(|()| ev.settle()));
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
        self.out.flush();
        stdio::flush();
        match &self.source {
            Some(source) => eprintln!("{}", crate::diag::render(e, source)),
            None => eprintln!("vsh: {e}"),
        }
    }
}

/// The substitutions in the words a statement evaluates itself.
fn own_substs<'a>(kind: &'a StmtKind, out: &mut Vec<&'a Subst>) {
    for w in crate::syntax::own_words(kind) {
        for part in &w.parts {
            if let WordPart::Subst(sub) = part {
                out.push(sub);
            }
        }
    }
}
