//! Text to a typed AST with spans. Knows nothing of the kernel.

pub mod ast;
mod parser;

pub use ast::Span;
pub use parser::parse;

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
}

impl SyntaxError {
    pub fn new(span: Span, expected: Vec<String>) -> Self {
        SyntaxError {
            span,
            expected,
            found: None,
        }
    }

    fn summary(&self) -> String {
        match &self.found {
            Some(found) if found.starts_with("end of") => format!("unexpected {found}"),
            Some(found) => format!("unexpected `{found}`"),
            None => "unexpected input".to_string(),
        }
    }

    fn label(&self) -> String {
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
