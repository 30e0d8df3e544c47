//! The one entry point both front doors use: parse, check or evaluate, and report.

use crate::diag::{render, Source};
use crate::eval::{check::check, journal, Evaluator, RunError};
use crate::syntax::parse;
use std::path::Path;

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
            ev.failure = Some(e.to_string());
            eprintln!("{}", render(e, source));
            return Outcome::Syntax;
        }
    };
    ev.set_source(&source.text);
    match ev.run(&program) {
        Ok(()) => Outcome::Success,
        Err(e) => {
            let outcome = match e {
                RunError::Interrupted { signal, .. } => Outcome::Interrupted(signal),
                _ => Outcome::Failed,
            };
            // A ping block's failures are its checks': the JUnit report has them already.
            if !matches!(e, RunError::PingBlock { .. }) {
                ev.failure = Some(e.to_string());
            }
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
    let made = ev.journal.entries().to_vec();
    if made.is_empty() {
        // Nothing to undo, nothing for `vsh down`.
        ev.journal.close_run();
        return outcome;
    }
    if matches!(outcome, Outcome::Success | Outcome::Syntax) {
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
    for line in ev.undo(&made) {
        eprintln!("  {line}");
    }
    ev.journal.close_run();
    outcome
}

/// `vsh down`: removes what the runs journaled in `dir` made and did not undo, newest first,
/// and forgets them.
pub fn down(ev: &mut Evaluator, dir: &Path, what: &str) -> i32 {
    let entries = match journal::read_all(dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("vsh down: cannot read {}: {e}", dir.display());
            return 1;
        }
    };
    if entries.is_empty() {
        println!("vsh down: nothing to remove for {what}");
        journal::remove_all(dir);
        return 0;
    }
    for line in ev.undo(&entries) {
        println!("{line}");
    }
    journal::remove_all(dir);
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
