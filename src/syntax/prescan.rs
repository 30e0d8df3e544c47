//! The pass before pest: refuses input no script holds, and finds where top-level statements
//! end so that pest may parse a long script a piece at a time.
//!
//! Pest, the AST and the evaluator all recurse once per level of nesting, so nesting is
//! bounded here, before any of them sees the text: open `{` and `(`, and within each the `!`s
//! and `else if`s of the statement under way and the operators of an expression (`${1+1+1}`
//! nests as deep as it has operators).

use super::ast::Span;
use super::forms;
use super::{Refused, SyntaxError};

/// How deep blocks, parentheses, `!`, `else if` and operators may nest together; deeper input
/// is refused so that hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;
/// The longest line accepted, in bytes.
pub const MAX_LINE: usize = 64 * 1024;

/// What the prescan learns about the text besides refusing it.
pub(super) struct Scan {
    /// The innermost `{`, `(` or quote still open at the end, for "never closed" errors.
    pub open: Option<Span>,
    /// Offsets of newlines that end a top-level statement: pest may parse the text between
    /// two of them on its own and build the same statements. A chunk leaves out the newline
    /// that ends it, else pest tries every statement form once more at its end.
    pub stmt_ends: Vec<usize>,
}

#[derive(PartialEq, Clone, Copy)]
enum In {
    Code,
    Single,
    Double,
    Comment,
}

/// The top level or an open `{` / `(`, with the nesting that the statement or expression
/// under way inside it adds.
struct Level {
    at: Span,
    /// Inside `${ }`: arithmetic, where operators nest.
    expr: bool,
    extra: usize,
    /// A `$(` inside a double-quoted string: the string goes on after its `)`.
    in_string: bool,
}

