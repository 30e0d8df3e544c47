//! The language's own statements around the commands: `let`, `for`, `if` and `!`.

use super::error::{Result, RunError};
use super::Evaluator;
use crate::syntax::ast::{Block, Cond, ForItems, Ident, Stmt, Word};

impl Evaluator {
    /// `let NAME = WORD`.
    pub(super) fn let_var(&mut self, name: &Ident, value: &Word) -> Result<()> {
        let value = self.word(value)?;
        self.vars.insert(name.name.clone(), value);
        Ok(())
    }

    /// `for VAR in ITEMS { BODY }`.
    pub(super) fn for_loop(&mut self, var: &Ident, items: &ForItems, body: &Block) -> Result<()> {
        for value in self.for_values(items)? {
            self.vars.insert(var.name.clone(), value);
            self.block(body)?;
        }
        Ok(())
    }

    /// `if COND { THEN } else { OTHERWISE }`.
    pub(super) fn if_stmt(
        &mut self,
        cond: &Cond,
        then: &Block,
        otherwise: Option<&Block>,
    ) -> Result<()> {
        if self.cond(cond)? {
            self.block(then)
        } else if let Some(b) = otherwise {
            self.block(b)
        } else {
            Ok(())
        }
    }

    /// `! STMT`: succeeds exactly when STMT fails; an interrupt stays one.
    pub(super) fn not_stmt(&mut self, inner: &Stmt) -> Result<()> {
        match self.stmt(inner).and_then(|()| self.settle()) {
            Err(e @ RunError::Interrupted { .. }) => Err(e),
            Ok(()) => Err(RunError::NotFailed { span: inner.span }),
            Err(e) => {
                self.negated_failure(inner, &e);
                Ok(())
            }
        }
    }
}
