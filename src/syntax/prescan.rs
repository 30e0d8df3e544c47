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

/// The scan's state as it walks the text once.
struct Scanner<'a> {
    text: &'a str,
    state: In,
    levels: Vec<Level>,
    /// Open brackets plus every level's extra.
    depth: usize,
    /// The quote still open, while in a string.
    quote: Span,
    line_start: usize,
    stmt_ends: Vec<usize>,
    /// A newline or `;` in code, kept until the next token shows whether a new statement
    /// starts there (anything but `else`); the offset is a top-level newline's.
    boundary: Option<Option<usize>>,
    /// The last character of code seen, to tell where a token starts.
    prev: char,
}

/// Refuses control characters, huge lines and absurd nesting.
pub(super) fn prescan(text: &str) -> Result<Scan, SyntaxError> {
    let mut s = Scanner {
        text,
        state: In::Code,
        levels: vec![Level {
            at: Span::default(),
            expr: false,
            extra: 0,
            in_string: false,
        }],
        depth: 0,
        quote: Span::default(),
        line_start: 0,
        stmt_ends: Vec::new(),
        boundary: None,
        prev: '\n',
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Most characters are letters and digits inside a word, or blanks between words:
        // nothing to do but note them.
        let plain = (b.is_ascii_alphanumeric() && s.boundary.is_none() && b != b'e') || b == b' ';
        if plain && s.state != In::Comment {
            s.prev = b as char;
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
        i = s.char(c, Span::new(i, i + c.len_utf8()))?;
    }
    s.finish()
}

impl Scanner<'_> {
    /// Whether the innermost level is an expression (`${ }`), where operators nest.
    fn in_expr(&self) -> bool {
        self.levels.last().is_some_and(|l| l.expr)
    }

    /// Takes the character `c` at `here`; returns where the next one starts.
    fn char(&mut self, c: char, here: Span) -> Result<usize, SyntaxError> {
        let mut i = here.end;
        if c.is_control() && !matches!(c, '\n' | '\t' | '\r') {
            return Err(SyntaxError::refused(here, Refused::ControlChar(c)));
        }
        if !c.is_ascii() {
            // Only ASCII is syntax: anything else is part of a word, or of a string.
            if self.state == In::Code {
                self.prev = c;
            }
            return Ok(i);
        }
        if c == '\n' {
            if here.start - self.line_start > MAX_LINE {
                return Err(too_long(self.line_start));
            }
            self.line_start = i;
        }
        if self.quoted(c, here)? {
            return Ok(i);
        }
        if c == '\\' {
            // An escaped character, or a line continuation: never a token of its own.
            if let Some(next) = self.text[i..].chars().next() {
                i += next.len_utf8();
            }
            return Ok(i);
        }
        // A `!`, `else if` or operator: one more level inside the innermost bracket.
        let mut deeper = self.state == In::Code && self.code(c, here)?;
        let in_expr = self.in_expr();
        if in_expr && matches!(c, '+' | '-' | '*' | '/' | '%') {
            deeper = true;
        }
        if deeper {
            self.depth += 1;
            if let Some(level) = self.levels.last_mut() {
                level.extra += 1;
            }
        }
        self.open_or_close(c, here, in_expr);
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError::refused(here, Refused::TooDeep(MAX_DEPTH)));
        }
        Ok(i)
    }

    /// In a comment or a string: whether `c` is taken there (true) or goes on as code (a
    /// comment's newline, a character of a double-quoted string that may open `${`).
    fn quoted(&mut self, c: char, here: Span) -> Result<bool, SyntaxError> {
        match self.state {
            In::Comment if c != '\n' => return Ok(true),
            In::Comment => self.state = In::Code,
            In::Single => {
                if c == '\'' {
                    (self.state, self.prev) = (In::Code, c);
                }
                return Ok(true);
            }
            In::Double if c == '"' => {
                (self.state, self.prev) = (In::Code, c);
                return Ok(true);
            }
            In::Double => {
                if let Some(refused) = forms::refused_in_string(c) {
                    return Err(shell_form(here.start, refused));
                }
            }
            In::Code => {}
        }
        Ok(false)
    }

    /// A character of code: refused shell forms, where statements end, comments. Returns
    /// whether it starts a `!` or an `else if`, which nest one level deeper.
    fn code(&mut self, c: char, here: Span) -> Result<bool, SyntaxError> {
        let text = self.text;
        let mut deeper = false;
        if !self.in_expr() {
            if let Some(refused) = forms::refused(c, self.prev, &text[here.end..]) {
                return Err(shell_form(here.start, refused));
            }
        }
        if matches!(c, '\n' | ';') {
            // `\` CR LF continues the line too: the CR hid the `\` above.
            let continued = c == '\n' && text[..here.start].ends_with("\\\r");
            // A line ending in `|`, `&&` or `||` goes on on the next.
            let chain = c == '\n' && text[..here.start].trim_end().ends_with(['|', '&']);
            if !continued && !chain && !self.in_expr() {
                let top = (c == '\n' && self.levels.len() == 1).then_some(here.start);
                self.boundary = Some(self.boundary.flatten().or(top));
            }
        } else if !matches!(c, ' ' | '\t' | '\r' | '#') {
            // `if c { } NEWLINE else { }` is one statement across lines.
            if let Some(end) = self.boundary.take() {
                if !text[here.start..].starts_with("else") {
                    self.stmt_ends.extend(end);
                    // A new statement: its `!`s and `else if`s start afresh.
                    if let Some(level) = self.levels.last_mut() {
                        self.depth -= level.extra;
                        level.extra = 0;
                    }
                }
            }
            let token_start = matches!(self.prev, ' ' | '\t' | '\r' | '\n' | ';' | '{' | '!');
            if token_start && c == '!' && !text[here.end..].starts_with("->") {
                deeper = true;
            }
            if token_start && c == 'e' && else_if(&text[here.start..]) {
                deeper = true;
            }
        }
        if c == '#' {
            self.state = In::Comment;
        }
        self.prev = c;
        Ok(deeper)
    }

    /// Quotes open strings; `{` and `(` open a level and `}` and `)` close one, in code or
    /// in an expression.
    fn open_or_close(&mut self, c: char, here: Span, in_expr: bool) {
        let after_dollar = self.text[..here.start].ends_with('$');
        match c {
            '\'' if self.state == In::Code => (self.state, self.quote) = (In::Single, here),
            '"' if self.state == In::Code => (self.state, self.quote) = (In::Double, here),
            // In a string only `${ }` and what it holds are code; other brackets are text.
            '{' | '(' if self.state == In::Code || in_expr || after_dollar => {
                let expr = (c == '{' && after_dollar) || (c == '(' && in_expr);
                // `"... $( STATEMENTS ) ..."`: code until the `)`.
                let in_string = self.state == In::Double && c == '(' && !in_expr;
                if in_string {
                    (self.state, self.prev) = (In::Code, c);
                }
                self.levels.push(Level {
                    at: here,
                    expr,
                    extra: 0,
                    in_string,
                });
                self.depth += 1;
            }
            '}' | ')' if self.levels.len() > 1 && (self.state == In::Code || in_expr) => {
                if let Some(level) = self.levels.pop() {
                    self.depth -= 1 + level.extra;
                    if level.in_string {
                        self.state = In::Double;
                    }
                }
            }
            _ => {}
        }
    }

    /// The end of the text: the last line's length, and what is still open.
    fn finish(self) -> Result<Scan, SyntaxError> {
        if self.text.len() - self.line_start > MAX_LINE {
            return Err(too_long(self.line_start));
        }
        let open = match self.state {
            In::Single | In::Double => Some(self.quote),
            _ => self
                .levels
                .last()
                .filter(|_| self.levels.len() > 1)
                .map(|l| l.at),
        };
        Ok(Scan {
            open,
            stmt_ends: self.stmt_ends,
        })
    }
}

fn too_long(line_start: usize) -> SyntaxError {
    let span = Span::new(line_start, line_start + MAX_LINE);
    SyntaxError::refused(span, Refused::LineTooLong(MAX_LINE))
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
