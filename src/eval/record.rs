//! One journal line: a kind, then `key=value` words. Values are `%`-escaped so that names
//! with spaces (namespace names may hold them) keep a line one entry of words.

use crate::net::Ns;
use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;

/// A line being written.
pub struct Line(String);

impl Line {
    pub fn new(kind: &str) -> Self {
        Line(kind.to_string())
    }

    pub fn text(&mut self, key: &str, value: &str) {
        self.0.push_str(&format!(" {key}={}", esc(value)));
    }

    pub fn num(&mut self, key: &str, value: impl Display) {
        self.text(key, &value.to_string());
    }

    /// A value that may be absent: absent values are left out.
    pub fn opt(&mut self, key: &str, value: Option<impl Display>) {
        if let Some(v) = value {
            self.num(key, v);
        }
    }

    pub fn ns(&mut self, key: &str, ns: &Ns) {
        match ns {
            // Bare: a name's '@' is always escaped, so this cannot be a name.
            Ns::Root => self.0.push_str(&format!(" {key}=@root")),
            Ns::Named(n) => self.text(key, n),
        }
    }

    pub fn finish(self) -> String {
        self.0
    }
}

/// A line read back; values are kept as written, unescaped when read.
pub struct Fields {
    raw: HashMap<String, String>,
}

impl Fields {
    /// The kind and the fields of `line`; `None` if it is not a line of this form.
    pub fn parse(line: &str) -> Option<(String, Fields)> {
        let mut words = line.split(' ');
        let kind = words.next()?.to_string();
        let mut map = HashMap::new();
        for w in words {
            let (k, v) = w.split_once('=')?;
            map.insert(k.to_string(), v.to_string());
        }
        Some((kind, Fields { raw: map }))
    }

    pub fn text(&self, key: &str) -> Option<String> {
        self.raw.get(key).map(|v| unesc(v))
    }

    /// A field that must be there and parse.
    pub fn get<T: FromStr>(&self, key: &str) -> Option<T> {
        self.text(key)?.parse().ok()
    }

    /// A field that may be absent (`Some(None)`), but must parse when present.
    pub fn opt<T: FromStr>(&self, key: &str) -> Option<Option<T>> {
        match self.text(key) {
            None => Some(None),
            Some(v) => v.parse().ok().map(Some),
        }
    }

    pub fn ns(&self, key: &str) -> Option<Ns> {
        let v = self.raw.get(key)?;
        Some(if v == "@root" {
            Ns::Root
        } else {
            Ns::Named(unesc(v))
        })
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' | ' ' | '\n' | '\t' | '@' | '=' => out.push_str(&format!("%{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn unesc(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex: Vec<u8> = bytes.by_ref().take(2).collect();
            if let Some(n) = std::str::from_utf8(&hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(n);
            }
        } else {
            out.push(b);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
