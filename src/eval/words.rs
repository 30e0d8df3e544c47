//! Words to values: interpolation, `${ }` arithmetic, and the validated values builtins take.

use super::error::{Result, RunError};
use super::resolve;
use super::Evaluator;
use crate::net::addr::Prefix;
use crate::syntax::ast::{BinOp, Expr, Var, Word, WordPart};
use crate::syntax::Span;

impl Evaluator {
    /// The text of a word, with its variables and expressions filled in.
    pub fn word(&self, w: &Word) -> Result<String> {
        let mut out = String::new();
        for part in &w.parts {
            match part {
                WordPart::Lit(s) => out.push_str(s),
                WordPart::Var(v) => out.push_str(&self.var(v)?),
                WordPart::Expr(e) => out.push_str(&self.expr(e)?.to_string()),
                WordPart::Subst(sub) => out.push_str(self.subst_output(sub)?),
            }
        }
        Ok(out)
    }

    pub fn words(&self, ws: &[Word]) -> Result<Vec<String>> {
        ws.iter().map(|w| self.word(w)).collect()
    }

    fn var(&self, v: &Var) -> Result<String> {
        if v.name == "?" {
            return Ok(self.status.to_string());
        }
        if v.name == "!" {
            return self
                .jobs
                .last
                .map(|pid| pid.to_string())
                .ok_or_else(|| RunError::Undefined {
                    name: v.name.clone(),
                    span: v.span,
                    help: Some("`$!` is the pid of the last `spawn`: spawn a program first".into()),
                });
        }
        if let Ok(n) = v.name.parse::<usize>() {
            if n == 0 {
                return Ok(self.script_name.clone());
            }
            return self
                .args
                .get(n - 1)
                .cloned()
                .ok_or_else(|| RunError::Undefined {
                    name: v.name.clone(),
                    span: v.span,
                    help: Some(format!(
                        "the script was given {} argument(s): vsh SCRIPT ARG1 ARG2 ...",
                        self.args.len()
                    )),
                });
        }
        self.vars
            .get(&v.name)
            .cloned()
            .ok_or_else(|| RunError::Undefined {
                name: v.name.clone(),
                span: v.span,
                help: Some(format!("set it first: let {} = ...", v.name)),
            })
    }

    pub fn expr(&self, e: &Expr) -> Result<i64> {
        let overflow = |span| RunError::Arithmetic {
            what: "arithmetic overflow",
            span,
        };
        match e {
            Expr::Num(n, span) if *n == i64::MAX => Err(overflow(*span)),
            Expr::Num(n, _) => Ok(*n),
            Expr::Var(v) => {
                let text = self.var(v)?;
                text.trim().parse().map_err(|_| RunError::BadValue {
                    text,
                    expected: "an integer",
                    span: v.span,
                })
            }
            Expr::Neg(inner, span) => self.expr(inner)?.checked_neg().ok_or(overflow(*span)),
            Expr::Bin(lhs, op, rhs, span) => {
                let (a, b) = (self.expr(lhs)?, self.expr(rhs)?);
                if matches!(op, BinOp::Div | BinOp::Rem) && b == 0 {
                    return Err(RunError::Arithmetic {
                        what: "division by zero",
                        span: *span,
                    });
                }
                match op {
                    BinOp::Add => a.checked_add(b),
                    BinOp::Sub => a.checked_sub(b),
                    BinOp::Mul => a.checked_mul(b),
                    BinOp::Div => a.checked_div(b),
                    BinOp::Rem => a.checked_rem(b),
                }
                .ok_or(overflow(*span))
            }
        }
    }

    /// An interface name, by the rules of `resolve::ifname`.
    pub fn ifname(&self, w: &Word) -> Result<String> {
        Ok(resolve::ifname(self, w)?.take()?.into_string())
    }

    /// A namespace name, by the rules of `resolve::netns`.
    pub fn netns_name(&self, w: &Word) -> Result<String> {
        Ok(resolve::netns(self, w)?.take()?.into_string())
    }

    pub fn prefix(&self, w: &Word) -> Result<Prefix> {
        resolve::prefix(self, w)?.take()
    }

    pub fn number<T: std::str::FromStr>(&self, w: &Word, expected: &'static str) -> Result<T> {
        resolve::number(self, w, expected)?.take()
    }
}

pub fn parse_prefix(text: &str, span: Span) -> Result<Prefix> {
    text.parse()
        .map_err(|e: crate::net::addr::PrefixError| RunError::BadPrefix {
            text: text.to_string(),
            reason: e.to_string(),
            span,
        })
}
