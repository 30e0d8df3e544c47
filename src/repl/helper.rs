//! Completion, hints and highlighting for the REPL, from the one table of builtins and the
//! live state of the evaluator.

use super::complete::{complete, Names};
use crate::builtins;
use crate::eval::Evaluator;
use crate::syntax::parse;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

pub struct VshHelper {
    ev: Rc<RefCell<Evaluator>>,
    files: FilenameCompleter,
    hinter: HistoryHinter,
}

impl VshHelper {
    pub fn new(ev: Rc<RefCell<Evaluator>>) -> Self {
        VshHelper {
            ev,
            files: FilenameCompleter::new(),
            hinter: HistoryHinter::new(),
        }
    }
}

/// The evaluator's live state as completion's source of names.
struct Live<'e>(&'e RefCell<Evaluator>);

impl Names for Live<'_> {
    fn netns(&mut self) -> Vec<String> {
        self.0.borrow_mut().netns_names()
    }
    fn links(&mut self, ns: Option<&str>, bridges: bool) -> Vec<String> {
        self.0.borrow_mut().link_names(ns, bridges)
    }
    fn addresses(&mut self, ns: Option<&str>) -> Vec<String> {
        self.0.borrow_mut().address_names(ns)
    }
    fn variables(&mut self) -> Vec<String> {
        self.0.borrow().var_names()
    }
}

impl Completer for VshHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let found = complete(&line[..pos], &mut Live(&self.ev));
        // A program's arguments: the table's words if any fit, else files.
        if found.files && found.names.is_empty() {
            return self.files.complete(line, pos, ctx);
        }
        let pairs = found
            .names
            .into_iter()
            .map(|n| Pair {
                replacement: format!("{n} "),
                display: n,
            })
            .collect();
        Ok((found.start, pairs))
    }
}

impl Hinter for VshHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

/// ANSI styles for the kinds of words.
const KEYWORD: &str = "\x1b[1;36m";
const ADDRESS: &str = "\x1b[32m";
const STRING: &str = "\x1b[33m";
const VARIABLE: &str = "\x1b[35m";
const COMMENT: &str = "\x1b[2m";
const ERROR: &str = "\x1b[4;31m";
const RESET: &str = "\x1b[0m";

fn is_keyword(word: &str) -> bool {
    thread_local! {
        static KEYWORDS: std::collections::BTreeSet<&'static str> = builtins::keywords();
    }
    KEYWORDS.with(|k| k.contains(word))
}

fn is_address(word: &str) -> bool {
    let addr = word.split('/').next().unwrap_or(word);
    addr.parse::<std::net::IpAddr>().is_ok()
}

/// The line with each word in its style, and the part a syntax error points at underlined.
pub fn highlight_line(line: &str) -> String {
    let error_at = match parse(line) {
        Err(e) if !e.is_incomplete() => Some(e.span.start),
        _ => None,
    };
    let mut out = String::with_capacity(line.len() * 2);
    let mut rest = line;
    let mut offset = 0;
    while !rest.is_empty() {
        if error_at.is_some_and(|at| at <= offset) {
            out.push_str(ERROR);
            out.push_str(rest);
            out.push_str(RESET);
            break;
        }
        let c = rest.chars().next().unwrap_or(' ');
        let len = if c.is_whitespace() || ";{}".contains(c) {
            out.push(c);
            c.len_utf8()
        } else if c == '#' {
            out.push_str(COMMENT);
            out.push_str(rest);
            out.push_str(RESET);
            rest.len()
        } else if c == '"' || c == '\'' {
            let end = rest[1..].find(c).map_or(rest.len(), |i| i + 2);
            out.push_str(STRING);
            out.push_str(&rest[..end]);
            out.push_str(RESET);
            end
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || ";{}\"'".contains(c))
                .unwrap_or(rest.len());
            let word = &rest[..end];
            let style = if word.starts_with('$') {
                Some(VARIABLE)
            } else if is_keyword(word) {
                Some(KEYWORD)
            } else if is_address(word) {
                Some(ADDRESS)
            } else {
                None
            };
            match style {
                Some(s) => {
                    out.push_str(s);
                    out.push_str(word);
                    out.push_str(RESET);
                }
                None => out.push_str(word),
            }
            end.max(c.len_utf8())
        };
        offset += len;
        rest = &rest[len.min(rest.len())..];
    }
    out
}

impl Highlighter for VshHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        Cow::Owned(highlight_line(line))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        Cow::Owned(format!("\x1b[90m{hint}{RESET}"))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        true
    }
}

impl Validator for VshHelper {}

impl Helper for VshHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_marks_kinds_and_errors() {
        let h = highlight_line("addr add 10.0.0.1/24 dev $d # x");
        assert!(h.contains(&format!("{KEYWORD}addr{RESET}")));
        assert!(h.contains(&format!("{ADDRESS}10.0.0.1/24{RESET}")));
        assert!(h.contains(&format!("{VARIABLE}$d{RESET}")));
        assert!(h.contains(&format!("{COMMENT}# x{RESET}")));
        assert!(highlight_line("link frob").contains(&format!("{ERROR}frob{RESET}")));
        for word in [
            "via", "metric", "src", "default", "port", "delete", "ls", "address", "brd", "onlink",
            "nodad", "lst", "exists",
        ] {
            let h = highlight_line(&format!("{word} "));
            assert!(
                h.starts_with(&format!("{KEYWORD}{word}{RESET}")),
                "{word}: {h:?}"
            );
        }
        assert!(!highlight_line("tcpdump -n").contains(KEYWORD));
        // A flag and a value a `Choice` takes are not keywords.
        assert!(!highlight_line("ping -c 1 1.2.3.4").contains(&format!("{KEYWORD}-c")));
        assert!(!highlight_line("graph --format svg").contains(&format!("{KEYWORD}svg")));
        // An unfinished block is not an error yet.
        assert!(!highlight_line("netns red {").contains(ERROR));
    }
}
