//! Completion, hints and highlighting for the REPL, from the one table of builtins and the
//! live state of the evaluator.

use crate::builtins::{self, words, BUILTINS, CONTROL};
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

/// What kind of word is expected where the cursor is.
#[derive(Debug, PartialEq)]
enum Expect {
    Command,
    Words(Vec<&'static str>),
    /// A namespace, `root` included.
    Netns,
    /// A namespace in /run/netns: not `root`, which cannot be deleted.
    NamedNetns,
    /// A subcommand, or a namespace to enter (`netns NAME {`).
    SubcommandOrNetns(Vec<&'static str>),
    Device,
    Variable,
    File,
    Nothing,
}

/// Decides from the words of the statement before the cursor.
fn expect(prev: &[&str], word: &str) -> Expect {
    if word.starts_with('$') {
        return Expect::Variable;
    }
    let mut prev = prev;
    if prev.first() == Some(&"!") {
        prev = &prev[1..];
    }
    if prev.first() == Some(&"ip") {
        prev = &prev[1..];
        match prev {
            [] => return Expect::Words(words::IP.to_vec()),
            ["-n"] => return Expect::Netns,
            ["-n", _, rest @ ..] => prev = rest,
            _ => {}
        }
    }
    let Some(&first) = prev.first() else {
        return Expect::Command;
    };
    let last = prev.last().copied().unwrap_or_default();
    match (first, prev.len(), last) {
        ("if", 1, _) => Expect::Words(words::IF.to_vec()),
        ("if", 2, "netns" | "link") => Expect::Words(words::IF_OBJECT.to_vec()),
        ("if", 3, _) if prev[1] == "netns" => Expect::Netns,
        ("if", 3, _) if prev[1] == "link" => Expect::Device,
        (_, _, "dev" | "master") => Expect::Device,
        (_, n, "link") if n > 1 && prev.contains(&"type") => Expect::Device,
        (_, _, "netns" | "-n") if prev.len() > 1 => Expect::Netns,
        ("netns", 1, _) => Expect::SubcommandOrNetns(builtins::subcommands("netns")),
        ("netns", 2, "del" | "delete") => Expect::NamedNetns,
        ("netns", 2, "exec" | "exists") => Expect::Netns,
        ("link", 1, _) => Expect::Words(builtins::subcommands("link")),
        ("link", 2, "set" | "del" | "delete" | "show" | "exists") => Expect::Device,
        ("link", n, _) if n >= 3 && prev[1] == "set" => Expect::Words(words::LINK_SET.to_vec()),
        ("addr" | "address", 1, _) => Expect::Words(builtins::subcommands("addr")),
        ("addr" | "address", 3, _) if prev[1] != "show" => Expect::Words(words::DEV.to_vec()),
        ("veth", 2, _) => Expect::Words(words::VETH.to_vec()),
        ("route", 1, _) => Expect::Words(builtins::subcommands("route")),
        ("bridge", 1, _) => Expect::Words(builtins::subcommands("bridge")),
        ("peer" | "stats", 1, _) => Expect::Device,
        ("help", 1, _) => Expect::Words(BUILTINS.iter().map(|b| b.name).collect()),
        _ if builtins::find(first).is_some() || CONTROL.contains(&first) => Expect::Nothing,
        // A program's arguments: most often files.
        _ => Expect::File,
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
        let before = &line[..pos];
        let is_break = |c: char| c.is_whitespace() || ";{}".contains(c);
        let start = before.rfind(is_break).map_or(0, |i| i + 1);
        let word = &before[start..];
        // A pipe, `&&`, `||` and `$(` start a statement too.
        let stmt_start = before[..start]
            .rfind(|c: char| ";{}\n|&(".contains(c))
            .map_or(0, |i| i + 1);
        let prev: Vec<&str> = before[stmt_start..start].split_whitespace().collect();
        let names: Vec<String> = match expect(&prev, word) {
            Expect::Command => BUILTINS.iter().map(|b| b.name.to_string()).collect(),
            Expect::Words(words) => words.into_iter().map(String::from).collect(),
            Expect::Netns => {
                let mut names = self.ev.borrow_mut().netns_names();
                names.push("root".into());
                names
            }
            Expect::NamedNetns => self.ev.borrow_mut().netns_names(),
            Expect::SubcommandOrNetns(subs) => {
                let mut names = self.ev.borrow_mut().netns_names();
                names.push("root".into());
                names.extend(subs.into_iter().map(String::from));
                names
            }
            Expect::Device => self.ev.borrow_mut().device_names(),
            Expect::Variable => self
                .ev
                .borrow()
                .var_names()
                .into_iter()
                .map(|v| format!("${v}"))
                .collect(),
            Expect::File => return self.files.complete(line, pos, ctx),
            Expect::Nothing => vec![],
        };
        let mut found: Vec<Pair> = names
            .into_iter()
            .filter(|n| n.starts_with(word))
            .map(|n| Pair {
                display: n.clone(),
                replacement: format!("{n} "),
            })
            .collect();
        found.sort_by(|a, b| a.display.cmp(&b.display));
        found.dedup_by(|a, b| a.display == b.display);
        Ok((start, found))
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
    fn what_is_expected_where() {
        assert_eq!(expect(&[], "li"), Expect::Command);
        assert_eq!(
            expect(&["link"], ""),
            Expect::Words(builtins::subcommands("link"))
        );
        assert_eq!(expect(&["link", "set"], "ve"), Expect::Device);
        assert_eq!(
            expect(&["link", "set", "veth0"], "u"),
            Expect::Words(words::LINK_SET.to_vec())
        );
        assert_eq!(
            expect(&["link", "set", "veth0", "netns"], ""),
            Expect::Netns
        );
        assert_eq!(expect(&["ip", "-n"], ""), Expect::Netns);
        assert_eq!(
            expect(&["ip", "-n", "red", "addr", "add", "10.0.0.1/24"], ""),
            Expect::Words(vec!["dev"])
        );
        assert_eq!(
            expect(&["addr", "add", "1.2.3.4/24", "dev"], ""),
            Expect::Device
        );
        assert_eq!(expect(&["netns", "del"], ""), Expect::NamedNetns);
        assert_eq!(
            expect(&["netns"], ""),
            Expect::SubcommandOrNetns(builtins::subcommands("netns"))
        );
        assert_eq!(expect(&["echo"], "$"), Expect::Variable);
        assert_eq!(expect(&["cat"], "/sys"), Expect::File);
        assert_eq!(expect(&["if", "netns"], "e"), Expect::Words(vec!["exists"]));
        assert_eq!(
            expect(&["link", "add", "m", "type", "macvlan", "link"], ""),
            Expect::Device
        );
    }

    #[test]
    fn highlighting_marks_kinds_and_errors() {
        let h = highlight_line("addr add 10.0.0.1/24 dev $d # x");
        assert!(h.contains(&format!("{KEYWORD}addr{RESET}")));
        assert!(h.contains(&format!("{ADDRESS}10.0.0.1/24{RESET}")));
        assert!(h.contains(&format!("{VARIABLE}$d{RESET}")));
        assert!(h.contains(&format!("{COMMENT}# x{RESET}")));
        assert!(highlight_line("link frob").contains(&format!("{ERROR}frob{RESET}")));
        for word in [
            "via", "metric", "src", "default", "port", "delete", "ls", "address",
        ] {
            let h = highlight_line(&format!("{word} "));
            assert!(
                h.starts_with(&format!("{KEYWORD}{word}{RESET}")),
                "{word}: {h:?}"
            );
        }
        assert!(!highlight_line("tcpdump -n").contains(KEYWORD));
        // An unfinished block is not an error yet.
        assert!(!highlight_line("netns red {").contains(ERROR));
    }
}
