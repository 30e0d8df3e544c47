//! Pest's errors as the user's: what was expected, in words, with a hint for a typo.

use super::*;
use std::sync::OnceLock;

pub(super) fn is_keyword(rule: Rule) -> bool {
    // Called on every pair: the names are formatted once, not per call.
    static KEYWORDS: OnceLock<Vec<bool>> = OnceLock::new();
    let keywords = KEYWORDS.get_or_init(|| {
        let mut table = Vec::new();
        for &r in Rule::all_rules() {
            // `all_rules` leaves out EOI, so the table grows to fit every index.
            if table.len() <= r as usize {
                table.resize(r as usize + 1, false);
            }
            let name = format!("{r:?}");
            table[r as usize] = name.starts_with("k_") || name.starts_with("kp_");
        }
        table
    });
    keywords.get(rule as usize).copied().unwrap_or(false)
}

/// The user-facing name of a rule in "expected ..." messages.
pub(super) fn describe(rule: &Rule) -> String {
    let name = format!("{rule:?}");
    if let Some(kw) = name.strip_prefix("k_") {
        return format!("`{kw}`");
    }
    if let Some(kw) = name.strip_prefix("kp_") {
        // A keyword any prefix of which will do: named in full, as the table names it.
        let full = if kw == "lshow" { "show" } else { kw };
        return format!("`{}`", crate::builtins::canonical(full));
    }
    // Options listed from the table of builtins, so that a new one is named here too.
    let options = |builtin: &str, sub: &str, valued: bool| {
        let words = crate::builtins::options_of(builtin, sub, valued);
        ticked(words.iter())
    };
    match rule {
        Rule::EOI => "end of line".into(),
        Rule::ping_flag | Rule::ping_key | Rule::ping_glued | Rule::ping_gkey => {
            options("ping", "", true)
        }
        Rule::ping_quiet => "`-q`".into(),
        Rule::ping_line => "`SRC -> DEST`".into(),
        Rule::ping_verbose => "`-v`".into(),
        Rule::ping_for | Rule::ping_let | Rule::ping_if => "`for`, `let` or `if`".into(),
        Rule::ping_reachable | Rule::ping_unreachable => "`->` or `!->`".into(),
        Rule::capture_flag | Rule::capture_key => "`-c N` or `-w FILE`".into(),
        Rule::kill_signal => "a signal (`-TERM`, `-9`)".into(),
        Rule::trace_flag | Rule::trace_key => "`-w FILE`".into(),
        Rule::graph_all | Rule::graph_flag | Rule::graph_key => {
            "`--all`, `--format FORMAT` or `-o FILE`".into()
        }
        Rule::word | Rule::lit => "a word".into(),
        Rule::ident => "a name".into(),
        Rule::block => "`{`".into(),
        Rule::range => "a range".into(),
        Rule::ip_netns | Rule::ip_netns_key => "`-n NAME`".into(),
        Rule::addr_local => "an address".into(),
        Rule::addr_dev => "`dev`".into(),
        Rule::addr_opt | Rule::addr_key | Rule::addr_flag => {
            let valued = crate::builtins::options_of("addr", "add", true);
            let flags = crate::builtins::options_of("addr", "add", false);
            let some = valued.iter().take(3).chain(flags.iter().take(1));
            format!("an option ({}, ...)", ticked(some))
        }
        Rule::ip_addr => "`address`".into(),
        Rule::ip_object_name => {
            "an object of iproute2 (`link`, `address`, `route`, `rule`, ...)".into()
        }
        Rule::ip_arg_key => "an option of `ip`".into(),
        Rule::number => "a number".into(),
        Rule::expr => "an expression".into(),
        Rule::var => "a variable".into(),
        Rule::not_stmt | Rule::cond_not => "`!`".into(),
        Rule::add | Rule::sub | Rule::mul | Rule::div | Rule::rem => "an operator".into(),
        Rule::set_up | Rule::set_down | Rule::set_nomaster => options("link", "set", false),
        Rule::set_netns | Rule::set_master | Rule::set_mtu | Rule::set_name => {
            options("link", "set", true)
        }
        Rule::route_dst => "a destination (PREFIX or `default`)".into(),
        Rule::add_key => "a device option (`address`, `txqueuelen`, `group`, `arp`, ...)".into(),
        Rule::route_type => "a route type (`blackhole`, `unreachable`, `prohibit`, ...)".into(),
        Rule::ip_family => "`-4`, `-6`".into(),
        Rule::chain_op => "`|`, `&&` or `||`".into(),
        Rule::set_opt | Rule::set_flags | Rule::set_o => "an option (`-e`, `-o pipefail`)".into(),
        Rule::pipe_op => "`|`".into(),
        Rule::redirect | Rule::redir_op | Rule::redir_dup => "a redirection".into(),
        Rule::redir_fd => "a descriptor (0, 1 or 2)".into(),
        Rule::subst => "`$(`".into(),
        // `netns_add`, `route_via`, `link_cmd`: the word the table names them by.
        _ => match crate::builtins::rule_word(&name) {
            Some(word) => format!("`{word}`"),
            None => name.replace('_', " "),
        },
    }
}

