//! The one entry point both front doors use: parse, check or evaluate, and report.

use crate::diag::{render, Source};
use crate::eval::undo::{Done, Report};
use crate::eval::{check::check_with_notes, journal, Evaluator, RunError};
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
    ev.source = Some(Source::new(source.name.clone(), source.text.clone()));
    ev.set_source(&source.text);
    let result = ev.run(&program);
    // What the run printed comes before its report, and before the REPL's next prompt.
    ev.out.flush();
    match result {
        Ok(()) => Outcome::Success,
        // Stopping on the user's Ctrl-C is not a failure to explain: one line says where.
        Err(RunError::Interrupted { signal, span }) => {
            eprintln!("{}", interrupted_note(signal, span, source));
            Outcome::Interrupted(signal)
        }
        Err(e) => {
            // A ping block's failures are its checks': the JUnit report has them already.
            if !matches!(e, RunError::PingBlock { .. }) {
                ev.failure = Some(e.to_string());
            }
            eprintln!("{}", render(e, source));
            Outcome::Failed
        }
    }
}

/// `vsh: interrupted by SIGINT at script.vnet:4 (sleep 30)`, on a line of its own after the
/// `^C` a terminal echoes.
fn interrupted_note(signal: i32, span: crate::syntax::Span, source: &Source) -> String {
    use std::io::IsTerminal;
    let name = nix::sys::signal::Signal::try_from(signal)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {signal}"));
    let text = source.text.get(span.start..span.end).unwrap_or("");
    let stmt = text.lines().next().unwrap_or("").trim();
    let line = source.text[..span.start.min(source.text.len())]
        .matches('\n')
        .count()
        + 1;
    let fresh_line = if std::io::stderr().is_terminal() {
        "\n"
    } else {
        ""
    };
    format!(
        "{fresh_line}vsh: interrupted by {name} at {}:{line} ({stmt})",
        source.name
    )
}

/// Runs a whole script. When it fails or is interrupted, what it made is undone, newest
/// first, unless `keep` (then `down_hint` says how to remove it later).
pub fn run_script(ev: &mut Evaluator, source: &Source, keep: bool, down_hint: &str) -> Outcome {
    crate::net::interrupt::install();
    let outcome = eval_source(ev, source);
    let made = ev.journal.entries().to_vec();
    if made.is_empty() {
        // Nothing to undo, nothing for `vsh down`.
        ev.journal.close_run(&[]);
        return outcome;
    }
    if matches!(outcome, Outcome::Success | Outcome::Syntax) {
        return outcome;
    }
    if keep {
        eprintln!(
            "vsh: kept what this run made and changed ({} journal entries); undo it with: {down_hint}",
            made.len()
        );
        return outcome;
    }
    eprintln!("vsh: undoing what this run made and changed:");
    // The signal that stopped the run has been dealt with; undo must still wait for the
    // kernel to free the run's names. A second signal stops that wait.
    crate::net::interrupt::clear();
    let report = ev.undo(&made);
    print_report(&report, |line| eprintln!("  {line}"));
    if !report.remaining.is_empty() {
        eprintln!(
            "vsh: {} undo steps failed and remain in the journal; retry with: {down_hint}",
            report.failed()
        );
    }
    ev.journal.close_run(&report.remaining);
    outcome
}

fn print_report(report: &Report, mut print: impl FnMut(&str)) {
    for step in &report.steps {
        match step {
            Done::Undone(line) | Done::Skipped(line) if !line.is_empty() => print(line),
            Done::Undone(_) | Done::Skipped(_) => {}
            Done::Failed(line) => print(&format!("failed: {line}")),
        }
    }
}

/// `vsh down`: undoes what the finished runs journaled in `dir` made and changed, newest run
/// first; a run still going is left alone. Steps that fail stay journaled for the next `down`.
pub fn down(ev: &mut Evaluator, dir: &Path, what: &str) -> i32 {
    let runs = match journal::runs(dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vsh down: cannot read {}: {e}", dir.display());
            return 1;
        }
    };
    let out = ev.out.clone();
    for live in &runs.live {
        out.line(&format!(
            "vsh down: left alone a run of {what} that is still going ({})",
            live.display()
        ));
    }
    let mut failed = 0;
    let mut any = false;
    for run in runs.done {
        any |= !run.entries.is_empty();
        let report = ev.undo(&run.entries);
        print_report(&report, |line| out.line(line));
        failed += report.failed();
        run.finish(&report.remaining);
    }
    if !any && runs.live.is_empty() {
        out.line(&format!("vsh down: nothing to remove for {what}"));
    }
    if failed > 0 {
        out.line(&format!(
            "vsh down: {failed} steps failed and remain in the journal; run vsh down again to retry"
        ));
        return 1;
    }
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
    let (problems, notes) = check_with_notes(&program);
    for note in notes {
        eprintln!("{}", render(note, source));
    }
    // Some problems are notes too (an address without a prefix): said, but not a failure.
    let failed = problems.iter().any(|p| !p.is_note());
    for p in problems {
        eprintln!("{}", render(p, source));
    }
    if failed {
        Outcome::Failed
    } else {
        Outcome::Success
    }
}
