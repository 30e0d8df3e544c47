//! Text to a typed AST with spans. Knows nothing of the kernel.

pub mod ast;
mod forms;
mod parser;
mod prescan;
mod shell;
mod words;

pub use ast::Span;
pub use parser::parse;
pub use prescan::{MAX_DEPTH, MAX_LINE};
pub use words::own_words;

/// The text did not parse: where, and what would have been accepted there.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("syntax error: {}", self.summary())]
#[diagnostic(code(vsh::syntax))]
pub struct SyntaxError {
    #[label("{}", self.label())]
    pub span: Span,
    /// What the grammar would have accepted at `span`, in the user's words (`add`, a word, ...).
    pub expected: Vec<String>,
    /// The text found there, if any.
    pub found: Option<String>,
    /// Where the block or string that the input ended inside was opened.
    #[label("this is never closed")]
    pub open: Option<Span>,
    /// Input refused before parsing, for a limit that keeps vsh from exhausting the stack.
    pub refused: Option<Refused>,
    /// What to write instead.
    #[help]
    pub help: Option<Box<str>>,
}

/// Input that is refused outright, whatever the grammar says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Blocks, parentheses, `!`, `else if` and operators nested deeper than this.
    TooDeep(usize),
    /// A line longer than this many bytes.
    LineTooLong(usize),
    /// A control character: the input is not a script.
    ControlChar(char),
    /// A shell form vsh does not have (`&`, backticks, `<<`, ...), refused where it stands
    /// instead of passed on as a word.
    ShellForm(&'static ShellForm),
}

/// A shell form vsh does not have: what it is, and what to write instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShellForm {
    pub what: &'static str,
    pub hint: &'static str,
}

impl SyntaxError {
    pub fn new(span: Span, expected: Vec<String>) -> Self {
        SyntaxError {
            span,
            expected,
            found: None,
            open: None,
            refused: None,
            help: None,
        }
    }

    pub fn refused(span: Span, why: Refused) -> Self {
        SyntaxError {
            span,
            expected: vec![],
            found: None,
            open: None,
            refused: Some(why),
            help: match why {
                Refused::ShellForm(form) => Some(form.hint.into()),
                _ => None,
            },
        }
    }

    /// True when the text ended inside a block or a string: more input could complete it.
    pub fn is_incomplete(&self) -> bool {
        self.found.as_deref() == Some("end of input")
    }

    fn summary(&self) -> String {
        match self.refused {
            Some(Refused::TooDeep(n)) => return format!("nested deeper than {n} levels"),
            Some(Refused::LineTooLong(n)) => return format!("a line longer than {n} bytes"),
            Some(Refused::ControlChar(c)) => {
                return format!("control character U+{:04X}: this is not a script", c as u32)
            }
            Some(Refused::ShellForm(form)) => return form.what.to_string(),
            None => {}
        }
        match &self.found {
            Some(found) if found.starts_with("end of") => format!("unexpected {found}"),
            Some(found) => format!("unexpected `{found}`"),
            None => "unexpected input".to_string(),
        }
    }

    fn label(&self) -> String {
        if self.refused.is_some() {
            return "refused here".to_string();
        }
        match self.expected.as_slice() {
            [] => "not expected here".to_string(),
            [one] => format!("expected {one}"),
            many => {
                let (last, rest) = many.split_last().unwrap_or((&many[0], &[]));
                format!("expected {} or {last}", rest.join(", "))
            }
        }
    }
}
