//! The shell's operators around statements, grouped by sh's precedence: a redirection binds
//! to the statement before it, `|` joins statements into a pipeline, and `&&` / `||` join
//! pipelines left to right. The grammar hands them over as one flat run (its rules are silent
//! so that a plain statement costs no extra pair); this turns the run into statements.

use super::ast::{AndOr, Redirect, Stmt, StmtKind};

/// One element of the flat run the grammar produces.
pub(super) enum Item {
    Stmt(Box<Stmt>),
    Redirect(Vec<Redirect>),
    Pipe,
    AndOr(AndOr),
}

/// The statements a flat run holds.
pub(super) fn group(items: impl IntoIterator<Item = Item>) -> Vec<Stmt> {
    let mut g = Grouper::default();
    for item in items {
        match item {
            // Two statements with no operator between them were separated by `;` or a newline.
            Item::Stmt(s) => {
                if g.stage.is_some() {
                    g.flush();
                }
                g.stage = Some((*s, Vec::new()));
            }
            Item::Redirect(r) => {
                if let Some((_, redirects)) = &mut g.stage {
                    redirects.extend(r);
                }
            }
            Item::Pipe => g.end_stage(),
            Item::AndOr(op) => {
                g.end_stage();
                g.end_pipeline();
                g.ops.push(op);
            }
        }
    }
    g.flush();
    g.out
}

#[derive(Default)]
struct Grouper {
    out: Vec<Stmt>,
    /// The statement under way and the redirections after it.
    stage: Option<(Stmt, Vec<Redirect>)>,
    /// The stages of the pipeline under way.
    pipe: Vec<Stmt>,
    /// The pipelines of the `&&`/`||` list under way, and the operators between them.
    chain: Vec<Stmt>,
    ops: Vec<AndOr>,
}

impl Grouper {
    fn end_stage(&mut self) {
        let Some((stmt, redirects)) = self.stage.take() else {
            return;
        };
        self.pipe.push(match redirects.last() {
            None => stmt,
            Some(last) => Stmt {
                span: stmt.span.to(last.span),
                kind: StmtKind::Redirected {
                    stmt: Box::new(stmt),
                    redirects,
                },
            },
        });
    }

    fn end_pipeline(&mut self) {
        let mut stages = std::mem::take(&mut self.pipe);
        match stages.len() {
            0 => {}
            1 => self.chain.extend(stages.pop()),
            _ => {
                let span = stages[0].span.to(stages[stages.len() - 1].span);
                self.chain.push(Stmt {
                    kind: StmtKind::Pipeline(stages),
                    span,
                });
            }
        }
    }

    fn flush(&mut self) {
        self.end_stage();
        self.end_pipeline();
        let mut pipelines = std::mem::take(&mut self.chain).into_iter();
        let ops = std::mem::take(&mut self.ops);
        let Some(first) = pipelines.next() else {
            return;
        };
        if ops.is_empty() {
            self.out.push(first);
            return;
        }
        let rest: Vec<(AndOr, Stmt)> = ops.into_iter().zip(pipelines).collect();
        let span = rest
            .last()
            .map_or(first.span, |(_, s)| first.span.to(s.span));
        self.out.push(Stmt {
            kind: StmtKind::AndOr {
                first: Box::new(first),
                rest,
            },
            span,
        });
    }
}
