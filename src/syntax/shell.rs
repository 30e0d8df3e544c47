//! The shell's operators around statements, grouped by sh's precedence: a redirection binds
//! to the statement before it, `|` joins statements into a pipeline, and `&&` / `||` join
//! pipelines left to right. The grammar hands them over as one flat run (its rules are silent
//! so that a plain statement costs no extra pair); this turns the run into statements.

use super::ast::*;
use super::parser::{next, parse_stmt, parse_word, Cx, Rule};
use pest::iterators::Pair;

/// One element of the flat run the grammar produces.
// Items are moved straight into place: boxing the statement would cost an allocation each.
#[allow(clippy::large_enum_variant)]
pub(super) enum Item {
    Stmt(Stmt),
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
                g.stage = Some((s, Vec::new()));
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
        match self.pipe.len() {
            0 => {}
            // The common case, a statement alone: the vector keeps its room for the next.
            1 => self.chain.extend(self.pipe.pop()),
            _ => {
                let stages = std::mem::take(&mut self.pipe);
                let span = stages[0].span.to(stages[stages.len() - 1].span);
                self.chain.push(Stmt {
                    kind: StmtKind::Pipeline(stages),
                    span,
                });
            }
        }
    }

    fn flush(&mut self) {
        // The common case, a statement alone: straight out, one move of it fewer.
        if self.pipe.is_empty() && self.chain.is_empty() {
            if let Some((stmt, _)) = self.stage.take_if(|(_, r)| r.is_empty()) {
                self.out.push(stmt);
                return;
            }
        }
        self.end_stage();
        self.end_pipeline();
        if self.ops.is_empty() {
            // No `&&` or `||`: at most one pipeline.
            self.out.extend(self.chain.pop());
            return;
        }
        let mut pipelines = std::mem::take(&mut self.chain).into_iter();
        let ops = std::mem::take(&mut self.ops);
        let Some(first) = pipelines.next() else {
            return;
        };
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

// From pest pairs: the operators, redirections and `set` options the grammar hands over.

/// Statements, redirections and operators in a flat run, grouped as sh groups them.
pub(super) fn group_stmts<'a>(cx: Cx, pairs: impl Iterator<Item = Pair<'a, Rule>>) -> Vec<Stmt> {
    group(pairs.map(|p| match (p.as_rule(), p.as_str()) {
        (Rule::chain_op, "&&") => Item::AndOr(AndOr::And),
        (Rule::chain_op, "||") => Item::AndOr(AndOr::Or),
        (Rule::chain_op | Rule::pipe_op, _) => Item::Pipe,
        (Rule::redirect, _) => Item::Redirect(parse_redirect(cx, p)),
        _ => Item::Stmt(parse_stmt(cx, p)),
    }))
}

/// `> FILE`, `2>> FILE`, `< FILE`, `2>&1`; `&> FILE` is `> FILE 2>&1`.
fn parse_redirect(cx: Cx, pair: Pair<Rule>) -> Vec<Redirect> {
    let sp = cx.span(&pair);
    let fd_of = |t: &str, default| {
        t.chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .map_or(default, |d| d as i32)
    };
    let mut inner = pair.into_inner();
    let op = next(&mut inner).as_str().to_string();
    let target = next(&mut inner);
    let (fd, to) = if target.as_rule() == Rule::redir_fd {
        (fd_of(&op, 1), RedirectTo::Dup(fd_of(target.as_str(), 1)))
    } else {
        let file = parse_word(cx, target);
        if op.ends_with(">>") {
            (fd_of(&op, 1), RedirectTo::Append(file))
        } else if op.ends_with('>') {
            (fd_of(&op, 1), RedirectTo::Write(file))
        } else {
            (fd_of(&op, 0), RedirectTo::Read(file))
        }
    };
    let mut redirects = vec![Redirect { fd, to, span: sp }];
    if op.starts_with('&') {
        redirects.push(Redirect {
            fd: 2,
            to: RedirectTo::Dup(1),
            span: sp,
        });
    }
    redirects
}

/// `-eu` (one option a letter), `-o pipefail`, or both: `-euo pipefail`.
pub(super) fn parse_set_opt(cx: Cx, pair: Pair<Rule>) -> Vec<SetOpt> {
    let sp = cx.span(&pair);
    let mut inner = pair.into_inner();
    let flags = next(&mut inner);
    let text = flags.as_str();
    let on = text.starts_with('-');
    let named = inner.next().map(|p| parse_word(cx, p));
    let letters = match named {
        Some(_) => &text[1..text.len() - 1],
        None => &text[1..],
    };
    let mut opts: Vec<SetOpt> = letters
        .chars()
        .map(|c| {
            let name = match c {
                'e' => "errexit".to_string(),
                'u' => "nounset".to_string(),
                other => other.to_string(),
            };
            SetOpt {
                on,
                name: Word {
                    parts: vec![WordPart::Lit(name)],
                    span: sp,
                },
                span: sp,
            }
        })
        .collect();
    opts.extend(named.map(|name| SetOpt { on, name, span: sp }));
    opts
}
