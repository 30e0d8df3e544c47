//! `help` and `help NAME`, from the one table of builtins.

use super::error::{Result, RunError};
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
        let name = self.word(w)?;
        match builtins::find(&name) {
            Some(b) => {
                let out = &self.out;
                out.line(&format!("{}: {}", b.name, b.summary));
                out.line("usage:");
                for u in b.usage {
                    out.line(&format!("  {u}"));
                }
                if !b.examples.is_empty() {
                    out.line("examples:");
                    for e in b.examples {
                        out.line(&format!("  {e}"));
                    }
                }
                Ok(())
            }
            None => Err(RunError::BadValue {
                text: name,
                expected: "a builtin (`help` lists them)",
                span: w.span,
            }),
        }
    }
}
