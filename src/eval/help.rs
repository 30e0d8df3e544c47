//! `help` and `help NAME`, from the one table of builtins.

use super::error::Result;
use super::Evaluator;
use crate::builtins::{self, BUILTINS};
use crate::syntax::ast::Word;

impl Evaluator {
    pub(super) fn help(&mut self, topic: Option<&Word>) -> Result<()> {
        let Some(w) = topic else {
            let out = &self.out;
            out.line("vsh builtins (help NAME for one; any other line runs as a program):");
            for b in BUILTINS {
                out.line(&format!("  {:<8} {}", b.name, b.summary));
            }
            out.line("as in sh: A | B, > FILE, >> FILE, < FILE, 2>&1, A && B, A || B, $( ... ),");
            out.line("          set -o pipefail; `spawn` starts a program in the background");
            return Ok(());
        };
        let b = *super::resolve::help(self, w)?.get()?;
        let out = &self.out;
        out.line(&format!("{}: {}", b.name, b.summary));
        out.line("usage:");
        for line in builtins::help_lines(b) {
            out.line(&format!("  {line}"));
        }
        if !b.examples.is_empty() {
            out.line("examples:");
            for e in b.examples {
                out.line(&format!("  {e}"));
            }
        }
        Ok(())
    }
}
