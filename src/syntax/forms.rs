//! Shell forms vsh does not have. People bring their shell habits: a `&` at the end of a
//! line, backticks, here-documents, `;;`, globs. Passed on as words they would do something
//! else quietly, so the prescan refuses each where it stands, with what to write instead.

use super::ShellForm;

const BACKGROUND: ShellForm = ShellForm {
    what: "`&` does not run a program in the background in vsh",
    hint: "start it with `spawn PROGRAM ARGS` or `spawn NS PROGRAM ARGS` ($! is its pid; \
           `wait` and `kill` take it)",
};
const BACKTICK: ShellForm = ShellForm {
    what: "backticks are not command substitution in vsh",
    hint: "write $( STATEMENTS ) for what statements print",
};
const HEREDOC: ShellForm = ShellForm {
    what: "vsh has no here-documents",
    hint: "put the text in a file and read it with `< FILE`, or pass it in a quoted string",
};
const CASE_END: ShellForm = ShellForm {
    what: "`;;` ends nothing in vsh (it has no `case`)",
    hint: "one `;` separates statements; `if ... { } else if ... { }` chooses between blocks",
};
const GLOB: ShellForm = ShellForm {
    what: "vsh does not expand `*` and `?` (globbing)",
    hint: "quote the word ('*.pcap') to pass it on as it is, or let a shell expand it: \
           exec sh -c 'ls *.pcap'",
};
const PIPE_BOTH: ShellForm = ShellForm {
    what: "`|&` is not in vsh",
    hint: "write `2>&1 |` to pipe standard error too",
};
const SUBSHELL: ShellForm = ShellForm {
    what: "parentheses (a subshell) are not in vsh",
    hint: "group statements in a block (`root { }`, `netns NAME { }`), or quote a `(` that \
           belongs to a word",
};
const ARITHMETIC: ShellForm = ShellForm {
    what: "`$(( ))` is not vsh's arithmetic",
    hint: "write ${ 1 + 2 }",
};

/// The shell form that starts at `c` in code outside `${ }`, if any, and its length in bytes.
/// `prev` is the character of code before it, `rest` the text after it.
pub(super) fn refused(c: char, prev: char, rest: &str) -> Option<(usize, &'static ShellForm)> {
    let next = rest.chars().next();
    Some(match c {
        // `&&`, `&>` and `>&` are vsh's.
        '&' if next == Some('&') || next == Some('>') || matches!(prev, '&' | '>') => return None,
        '&' => (1, &BACKGROUND),
        '`' => (1, &BACKTICK),
        '<' if next == Some('<') => (2, &HEREDOC),
        ';' if next == Some(';') => (2, &CASE_END),
        '|' if next == Some('&') => (2, &PIPE_BOTH),
        '*' => (1, &GLOB),
        // `$?` is a variable.
        '?' if prev != '$' => (1, &GLOB),
        '(' if prev == '$' && next == Some('(') => (2, &ARITHMETIC),
        // `$(` is a substitution.
        '(' if prev != '$' => (1, &SUBSHELL),
        _ => return None,
    })
}

/// Backticks substitute inside double quotes too, in sh.
pub(super) fn refused_in_string(c: char) -> Option<(usize, &'static ShellForm)> {
    (c == '`').then_some((1, &BACKTICK))
}