/// Refuses control characters, huge lines and absurd nesting.
pub(super) fn prescan(text: &str) -> Result<Scan, SyntaxError> {
    let mut state = In::Code;
    let mut levels = vec![Level {
        at: Span::default(),
        expr: false,
        extra: 0,
        in_string: false,
    }];
    // Open brackets plus every level's extra.
    let mut depth = 0;
    let mut quote = Span::default();
    let mut line_start = 0;
    let mut stmt_ends = Vec::new();
    // A newline or `;` in code, kept until the next token shows whether a new statement
    // starts there (anything but `else`); the offset is a top-level newline's.
    let mut boundary: Option<Option<usize>> = None;
    // The last character of code seen, to tell where a token starts.
    let mut prev = '\n';
    let mut i = 0;
    let too_long = |line_start: usize| {
        let span = Span::new(line_start, line_start + MAX_LINE);
        SyntaxError::refused(span, Refused::LineTooLong(MAX_LINE))
    };
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let b = bytes[i];
        // Most characters are letters and digits inside a word, or blanks between words:
        // nothing to do but note them.
        let plain = (b.is_ascii_alphanumeric() && boundary.is_none() && b != b'e') || b == b' ';
        if plain && state != In::Comment {
            prev = b as char;
            i += 1;
            continue;
        }
        let c = match b {
            0..=0x7f => b as char,
            _ => text[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        let here = Span::new(i, i + c.len_utf8());
        i = here.end;
        if c.is_control() && !matches!(c, '\n' | '\t' | '\r') {
            return Err(SyntaxError::refused(here, Refused::ControlChar(c)));
        }
        if !c.is_ascii() {
            // Only ASCII is syntax: anything else is part of a word, or of a string.
            if state == In::Code {
                prev = c;
            }
            continue;
        }
        if c == '\n' {
            if here.start - line_start > MAX_LINE {
                return Err(too_long(line_start));
            }
            line_start = i;
        }
        // A `!`, `else if` or operator: one more level inside the innermost bracket.
        let mut deeper = false;
        match state {
            In::Comment if c != '\n' => continue,
            In::Comment => state = In::Code,
            In::Single => {
                if c == '\'' {
                    (state, prev) = (In::Code, c);
                }
                continue;
            }
            In::Double if c == '"' => {
                (state, prev) = (In::Code, c);
                continue;
            }
            In::Double => {
                if let Some(refused) = forms::refused_in_string(c) {
                    return Err(shell_form(here.start, refused));
                }
            }
            _ => {}
        }
        if c == '\\' {
            // An escaped character, or a line continuation: never a token of its own.
            if let Some(next) = text[i..].chars().next() {
                i += next.len_utf8();
            }
            continue;
        }
        if state == In::Code {
            if !levels.last().is_some_and(|l| l.expr) {
                if let Some(refused) = forms::refused(c, prev, &text[i..]) {
                    return Err(shell_form(here.start, refused));
                }
            }
            if matches!(c, '\n' | ';') {
                // `\` CR LF continues the line too: the CR hid the `\` above.
                let continued = c == '\n' && text[..here.start].ends_with("\\\r");
                // A line ending in `|`, `&&` or `||` goes on on the next.
                let chain = c == '\n' && text[..here.start].trim_end().ends_with(['|', '&']);
                if !continued && !chain && !levels.last().is_some_and(|l| l.expr) {
                    let top = (c == '\n' && levels.len() == 1).then_some(here.start);
                    boundary = Some(boundary.flatten().or(top));
                }
            } else if !matches!(c, ' ' | '\t' | '\r' | '#') {
                // `if c { } NEWLINE else { }` is one statement across lines.
                if let Some(end) = boundary.take() {
                    if !text[here.start..].starts_with("else") {
                        stmt_ends.extend(end);
                        // A new statement: its `!`s and `else if`s start afresh.
                        if let Some(level) = levels.last_mut() {
                            depth -= level.extra;
                            level.extra = 0;
                        }
                    }
                }
                let token_start = matches!(prev, ' ' | '\t' | '\r' | '\n' | ';' | '{' | '!');
                if token_start && c == '!' && !text[i..].starts_with("->") {
                    deeper = true;
                }
                if token_start && c == 'e' && else_if(&text[here.start..]) {
                    deeper = true;
                }
            }
            if c == '#' {
                state = In::Comment;
            }
            prev = c;
        }
        let in_expr = levels.last().is_some_and(|l| l.expr);
        if in_expr && matches!(c, '+' | '-' | '*' | '/' | '%') {
            deeper = true;
        }
        if deeper {
            depth += 1;
            if let Some(level) = levels.last_mut() {
                level.extra += 1;
            }
        }
        match c {
            '\'' if state == In::Code => (state, quote) = (In::Single, here),
            '"' if state == In::Code => (state, quote) = (In::Double, here),
            // In a string only `${ }` and what it holds are code; other brackets are text.
            '{' | '(' if state == In::Code || in_expr || text[..here.start].ends_with('$') => {
                let expr = (c == '{' && text[..here.start].ends_with('$')) || (c == '(' && in_expr);
                // `"... $( STATEMENTS ) ..."`: code until the `)`.
                let in_string = state == In::Double && c == '(' && !in_expr;
                if in_string {
                    (state, prev) = (In::Code, c);
                }
                levels.push(Level {
                    at: here,
                    expr,
                    extra: 0,
                    in_string,
                });
                depth += 1;
            }
            '}' | ')' if levels.len() > 1 && (state == In::Code || in_expr) => {
                if let Some(level) = levels.pop() {
                    depth -= 1 + level.extra;
                    if level.in_string {
                        state = In::Double;
                    }
                }
            }
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Err(SyntaxError::refused(here, Refused::TooDeep(MAX_DEPTH)));
        }
    }
    if text.len() - line_start > MAX_LINE {
        return Err(too_long(line_start));
    }
    let open = match state {
        In::Single | In::Double => Some(quote),
        _ => levels.last().filter(|_| levels.len() > 1).map(|l| l.at),
    };
    Ok(Scan { open, stmt_ends })
}

fn shell_form(start: usize, (len, form): (usize, &'static super::ShellForm)) -> SyntaxError {
    SyntaxError::refused(Span::new(start, start + len), Refused::ShellForm(form))
}

/// True if the text starts with `else if`, as one statement nested in another.
fn else_if(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("else") else {
        return false;
    };
    let rest = rest.trim_start_matches([' ', '\t', '\r', '\\', '\n']);
    match rest.strip_prefix("if") {
        Some(after) => !after.starts_with(|c: char| c.is_alphanumeric() || c == '_'),
        None => false,
    }
}
