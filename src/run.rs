//! The one entry point both front doors use: parse, check or evaluate, and report.

use crate::diag::{render, Source};
use crate::eval::{check::check, Evaluator};
use crate::syntax::parse;

/// How a run ended, as an exit status: 0 success, 1 a statement failed, 2 a syntax error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success = 0,
    Failed = 1,
    Syntax = 2,
}

/// Parses and runs `source` on `ev`'s state, printing any error as a report on stderr.
pub fn eval_source(ev: &mut Evaluator, source: &Source) -> Outcome {
    let program = match parse(&source.text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", render(e, source));
            return Outcome::Syntax;
        }
    };
    match ev.run(&program) {
        Ok(()) => Outcome::Success,
        Err(e) => {
            eprintln!("{}", render(e, source));
            Outcome::Failed
        }
    }
}

/// `vsh --check`: parses and checks `source` without touching the kernel.
pub fn check_source(source: &Source) -> Outcome {
    let program = match parse(&source.text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", render(e, source));
            return Outcome::Syntax;
        }
    };
    let problems = check(&program);
    let failed = !problems.is_empty();
    for p in problems {
        eprintln!("{}", render(p, source));
    }
    if failed {
        Outcome::Failed
    } else {
        Outcome::Success
    }
}
