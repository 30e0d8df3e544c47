//! Property tests: random and mutated scripts never panic, hang or overflow the parser or
//! the checker; they parse, or fail with a located syntax error.

use proptest::prelude::*;
use vsh::eval::check::check;
use vsh::syntax::parse;

const SEEDS: &[&str] = &[
    "netns add netns1\nip link add veth0 type veth peer name veth1\nip link set veth1 netns netns1\n",
    "let n = 3\nfor i in 1..$n { netns h$i { link set lo up; addr add 10.0.$i.1/24 dev lo } }\n",
    "if ! netns exists red { netns add red } else { echo \"have ${1 + 2 * 3}\" 'x' }\n",
    "veth a peer b netns red\nlink set a up master br0 mtu 1400\n! netns del x # done\n",
    "ip -n red addr show dev veth1; exec -n red cat /sys/class/net/lo/iflink\n",
];

/// Words the grammar cares about, to make random scripts that get past the first token.
const TOKENS: &[&str] = &[
    "netns",
    "link",
    "addr",
    "ip",
    "-n",
    "add",
    "del",
    "set",
    "show",
    "list",
    "exec",
    "veth",
    "peer",
    "name",
    "type",
    "dev",
    "up",
    "down",
    "master",
    "nomaster",
    "netns",
    "let",
    "for",
    "in",
    "if",
    "else",
    "exists",
    "root",
    "help",
    "!",
    "{",
    "}",
    ";",
    "\n",
    "=",
    "$x",
    "${",
    "1",
    "+",
    "(",
    ")",
    "..",
    "\"",
    "'",
    "#",
    "10.1.1.1/24",
    "::1",
    "br0",
    " ",
    "\\",
];

fn parse_and_check(text: &str) {
    match parse(text) {
        Ok(program) => {
            check(&program);
        }
        Err(e) => assert!(e.span.start <= text.len() && e.span.end <= text.len() + 1),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_token_soup(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..60)) {
        parse_and_check(&tokens.join(" "));
        parse_and_check(&tokens.concat());
    }

    #[test]
    fn random_text(text in "\\PC{0,200}") {
        parse_and_check(&text);
    }

    #[test]
    fn mutated_scripts(
        seed in prop::sample::select(SEEDS),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(TOKENS)), 1..8),
    ) {
        let mut text = seed.to_string();
        for (at, kind, token) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            match kind {
                0 => text.insert_str(i, token),
                1 => {
                    let end = (i + token.len()).min(text.len());
                    if text.is_char_boundary(end) {
                        text.replace_range(i..end, "");
                    }
                }
                _ => {
                    let end = (i + 1).min(text.len());
                    if text.is_char_boundary(end) {
                        text.replace_range(i..end, token);
                    }
                }
            }
        }
        parse_and_check(&text);
    }
}
