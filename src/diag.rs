//! Diagnostics shared by all layers: the source a span points into, and how a report is drawn.

use miette::{Diagnostic, NamedSource, Report};

/// One input: a script file, a `-c` string, or a REPL entry.
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// A diagnostic drawn against its source, as miette's graphical handler renders it.
pub fn render<E: Diagnostic + Send + Sync + 'static>(error: E, source: &Source) -> String {
    let report =
        Report::new(error).with_source_code(NamedSource::new(&source.name, source.text.clone()));
    format!("{report:?}")
}
