//! `help NAME`'s text, from a builtin's entry: its usage lines, and the options they leave
//! out, written from the table so that nothing the builtin takes goes unlisted.

use super::{Builtin, Form, Opt};

/// The usage lines of `b` as `help NAME` prints them (without indentation): each form's
/// lines, a note after ` # `, then `also:` with the options the lines do not name.
pub fn help_lines(b: &Builtin) -> Vec<String> {
    let mut out = vec![];
    for f in b.forms {
        for line in f.usage {
            let (synopsis, note) = split(line);
            let head: Vec<&str> = [b.name, f.sub, synopsis]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            let mut text = head.join(" ");
            if let Some(note) = note {
                text.push_str("   # ");
                text.push_str(note);
            }
            out.push(text);
        }
        out.extend(wrapped("    also: ", &unlisted(f)));
    }
    out
}

/// `items` after `head`, comma-separated, in lines of at most 90 columns.
fn wrapped(head: &str, items: &[String]) -> Vec<String> {
    let mut lines = vec![];
    let mut line = String::new();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        if !line.is_empty() && head.len() + line.len() + 1 + piece.len() > 90 {
            lines.push(line);
            line = String::new();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let indent = " ".repeat(head.len());
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| format!("{}{l}", if i == 0 { head } else { &indent }))
        .collect()
}

/// A usage line's synopsis and its note.
pub(super) fn split(line: &str) -> (&str, Option<&str>) {
    match line.split_once(" # ") {
        Some((synopsis, note)) => (synopsis.trim_end(), Some(note)),
        None => (line.trim_end(), None),
    }
}

/// The words of a synopsis: keywords, flags and placeholders, without brackets and bars.
pub(super) fn tokens(synopsis: &str) -> impl Iterator<Item = &str> {
    synopsis
        .split(|c: char| c.is_whitespace() || "[]{}|;".contains(c))
        .map(|t| t.trim_end_matches("..."))
        .filter(|t| !t.is_empty())
}

/// The options of `f` none of its usage lines names, as `word VALUE`.
fn unlisted(f: &Form) -> Vec<String> {
    let named: Vec<&str> = f.usage.iter().flat_map(|l| tokens(split(l).0)).collect();
    f.options
        .iter()
        .filter(|o| !named.iter().any(|t| o.is(t)))
        .map(written)
        .collect()
}

fn written(o: &Opt) -> String {
    match o.takes {
        Some(kind) => format!("{} {}", o.word, kind.placeholder()),
        None => o.word.to_string(),
    }
}
