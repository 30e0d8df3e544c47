//! Words, variables and `${ }` arithmetic.

use super::*;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::OnceLock;

pub(super) fn parse_ident(cx: Cx, pair: Pair<Rule>) -> Ident {
    Ident {
        span: cx.span(&pair),
        name: pair.as_str().to_string(),
    }
}

pub(in crate::syntax) fn parse_word(cx: Cx, pair: Pair<Rule>) -> Word {
    parse_word_parts(cx, pair)
}

/// A word, or a range end: the children are literals, variables, `${ }` and strings.
pub(super) fn parse_word_parts(cx: Cx, pair: Pair<Rule>) -> Word {
    let sp = cx.span(&pair);
    let mut parts = Vec::new();
    push_parts(cx, pair, &mut parts);
    Word { parts, span: sp }
}

pub(super) fn push_parts(cx: Cx, pair: Pair<Rule>, parts: &mut Vec<WordPart>) {
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::lit => push_lit(parts, &unescape(p.as_str())),
            Rule::number | Rule::dq_text | Rule::sq_text => push_lit(parts, p.as_str()),
            Rule::dq_escape => push_lit(parts, &unescape(p.as_str())),
            Rule::var => parts.push(WordPart::Var(parse_var(cx, p))),
            Rule::interp => parts.push(WordPart::Expr(parse_expr(cx, next(&mut p.into_inner())))),
            Rule::subst => parts.push(WordPart::Subst(Subst {
                span: cx.span(&p),
                stmts: parse_stmts(cx, next(&mut p.into_inner())),
            })),
            Rule::dq_string | Rule::sq_string => {
                // An empty string is still a word: `""`.
                push_lit(parts, "");
                push_parts(cx, p, parts);
            }
            r => unreachable_rule(r),
        }
    }
}

pub(super) fn push_lit(parts: &mut Vec<WordPart>, text: &str) {
    if let Some(WordPart::Lit(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(WordPart::Lit(text.to_string()));
    }
}

/// `\x` stands for `x`, as in a shell.
pub(super) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub(super) fn parse_var(cx: Cx, pair: Pair<Rule>) -> Var {
    let sp = cx.span(&pair);
    Var {
        name: pair.as_str().trim_start_matches('$').to_string(),
        span: sp,
    }
}

pub(super) fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left)
                | Op::infix(Rule::div, Assoc::Left)
                | Op::infix(Rule::rem, Assoc::Left))
            .op(Op::prefix(Rule::neg))
    })
}

pub(super) fn parse_expr(cx: Cx, pair: Pair<Rule>) -> Expr {
    pratt()
        .map_primary(|p| {
            let sp = cx.span(&p);
            match p.as_rule() {
                // Digits only, so the one failure is a number too large for i64.
                Rule::number => p
                    .as_str()
                    .parse()
                    .map(|n| Expr::Num(n, sp))
                    .unwrap_or(Expr::Num(i64::MAX, sp)),
                Rule::var => Expr::Var(parse_var(cx, p)),
                Rule::ident => Expr::Var(Var {
                    name: p.as_str().to_string(),
                    span: sp,
                }),
                Rule::expr => parse_expr(cx, p),
                r => unreachable_rule(r),
            }
        })
        .map_prefix(|op, rhs| {
            let sp = cx.span(&op).to(rhs.span());
            Expr::Neg(Box::new(rhs), sp)
        })
        .map_infix(|lhs, op, rhs| {
            let sp = lhs.span().to(rhs.span());
            let op = match op.as_rule() {
                Rule::add => BinOp::Add,
                Rule::sub => BinOp::Sub,
                Rule::mul => BinOp::Mul,
                Rule::div => BinOp::Div,
                _ => BinOp::Rem,
            };
            Expr::Bin(Box::new(lhs), op, Box::new(rhs), sp)
        })
        .parse(pair.into_inner())
}
