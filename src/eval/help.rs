//! `help` and `help NAME`, from the one table of builtins.

use super::error::Result;
use super::Evaluator;
use crate::builtins::{self, BUILTINS};
use crate::syntax::ast::Word;

impl Evaluator {
    pub(super) fn help(&mut self, topic: Option<&Word>) -> Result<()> {
        let Some(w) = topic else {
            println!("vsh builtins (help NAME for one; any other line runs as a program):");
            for b in BUILTINS {
                println!("  {:<8} {}", b.name, b.summary);
            }
            println!("as in sh: A | B, > FILE, >> FILE, < FILE, 2>&1, A && B, A || B, $( ... ),");
            println!("          set -o pipefail; `spawn` starts a program in the background");
            return Ok(());
        };
        let b = *super::resolve::help(self, w)?.get()?;
        println!("{}: {}", b.name, b.summary);
        println!("usage:");
        for line in builtins::help_lines(b) {
            println!("  {line}");
        }
        if !b.examples.is_empty() {
            println!("examples:");
            for e in b.examples {
                println!("  {e}");
            }
        }
        Ok(())
    }
}
