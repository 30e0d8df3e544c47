//! Words to values: interpolation, `${ }` arithmetic, and the validated values builtins take.

use super::error::{Result, RunError};
use super::Evaluator;
use crate::net::addr::Prefix;
use crate::net::names::{self, NameKind};
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

    pub fn ifname(&self, w: &Word) -> Result<String> {
        let name = self.word(w)?;
        check_ifname(&name, w.span)?;
        Ok(name)
    }

    pub fn netns_name(&self, w: &Word) -> Result<String> {
        let name = self.word(w)?;
        check_netns_name(&name, w.span)?;
        Ok(name)
    }

    pub fn prefix(&self, w: &Word) -> Result<Prefix> {
        parse_prefix(&self.word(w)?, w.span)
    }

    pub fn number<T: std::str::FromStr>(&self, w: &Word, expected: &'static str) -> Result<T> {
        let text = self.word(w)?;
        text.parse().map_err(|_| RunError::BadValue {
            text,
            expected,
            span: w.span,
        })
    }
}

/// Interface names the kernel would refuse, refused here with a reason.
pub fn check_ifname(name: &str, span: Span) -> Result<()> {
    check_name(NameKind::Interface, name, span)
}

/// Namespace names are file names under /run/netns.
pub fn check_netns_name(name: &str, span: Span) -> Result<()> {
    check_name(NameKind::Netns, name, span)
}

/// A name that breaks the rules of `crate::net::names`, refused at its word.
fn check_name(kind: NameKind, name: &str, span: Span) -> Result<()> {
    match names::problem(kind, name) {
        None => Ok(()),
        Some(reason) => Err(RunError::BadName {
            kind,
            name: name.to_string(),
            reason,
            span,
        }),
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

/// `for i in 1..x`: a range whose ends are not integers.
pub fn not_a_range(w: &Word) -> Result<()> {
    Err(RunError::BadValue {
        text: w.literal().unwrap_or_default(),
        expected: "a range of integers (A..B)",
        span: w.span,
    })
}

/// What `deny` can forbid: only `host-moves` so far.
pub fn deny_target(text: &str, span: Span) -> Result<()> {
    if text == "host-moves" {
        return Ok(());
    }
    Err(RunError::BadValue {
        text: text.to_string(),
        expected: "something `deny` forbids (host-moves)",
        span,
    })
}
