//! Where the evaluator prints: one sink for every builtin's output (show commands, ping's lines
//! and summary, help, graph, trace, capture), shared by the REPL, scripts and tests.
//!
//! Redirections and pipes work at the descriptor level (net/stdio.rs), because programs
//! inherit descriptor 1. So while a statement's descriptor 1 is pointed elsewhere (`> FILE`, a
//! pipeline stage, `$( )`), the evaluator prints to descriptor 1 ([`Evaluator::on_fd1`]); the
//! rest goes to the sink it was given, which is descriptor 1 too unless a test or a front door
//! gave another.

use super::error::Result;
use super::netns::fail;
use super::Evaluator;
use crate::net::NetError;
use crate::syntax::Span;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, MutexGuard};

/// A handle on the sink: clones print to the same place (the threads of `capture` hold one).
#[derive(Clone)]
pub struct Out(Arc<Mutex<Sink>>);

struct Sink {
    to: To,
    /// The first write that failed, for the statement that printed to report.
    error: Option<io::Error>,
}

enum To {
    /// Descriptor 1, through Rust's stdout (whose buffer `stdio::flush` empties before each
    /// redirection).
    Stdout,
    /// Kept in memory, for tests.
    Buffer(Vec<u8>),
    /// Any writer (a file, a socket).
    Writer(Box<dyn Write + Send>),
}

impl Out {
    /// Standard output: what the REPL and scripts print to.
    pub fn stdout() -> Out {
        Out::of(To::Stdout)
    }

    /// A sink in memory; [`Out::taken`] gives what was printed to it.
    pub fn buffer() -> Out {
        Out::of(To::Buffer(Vec::new()))
    }

    /// A sink that writes to `w`.
    pub fn writer(w: impl Write + Send + 'static) -> Out {
        Out::of(To::Writer(Box::new(w)))
    }

    fn of(to: To) -> Out {
        Out(Arc::new(Mutex::new(Sink { to, error: None })))
    }

    fn sink(&self) -> MutexGuard<'_, Sink> {
        // A thread that panicked while printing left whole writes behind: still usable.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Prints `text` as it is.
    pub fn print(&self, text: &str) {
        let mut sink = self.sink();
        let result = match &mut sink.to {
            To::Stdout => io::stdout().lock().write_all(text.as_bytes()),
            To::Buffer(b) => {
                b.extend_from_slice(text.as_bytes());
                Ok(())
            }
            To::Writer(w) => w.write_all(text.as_bytes()),
        };
        sink.keep(result);
    }

    /// Prints `text` and a newline.
    pub fn line(&self, text: &str) {
        self.print(&format!("{text}\n"));
    }

    /// Writes out what is buffered: before a program writes to descriptor 1 itself, and
    /// after a line that must be seen at once (ping's, capture's).
    pub fn flush(&self) {
        let mut sink = self.sink();
        let result = match &mut sink.to {
            To::Stdout => io::stdout().flush(),
            To::Buffer(_) => Ok(()),
            To::Writer(w) => w.flush(),
        };
        sink.keep(result);
    }

    /// What was printed to a [`Out::buffer`] since the last call (empty for other sinks).
    pub fn taken(&self) -> String {
        match &mut self.sink().to {
            To::Buffer(b) => String::from_utf8_lossy(&std::mem::take(b)).into_owned(),
            _ => String::new(),
        }
    }

    /// The first write that failed since the last call. A reader that went away (`vsh -c
    /// graph | head -1`) is not one: the rest is not wanted, as a pipe's relay drops it.
    pub(super) fn take_error(&self) -> Option<io::Error> {
        self.sink()
            .error
            .take()
            .filter(|e| e.kind() != io::ErrorKind::BrokenPipe)
    }
}

impl Sink {
    fn keep(&mut self, result: io::Result<()>) {
        if let Err(e) = result {
            self.error.get_or_insert(e);
        }
    }
}

impl Evaluator {
    /// Runs `f` with the evaluator printing to descriptor 1, which the caller has pointed at
    /// a file or pipe, so that builtins follow the redirection as programs do.
    pub(super) fn on_fd1<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.out.flush();
        let saved = std::mem::replace(&mut self.out, Out::stdout());
        let result = f(self);
        self.out.flush();
        // An error kept on the way is the statement's that printed; it reported it.
        self.out = saved;
        result
    }

    /// A statement whose output could not be written fails (a full disk under `> FILE`).
    pub(super) fn out_failed(&mut self, span: Span) -> Result<()> {
        match self.out.take_error() {
            None => Ok(()),
            Some(e) => Err(fail("cannot write the output", span)(NetError::io(
                "write", &e,
            ))),
        }
    }
}