/// "`a`, `b`, `c`".
fn ticked<'w>(words: impl Iterator<Item = &'w &'static str>) -> String {
    words
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn syntax_error(err: pest::error::Error<Rule>, text: &str) -> SyntaxError {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match err.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let expected = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<String> = positives.iter().map(describe).collect();
            // Keywords first, alphabetically, then the rest: a stable, readable order.
            names.sort_by_key(|n| (!n.starts_with('`'), n.clone()));
            names.dedup();
            // After any whole statement a pipe, `&&` or a redirection may follow: saying so
            // each time is noise.
            let shell = ["`|`, `&&` or `||`", "`|`", "a redirection"];
            if names.iter().any(|n| !shell.contains(&n.as_str())) {
                names.retain(|n| !shell.contains(&n.as_str()));
            }
            // After `ip`, iproute2's objects stand for every form of vsh's own.
            if let Some(object) = names.iter().position(|n| n.starts_with("an object of")) {
                let object = names.remove(object);
                names.retain(|n| n.starts_with("an option of"));
                names.insert(0, object);
            }
            // Where any statement may start, listing every builtin says less than this.
            if names.iter().any(|n| n == "`let`") {
                names.retain(|n| !n.starts_with('`') && n != "a word");
                names.insert(0, "a statement".into());
            }
            names
        }
        ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    let rest = text.get(start..).unwrap_or("");
    let found: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ';')
        .take(40)
        .collect();
    let (found, end) = match (found.is_empty(), rest.chars().next()) {
        (false, _) => (found.clone(), end.max(start + found.len())),
        (true, None) => ("end of input".to_string(), end),
        (true, Some('\n')) => ("end of line".to_string(), end.max(start + 1)),
        (true, Some(c)) => (c.to_string(), end.max(start + c.len_utf8())),
    };
    let mut error = SyntaxError::new(Span::new(start, end), expected);
    error.found = Some(found);
    error.help = typo_hint(text, start).map(Into::into);
    error
}

/// `netns ad red`: a builtin's subcommand misspelled, on the line of a syntax error.
pub(super) fn typo_hint(text: &str, at: usize) -> Option<String> {
    let line_start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let mut words = line.split_whitespace().peekable();
    // `ip [-n NS]` before the builtin.
    if words.peek() == Some(&"ip") {
        words.next();
        if matches!(words.peek(), Some(&"-n") | Some(&"-netns")) {
            words.next();
            words.next();
        }
    }
    let builtin = words.next()?;
    let sub = words.next()?;
    let near = crate::builtins::nearest_subcommand(builtin, sub)?;
    Some(format!("did you mean `{builtin} {near}`?"))
}
