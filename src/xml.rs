//! Text for XML 1.0 character data and attribute values, shared by the SVG picture
//! (src/graph/svg.rs) and the JUnit report (src/junit.rs).

/// XML's five escapes; characters XML 1.0 cannot carry are dropped.
///
/// XML 1.0 has no way to write most control characters, not even as `&#1;`, and a parser
/// refuses a document that holds one. Dropped, not replaced: in a device name or an error
/// message they are nearly always part of a terminal escape (a colour), which means nothing in
/// a picture or a report, and a stand-in such as `?` would show a character the terminal never
/// showed. Tab and newline stay; carriage return goes (a parser would turn it into a newline
/// or a space anyway), as do DEL and the C1 controls, which XML 1.1 no longer takes literally,
/// and U+FFFE and U+FFFF, which are not XML characters.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped_and_what_xml_cannot_hold_dropped() {
        assert_eq!(
            escape("h1 -> \"a\" & <b> 'c'"),
            "h1 -&gt; &quot;a&quot; &amp; &lt;b&gt; &apos;c&apos;"
        );
        assert_eq!(escape("\u{1b}[31mred\u{1b}[0m\r\n"), "[31mred[0m\n");
        assert_eq!(escape("a\u{0}b\u{7f}c\u{85}d\u{ffff}"), "abcd");
        assert_eq!(escape("tab\there, é, 网"), "tab\there, é, 网");
    }
}
