//! One resolver per builtin: its words become a typed request (names, addresses, numbers,
//! options as enums), refused at the word that breaks a rule. The evaluator runs a resolver
//! on the expanded words, then acts on the request; `--check` runs the same resolver on what
//! it knows before the run (literal words), and a word with variables stays unknown.
//!
//! To add one: a request type and a `fn NAME(x: &dyn Expand, ...) -> Result<Request>` built
//! from the value resolvers below; the evaluator calls it with itself as the expander, and
//! check.rs calls it with [`Literal`].

mod link;
mod misc;
mod net;
#[cfg(test)]
mod tests;

pub(super) use link::*;
pub(super) use misc::*;
pub(super) use net::*;

use super::error::{Result, RunError};
use crate::net::addr::Prefix;
use crate::net::names::{BadName, IfName, NetnsName};
use crate::syntax::ast::Word;
use crate::syntax::Span;
use std::net::IpAddr;
use std::str::FromStr;

/// Gives a word's text: all of it when run, only literal words before the run.
pub(super) trait Expand {
    /// The text of `w`, or `None` when it cannot be known yet.
    fn text(&self, w: &Word) -> Result<Option<String>>;
}

/// `--check`: a word is known when it has no variable, arithmetic or `$( )`.
pub(crate) struct Literal;

impl Expand for Literal {
    fn text(&self, w: &Word) -> Result<Option<String>> {
        Ok(w.literal())
    }
}

impl Expand for super::Evaluator {
    fn text(&self, w: &Word) -> Result<Option<String>> {
        self.word(w).map(Some)
    }
}

/// A resolved word: its value (`None` when not known before the run) and where it was.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Val<T> {
    pub value: Option<T>,
    pub span: Span,
}

impl<T> Val<T> {
    /// The value, which a run always knows.
    pub fn get(&self) -> Result<&T> {
        self.value.as_ref().ok_or_else(|| unread(self.span))
    }

    /// The value, owned.
    pub fn take(self) -> Result<T> {
        let span = self.span;
        self.value.ok_or_else(|| unread(span))
    }
}

/// A value used that only `--check`'s expander leaves unknown: a bug, said as one.
fn unread(span: Span) -> RunError {
    RunError::Usage {
        what: "vsh used a word it had not read: please report this".into(),
        span,
        help: None,
    }
}

/// The value of an optional word, which a run always knows.
pub(super) fn known<T: Clone>(v: &Option<Val<T>>) -> Result<Option<T>> {
    v.as_ref().map(|v| v.get().cloned()).transpose()
}

/// A word read by `read` when its text is known.
fn val<T>(x: &dyn Expand, w: &Word, read: impl FnOnce(String) -> Result<T>) -> Result<Val<T>> {
    let value = match x.text(w)? {
        Some(text) => Some(read(text)?),
        None => None,
    };
    Ok(Val {
        value,
        span: w.span,
    })
}

/// The text of a word, as it is.
pub(super) fn text(x: &dyn Expand, w: &Word) -> Result<Val<String>> {
    val(x, w, Ok)
}

fn bad_name(span: Span) -> impl FnOnce(BadName) -> RunError {
    move |b| RunError::BadName {
        kind: b.kind,
        name: b.name,
        reason: b.reason,
        span,
    }
}

/// An interface name, by the kernel's rules.
pub(super) fn ifname(x: &dyn Expand, w: &Word) -> Result<Val<IfName>> {
    val(x, w, |t| parse_ifname(&t, w.span))
}

/// Text as an interface name, refused at `span`.
pub(super) fn parse_ifname(text: &str, span: Span) -> Result<IfName> {
    text.parse().map_err(bad_name(span))
}

/// A namespace name (`root` included), by the rules of /run/netns.
pub(super) fn netns(x: &dyn Expand, w: &Word) -> Result<Val<NetnsName>> {
    val(x, w, |t| t.parse().map_err(bad_name(w.span)))
}

/// Optional words, resolved alike.
pub(super) fn opt<T>(
    x: &dyn Expand,
    w: Option<&Word>,
    f: impl FnOnce(&dyn Expand, &Word) -> Result<Val<T>>,
) -> Result<Option<Val<T>>> {
    w.map(|w| f(x, w)).transpose()
}

/// An address with its prefix length (a lone address is a host prefix).
pub(super) fn prefix(x: &dyn Expand, w: &Word) -> Result<Val<Prefix>> {
    val(x, w, |t| super::words::parse_prefix(&t, w.span))
}

/// An IPv4 or IPv6 address; `expected` says which in an error.
pub(super) fn ip(x: &dyn Expand, w: &Word, expected: &'static str) -> Result<Val<IpAddr>> {
    val(x, w, |text| {
        text.parse().map_err(|_| RunError::BadValue {
            text,
            expected,
            span: w.span,
        })
    })
}

/// A number of type `T`.
pub(super) fn number<T: FromStr>(
    x: &dyn Expand,
    w: &Word,
    expected: &'static str,
) -> Result<Val<T>> {
    val(x, w, |text| parse_number(text, expected, w.span))
}

pub(super) fn parse_number<T: FromStr>(
    text: String,
    expected: &'static str,
    span: Span,
) -> Result<T> {
    text.parse().map_err(|_| RunError::BadValue {
        text,
        expected,
        span,
    })
}

/// One of the names in `table`, or (with `numbers`) a number of type `T`.
pub(super) fn named<T: Copy + FromStr>(
    x: &dyn Expand,
    w: &Word,
    table: &[(&str, T)],
    numbers: bool,
    expected: &'static str,
) -> Result<Val<T>> {
    val(x, w, |text| {
        if let Some((_, v)) = table.iter().find(|(k, _)| *k == text) {
            return Ok(*v);
        }
        match text.parse().ok().filter(|_| numbers) {
            Some(n) => Ok(n),
            None => Err(RunError::BadValue {
                text,
                expected,
                span: w.span,
            }),
        }
    })
}
