//! The one entry point both front doors use: parse, check or evaluate, and report.

use crate::diag::{render, Source};
use crate::eval::{check::check, Evaluator, RunError};
use crate::syntax::parse;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// A statement failed.
    Failed,
    /// The text did not parse; nothing ran.
    Syntax,
    /// SIGINT or SIGTERM stopped the run.
    Interrupted(i32),
}

impl Outcome {
    /// The exit status: 0, 1, 2, or 128 + the signal.
    pub fn code(self) -> i32 {
        match self {
            Outcome::Success => 0,
            Outcome::Failed => 1,
            Outcome::Syntax => 2,
            Outcome::Interrupted(signal) => 128 + signal,
        }
    }
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
            let outcome = match e {
                RunError::Interrupted { signal, .. } => Outcome::Interrupted(signal),
                _ => Outcome::Failed,
            };
            eprintln!("{}", render(e, source));
            outcome
        }
    }
}

/// Runs a whole script. When it fails or is interrupted, what it made is undone, newest
/// first, unless `keep` (then `down_hint` says how to remove it later).
pub fn run_script(ev: &mut Evaluator, source: &Source, keep: bool, down_hint: &str) -> Outcome {
    crate::net::interrupt::install();
    let outcome = eval_source(ev, source);
    if matches!(outcome, Outcome::Success | Outcome::Syntax) {
        return outcome;
    }
    let made = ev.journal.this_run();
    if made.is_empty() {
        return outcome;
    }
    if keep {
        eprintln!(
            "vsh: kept what this run made ({} objects); remove it with: {down_hint}",
            made.len()
        );
        return outcome;
    }
    eprintln!("vsh: undoing what this run made:");
    let oldest_first: Vec<_> = made.into_iter().rev().collect();
    for line in ev.undo(&oldest_first) {
        eprintln!("  {line}");
    }
    ev.journal.close_run();
    outcome
}

/// `vsh down`: removes what the journal's runs made, newest first, and empties it.
pub fn down(ev: &mut Evaluator, what: &str) -> i32 {
    let entries = ev.journal.all();
    if entries.is_empty() {
        println!("vsh down: nothing to remove for {what}");
        return 0;
    }
    let oldest_first: Vec<_> = entries.into_iter().rev().collect();
    for line in ev.undo(&oldest_first) {
        println!("{line}");
    }
    ev.journal.clear();
    0
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
