//! One writer for iproute2's two output forms. Like iproute2's `print_*(PRINT_ANY, key, fmt,
//! value)`, each call gives a value its JSON key and its text, so text and JSON come out of
//! the same code in the same order; JSON is written as iproute2's json_writer writes it
//! (compact, or `-p`'s four-blank indent with its `[ ... ]` spacing).

use crate::syntax::ast::{ColorOpt, OutputOpts};

/// iproute2's colour classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Color {
    Ifname,
    Mac,
    Inet,
    Inet6,
    OperUp,
    OperDown,
}

pub(super) struct Printer {
    out: String,
    json: Option<Json>,
    /// Colours on, and whether the terminal's background is dark (bold colours).
    color: Option<bool>,
    /// `_SL_`: where a record breaks its line; `\` with `-o`.
    sl: &'static str,
}

/// json_writer's state: nesting depth and the separator owed before the next value.
struct Json {
    depth: usize,
    sep: Option<char>,
    pretty: bool,
}

impl Printer {
    /// A printer for these options. Colour as iproute2 decides it: never with `-j`; `-c`
    /// (always) even into a pipe; `-c=auto` only onto a terminal.
    pub fn new(opts: &OutputOpts) -> Printer {
        let color = match opts.color {
            _ if opts.json => false,
            ColorOpt::Never => false,
            ColorOpt::Always => true,
            // SAFETY: isatty only reads the descriptor's state.
            ColorOpt::Auto => unsafe { libc::isatty(1) == 1 },
        };
        Printer {
            out: String::new(),
            json: opts.json.then_some(Json {
                depth: 0,
                sep: None,
                pretty: opts.pretty,
            }),
            color: color.then(dark_background),
            sl: if opts.oneline { "\\" } else { "\n" },
        }
    }

    pub fn is_json(&self) -> bool {
        self.json.is_some()
    }

    /// The text so far.
    pub fn finish(self) -> String {
        self.out
    }

    /// iproute2's `new_json_obj`: the list that holds every record.
    pub fn begin_list(&mut self) {
        if self.json.is_some() {
            self.open_arr(None);
        }
    }

    /// `delete_json_obj`: the list closed and a newline.
    pub fn end_list(&mut self) {
        if self.json.is_some() {
            self.close_arr();
            self.out.push('\n');
        }
    }

    /// Text only (`PRINT_FP`).
    pub fn fp(&mut self, text: &str) {
        if self.json.is_none() {
            self.out.push_str(text);
        }
    }

    /// `print_nl`: a line break of the record, `\` with `-o`.
    pub fn nl(&mut self) {
        let sl = self.sl;
        self.fp(sl);
    }

    /// A string: `key` in JSON, `text` in text.
    pub fn str(&mut self, key: &str, value: &str, text: &str) {
        if self.json.is_some() {
            self.jstr(key, value);
        } else {
            self.out.push_str(text);
        }
    }

    /// A number: `key` in JSON, `text` in text.
    pub fn num(&mut self, key: &str, value: impl std::fmt::Display, text: &str) {
        if self.json.is_some() {
            self.jraw(Some(key), &value.to_string());
        } else {
            self.out.push_str(text);
        }
    }

    /// `print_bool(PRINT_ANY, key, text, true)`.
    pub fn flag(&mut self, key: &str, text: &str) {
        if self.json.is_some() {
            self.jraw(Some(key), "true");
        } else {
            self.out.push_str(text);
        }
    }

    /// A string in JSON only.
    pub fn jstr(&mut self, key: &str, value: &str) {
        let quoted = quote(value);
        self.jraw(Some(key), &quoted);
    }

    /// A number in JSON only.
    pub fn jnum(&mut self, key: &str, value: impl std::fmt::Display) {
        self.jraw(Some(key), &value.to_string());
    }

    /// `null` in JSON only.
    pub fn jnull(&mut self, key: &str) {
        self.jraw(Some(key), "null");
    }

    /// A string in a colour class: the whole text is coloured, as `color_fprintf` does.
    pub fn colored(&mut self, c: Color, key: &str, value: &str, text: &str) {
        match (self.json.is_some(), self.color) {
            (true, _) => self.jstr(key, value),
            (false, Some(dark)) => {
                self.out.push_str(code(c, dark));
                self.out.push_str(text);
                self.out.push_str("\x1b[0m");
            }
            (false, None) => self.out.push_str(text),
        }
    }

    /// A string element of a JSON array (`print_string(PRINT_ANY, NULL, ...)`).
    pub fn elem(&mut self, value: &str, text: &str) {
        if self.json.is_some() {
            let quoted = quote(value);
            self.jraw(None, &quoted);
        } else {
            self.out.push_str(text);
        }
    }

    pub fn open_obj(&mut self, key: Option<&str>) {
        self.begin(key, '{');
    }

    pub fn close_obj(&mut self) {
        self.end('}');
    }

    pub fn open_arr(&mut self, key: Option<&str>) {
        self.begin(key, '[');
        if let Some(j) = &self.json {
            if j.pretty {
                self.out.push(' ');
            }
        }
    }

