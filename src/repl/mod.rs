//! The interactive front door: rustyline over the same evaluator and state as a script.

mod complete;
mod helper;

use crate::diag::Source;
use crate::eval::Evaluator;
use crate::net::Ns;
use crate::run::{eval_source, Outcome};
use crate::syntax::parse;
use helper::VshHelper;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

/// Reads statements line by line until Ctrl-D; returns the exit status (that of the last line).
pub fn run(ev: Evaluator) -> i32 {
    let ev = Rc::new(RefCell::new(ev));
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_space(true)
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut rl: Editor<VshHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(rl) => rl,
        Err(e) => {
            eprintln!("vsh: cannot start the line editor: {e}");
            return 2;
        }
    };
    rl.set_helper(Some(VshHelper::new(ev.clone())));
    let history = history_path();
    if let Some(path) = &history {
        let _ = rl.load_history(path);
    }
    crate::net::interrupt::install();
    let mut status = 0;
    loop {
        let prompt = prompt(&ev.borrow().ns);
        let mut entry = match rl.readline(&prompt) {
            Ok(line) => line,
            // Ctrl-C cancels the line being typed.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("vsh: {e}");
                status = 2;
                break;
            }
        };
        // An open `{` or string continues on the next line.
        while incomplete(&entry) {
            match rl.readline("... ") {
                Ok(more) => {
                    entry.push('\n');
                    entry.push_str(&more);
                }
                Err(ReadlineError::Interrupted) => {
                    entry.clear();
                    break;
                }
                Err(_) => break,
            }
        }
        if entry.trim().is_empty() {
            continue;
        }
        if let Some(code) = exit_request(&entry) {
            status = code.unwrap_or(status);
            break;
        }
        let _ = rl.add_history_entry(entry.as_str());
        if let Some(path) = &history {
            let _ = rl.append_history(path);
        }
        crate::net::interrupt::clear();
        let source = Source::new("<repl>", entry);
        let outcome = eval_source(&mut ev.borrow_mut(), &source);
        status = match outcome {
            Outcome::Success => 0,
            _ => ev.borrow().status.max(1),
        };
    }
    status
}

/// `exit`, `quit` or `exit N` alone on a line: leave, with N or the last status.
fn exit_request(entry: &str) -> Option<Option<i32>> {
    let words: Vec<&str> = entry.split_whitespace().collect();
    match words.as_slice() {
        ["exit" | "quit"] => Some(None),
        ["exit" | "quit", code] => code.parse().ok().map(Some),
        _ => None,
    }
}

fn prompt(ns: &Ns) -> String {
    match ns {
        Ns::Root => "vsh> ".to_string(),
        Ns::Named(name) => format!("vsh[{name}]> "),
    }
}

/// True when the text stops inside a block or a string: more lines are needed.
pub fn incomplete(text: &str) -> bool {
    matches!(parse(text), Err(e) if e.is_incomplete())
}

/// $XDG_STATE_HOME/vsh/history, ~/.local/state/vsh/history, or else ~/.vsh_history.
fn history_path() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".local/state")));
    if let Some(dir) = state.map(|s| s.join("vsh")) {
        if std::fs::create_dir_all(&dir).is_ok() {
            return Some(dir.join("history"));
        }
    }
    home.map(|h| h.join(".vsh_history"))
}