    pub fn close_arr(&mut self) {
        if let Some(j) = &mut self.json {
            if j.pretty && j.sep.is_some() {
                self.out.push(' ');
            }
            j.sep = None;
            self.end(']');
        }
    }

    fn begin(&mut self, key: Option<&str>, c: char) {
        if self.json.is_none() {
            return;
        }
        if let Some(k) = key {
            self.name(k);
        }
        self.eor();
        self.out.push(c);
        if let Some(j) = &mut self.json {
            j.depth += 1;
            j.sep = None;
        }
    }

    fn end(&mut self, c: char) {
        let Some(j) = &mut self.json else { return };
        j.depth -= 1;
        let eol = j.sep.is_some();
        if eol {
            self.eol();
        }
        self.out.push(c);
        if let Some(j) = &mut self.json {
            j.sep = Some(',');
        }
    }

    /// A value after its name (if any).
    fn jraw(&mut self, key: Option<&str>, value: &str) {
        if self.json.is_none() {
            return;
        }
        if let Some(k) = key {
            self.name(k);
        }
        self.eor();
        self.out.push_str(value);
    }

    fn name(&mut self, key: &str) {
        self.eor();
        self.eol();
        if let Some(j) = &mut self.json {
            j.sep = None;
        }
        let quoted = quote(key);
        self.out.push_str(&quoted);
        self.out.push(':');
        if self.json.as_ref().is_some_and(|j| j.pretty) {
            self.out.push(' ');
        }
    }

    fn eor(&mut self) {
        if let Some(j) = &mut self.json {
            if let Some(sep) = j.sep {
                self.out.push(sep);
            }
            j.sep = Some(',');
        }
    }

    fn eol(&mut self) {
        if let Some(j) = &self.json {
            if j.pretty {
                self.out.push('\n');
                for _ in 0..j.depth {
                    self.out.push_str("    ");
                }
            }
        }
    }
}

/// A JSON string as json_writer escapes it (a quote `'` too).
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\x0c' => out.push_str("\\f"),
            '\x08' => out.push_str("\\b"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\'' => out.push_str("\\'"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// iproute2's palette: light or dark background.
fn code(c: Color, dark: bool) -> &'static str {
    match (c, dark) {
        (Color::Ifname, false) => "\x1b[36m",
        (Color::Mac, false) => "\x1b[33m",
        (Color::Inet, false) => "\x1b[35m",
        (Color::Inet6, false) => "\x1b[34m",
        (Color::OperUp, false) => "\x1b[32m",
        (Color::OperDown, false) => "\x1b[31m",
        (Color::Ifname, true) => "\x1b[1;36m",
        (Color::Mac, true) => "\x1b[1;33m",
        (Color::Inet, true) => "\x1b[1;35m",
        (Color::Inet6, true) => "\x1b[1;34m",
        (Color::OperUp, true) => "\x1b[1;32m",
        (Color::OperDown, true) => "\x1b[1;31m",
    }
}

/// As iproute2 reads COLORFGBG: a last field of 0-6 or 8 is a dark background.
fn dark_background() -> bool {
    std::env::var("COLORFGBG").is_ok_and(|v| {
        v.rsplit_once(';')
            .is_some_and(|(_, bg)| matches!(bg, "0" | "1" | "2" | "3" | "4" | "5" | "6" | "8"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printer(json: bool, pretty: bool) -> Printer {
        Printer::new(&OutputOpts {
            json,
            pretty,
            ..OutputOpts::default()
        })
    }

    fn sample(p: &mut Printer) {
        p.begin_list();
        p.open_obj(None);
        p.num("ifindex", 2, "2: ");
        p.open_arr(Some("flags"));
        p.elem("UP", "UP");
        p.elem("LOWER_UP", ",LOWER_UP");
        p.close_arr();
        p.open_arr(Some("addr_info"));
        p.close_arr();
        p.close_obj();
        p.open_obj(None);
        p.str("ifname", "it's", "it's");
        p.close_obj();
        p.end_list();
    }

    #[test]
    fn compact_json_is_json_writers() {
        let mut p = printer(true, false);
        sample(&mut p);
        assert_eq!(
            p.finish(),
            "[{\"ifindex\":2,\"flags\":[\"UP\",\"LOWER_UP\"],\"addr_info\":[]},{\"ifname\":\"it\\'s\"}]\n"
        );
    }

    #[test]
    fn pretty_json_is_json_writers() {
        let mut p = printer(true, true);
        sample(&mut p);
        assert_eq!(
            p.finish(),
            "[ {\n        \"ifindex\": 2,\n        \"flags\": [ \"UP\",\"LOWER_UP\" ],\n        \
             \"addr_info\": [ ]\n    },{\n        \"ifname\": \"it\\'s\"\n    } ]\n"
        );
    }

    #[test]
    fn text_takes_the_text_only() {
        let mut p = printer(false, false);
        sample(&mut p);
        assert_eq!(p.finish(), "2: UP,LOWER_UPit's");
    }
}
