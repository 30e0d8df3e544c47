//! The parser: every form, and bad input with its message and location.

use vsh::syntax::ast::*;
use vsh::syntax::{parse, Refused};

fn stmts(src: &str) -> Vec<StmtKind> {
    match parse(src) {
        Ok(p) => p.stmts.into_iter().map(|s| s.kind).collect(),
        Err(e) => panic!("{src:?} did not parse: {e:?}"),
    }
}

fn one(src: &str) -> StmtKind {
    let mut all = stmts(src);
    assert_eq!(all.len(), 1, "{src:?} is one statement");
    all.remove(0)
}

fn lit(w: &Word) -> String {
    w.literal().expect("a literal word")
}

/// The error's label text and the source text it points at.
fn error_at(src: &str) -> (String, String, String) {
    let e = parse(src).expect_err("a syntax error");
    let shown = src[e.span.start..e.span.end].to_string();
    (e.to_string(), e.expected.join(", "), shown)
}

#[test]
fn netns_forms_with_and_without_ip() {
    for src in ["netns add netns1", "ip netns add netns1"] {
        assert!(matches!(one(src), StmtKind::Netns(NetnsCmd::Add(w)) if lit(&w) == "netns1"));
    }
    for src in ["netns del a", "ip netns delete a"] {
        assert!(matches!(one(src), StmtKind::Netns(NetnsCmd::Del(_))));
    }
    for src in ["netns list", "ip netns list", "ip netns show", "netns ls"] {
        assert_eq!(one(src), StmtKind::Netns(NetnsCmd::List));
    }
    match one("ip netns exec netns1 ping 127.0.0.1") {
        StmtKind::Netns(NetnsCmd::Exec { ns, argv }) => {
            assert_eq!(lit(&ns), "netns1");
            let argv: Vec<_> = argv.iter().map(lit).collect();
            assert_eq!(argv, ["ping", "127.0.0.1"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn netns_block_and_root_block() {
    match one("netns red {\n  link set lo up\n  addr add 10.0.0.1/24 dev lo\n}") {
        StmtKind::NetnsBlock { ns, body } => {
            assert_eq!(lit(&ns), "red");
            assert_eq!(body.stmts.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(one("root { link }"), StmtKind::RootBlock(b) if b.stmts.len() == 1));
}

#[test]
fn netns_alone_and_help() {
    assert!(matches!(one("netns red"), StmtKind::NetnsEnter(w) if lit(&w) == "red"));
    assert!(matches!(one("netns root"), StmtKind::NetnsEnter(_)));
    // `netns add` without a name is an error, not a switch to a namespace called "add".
    assert!(parse("netns add").is_err());
    assert!(matches!(one("help"), StmtKind::Help(None)));
    assert!(matches!(one("help link"), StmtKind::Help(Some(_))));
}

#[test]
fn ip_dash_n_wraps_one_builtin() {
    match one("ip -n netns1 link set dev lo up") {
        StmtKind::InNetns { ns, cmd } => {
            assert_eq!(lit(&ns), "netns1");
            assert!(matches!(cmd.kind, StmtKind::Link(LinkCmd::Set { .. })));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn link_forms() {
    for src in ["link", "link list", "ip link list", "link show", "link ls"] {
        assert_eq!(one(src), StmtKind::Link(LinkCmd::Show { dev: None }));
    }
    for src in ["link show veth0", "link show dev veth0"] {
        assert!(
            matches!(one(src), StmtKind::Link(LinkCmd::Show { dev: Some(d) }) if lit(&d) == "veth0")
        );
    }
    match one("ip link add veth0 type veth peer name veth1 netns ns1") {
        StmtKind::Link(LinkCmd::Add {
            name,
            kind: LinkType::Veth {
                peer, peer_netns, ..
            },
            ..
        }) => {
            assert_eq!(lit(&name), "veth0");
            assert_eq!(peer.map(|w| lit(&w)).as_deref(), Some("veth1"));
            assert_eq!(peer_netns.map(|w| lit(&w)).as_deref(), Some("ns1"));
        }
        other => panic!("{other:?}"),
    }
    match one("ip link add name br0 type bridge") {
        StmtKind::Link(LinkCmd::Add {
            name,
            kind: LinkType::Other { kind, opts },
            ops,
        }) => {
            assert_eq!((lit(&name), lit(&kind)), ("br0".into(), "bridge".into()));
            assert!(opts.is_empty() && ops.is_empty());
        }
        other => panic!("{other:?}"),
    }
    // iproute2's order: device options before `type`, the peer's after its name, `link
    // PARENT` before the kind.
    match one("ip link add dev v0 mtu 1400 type veth peer name v1 mtu 1300") {
        StmtKind::Link(LinkCmd::Add {
            name,
            kind: LinkType::Veth { peer_ops, .. },
            ops,
        }) => {
            assert_eq!(lit(&name), "v0");
            assert!(matches!(ops.as_slice(), [LinkOp::Mtu(w)] if lit(w) == "1400"));
            assert!(matches!(peer_ops.as_slice(), [LinkOp::Mtu(w)] if lit(w) == "1300"));
        }
        other => panic!("{other:?}"),
    }
    match one("ip link add mv0 link eth0 type macvlan mode bridge") {
        StmtKind::Link(LinkCmd::Add {
            kind: LinkType::Other { opts, .. },
            ..
        }) => {
            let opts: Vec<_> = opts.iter().map(|(k, v)| (lit(k), lit(v))).collect();
            assert_eq!(
                opts,
                [
                    ("link".into(), "eth0".into()),
                    ("mode".into(), "bridge".into())
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    // Kind options vsh does not set run the real `ip`.
    assert!(matches!(
        one("ip link add br0 type bridge group_fwd_mask 8"),
        StmtKind::Iproute { .. }
    ));
    match one("link add vx0 type vxlan id 42 dstport 4789") {
        StmtKind::Link(LinkCmd::Add {
            kind: LinkType::Other { opts, .. },
            ..
        }) => {
            let opts: Vec<_> = opts.iter().map(|(k, v)| (lit(k), lit(v))).collect();
            assert_eq!(
                opts,
                [
                    ("id".into(), "42".into()),
                    ("dstport".into(), "4789".into())
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    match one("link set dev veth0 up master br0 mtu 1400") {
        StmtKind::Link(LinkCmd::Set { dev, ops }) => {
            assert_eq!(lit(&dev), "veth0");
            assert!(matches!(ops[0], LinkOp::Up(_)));
            assert!(matches!(&ops[1], LinkOp::Master(w) if lit(w) == "br0"));
            assert!(matches!(&ops[2], LinkOp::Mtu(w) if lit(w) == "1400"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        one("link set veth1 netns 1"),
        StmtKind::Link(LinkCmd::Set { ops, .. }) if matches!(&ops[0], LinkOp::Netns(w) if lit(w) == "1")
    ));
    assert!(
        matches!(one("link set veth0 nomaster down"), StmtKind::Link(LinkCmd::Set { ops, .. }) if ops.len() == 2)
    );
    for src in ["link del veth0", "ip link delete dev veth0"] {
        assert!(matches!(one(src), StmtKind::Link(LinkCmd::Del { dev }) if lit(&dev) == "veth0"));
    }
}

#[test]
fn addr_and_veth_forms() {
    match one("ip addr add 1.2.3.101/24 dev veth0") {
        StmtKind::Addr(AddrCmd::Add { prefix, dev, opts }) => {
            assert_eq!(
                (lit(&prefix), lit(&dev)),
                ("1.2.3.101/24".into(), "veth0".into())
            );
            assert_eq!(*opts, AddrOpts::default());
        }
        other => panic!("{other:?}"),
    }
    // iproute2's order-free options.
    match one("ip a a dev veth0 brd + 10.0.0.1/24 label veth0:1 nodad") {
        StmtKind::Addr(AddrCmd::Add { prefix, dev, opts }) => {
            assert_eq!(
                (lit(&prefix), lit(&dev)),
                ("10.0.0.1/24".into(), "veth0".into())
            );
            assert_eq!(opts.broadcast.map(|w| lit(&w)).as_deref(), Some("+"));
            assert_eq!(opts.label.map(|w| lit(&w)).as_deref(), Some("veth0:1"));
            assert_eq!(opts.flags[0].0, AddrFlag::NoDad);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        one("ip addr show up"),
        StmtKind::Addr(AddrCmd::Show {
            dev: None,
            up: true,
            ..
        })
    ));
    match one("ip -4 addr show scope global") {
        StmtKind::Addr(AddrCmd::Show { filter, .. }) => {
            assert_eq!(filter.family, Some(IpFamily::V4));
            assert_eq!(filter.scope.map(|w| lit(&w)).as_deref(), Some("global"));
        }
        other => panic!("{other:?}"),
    }
    // Selectors vsh does not implement run the real `ip`.
    assert!(matches!(
        one("ip addr show tentative"),
        StmtKind::Iproute { .. }
    ));
    assert!(matches!(
        one("address del 2001:db8::1/64 dev br0"),
        StmtKind::Addr(AddrCmd::Del { .. })
    ));
    assert!(matches!(
        one("addr"),
        StmtKind::Addr(AddrCmd::Show { dev: None, .. })
    ));
    assert!(matches!(
        one("ip addr show dev br0"),
        StmtKind::Addr(AddrCmd::Show { dev: Some(_), .. })
    ));
    match one("veth veth0 peer veth1 netns netns1") {
        StmtKind::Veth { name, peer, netns } => {
            assert_eq!((lit(&name), lit(&peer)), ("veth0".into(), "veth1".into()));
            assert_eq!(netns.map(|w| lit(&w)).as_deref(), Some("netns1"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn words_interpolate_variables_and_arithmetic() {
    match one("netns add h$i") {
        StmtKind::Netns(NetnsCmd::Add(w)) => {
            assert_eq!(w.parts[0], WordPart::Lit("h".into()));
            assert!(matches!(&w.parts[1], WordPart::Var(v) if v.name == "i"));
        }
        other => panic!("{other:?}"),
    }
    match one("addr add 10.0.${i + 1 * 2}.1/24 dev v$i") {
        StmtKind::Addr(AddrCmd::Add { prefix, .. }) => {
            assert_eq!(prefix.parts.len(), 3);
            match &prefix.parts[1] {
                WordPart::Expr(Expr::Bin(lhs, BinOp::Add, rhs, _)) => {
                    assert!(matches!(**lhs, Expr::Var(ref v) if v.name == "i"));
                    assert!(matches!(**rhs, Expr::Bin(_, BinOp::Mul, _, _)));
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    match one(r#"echo "a $x b" 'no $x' "" $? $1"#) {
        StmtKind::External { argv } => {
            assert_eq!(argv.len(), 6);
            assert_eq!(argv[2].literal().as_deref(), Some("no $x"));
            assert_eq!(argv[3].literal().as_deref(), Some(""));
            assert!(matches!(&argv[4].parts[0], WordPart::Var(v) if v.name == "?"));
            assert!(matches!(&argv[5].parts[0], WordPart::Var(v) if v.name == "1"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn control_flow() {
    match one("let n = 3") {
        StmtKind::Let { name, value } => {
            assert_eq!((name.name, lit(&value)), ("n".into(), "3".into()))
        }
        other => panic!("{other:?}"),
    }
    match one("for i in 1..$n { netns add h$i }") {
        StmtKind::For {
            var,
            items: ForItems::Range { from, .. },
            body,
        } => {
            assert_eq!(var.name, "i");
            assert_eq!(lit(&from), "1");
            assert_eq!(body.stmts.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    match one("for name in red green blue {\n netns add $name\n}") {
        StmtKind::For {
            items: ForItems::List(words),
            ..
        } => assert_eq!(words.len(), 3),
        other => panic!("{other:?}"),
    }
    match one("if netns exists red { netns del red } else { netns add red }") {
        StmtKind::If {
            cond: Cond::NetnsExists(w),
            otherwise: Some(_),
            ..
        } => assert_eq!(lit(&w), "red"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        one("if ! link exists veth0 {\n veth veth0 peer veth1\n}\nelse if true { }"),
        StmtKind::If {
            cond: Cond::Not(..),
            otherwise: Some(_),
            ..
        }
    ));
    assert!(matches!(one("! netns del nothere"), StmtKind::Not(_)));
    assert!(
        matches!(one("exec ping -c 1 10.1.1.1"), StmtKind::Exec { ns: None, argv } if argv.len() == 4)
    );
    assert!(matches!(
        one("exec -n red ip link"),
        StmtKind::Exec { ns: Some(_), .. }
    ));
}

#[test]
fn separators_comments_and_spans() {
    let src = "# the lab\nnetns add a; netns add b # two\n\n  link set lo up\n";
    let p = parse(src).unwrap();
    assert_eq!(p.stmts.len(), 3);
    let third = &p.stmts[2];
    assert_eq!(&src[third.span.start..third.span.end], "link set lo up");
    assert!(parse("").unwrap().stmts.is_empty());
    assert_eq!(stmts("netns add \\\n  a").len(), 1);
}

#[test]
fn keywords_end_at_word_boundaries() {
    // `links` and `netnsfoo` are programs, not builtins.
    assert!(matches!(one("links -dump"), StmtKind::External { .. }));
    assert!(matches!(one("ipcalc 10.0.0.1"), StmtKind::External { .. }));
    assert!(matches!(
        one("cat /sys/class/net/veth0/iflink"),
        StmtKind::External { .. }
    ));
}

#[test]
fn bad_input_says_where_and_what() {
    let (msg, expected, at) = error_at("netns add a\nlink frobnicate veth0\n");
    assert_eq!(msg, "syntax error: unexpected `frobnicate`");
    assert_eq!(at, "frobnicate");
    for kw in ["`add`", "`set`", "`del`", "`show`"] {
        assert!(expected.contains(kw), "{expected}");
    }
    let (msg, expected, _) = error_at("netns add");
    assert_eq!(msg, "syntax error: unexpected end of input");
    assert!(expected.contains("a word"), "{expected}");
    let (_, expected, at) = error_at("for i in 1..3\n netns add x\n");
    assert!(expected.contains("`{`"), "{expected}");
    assert_eq!(at, "\n");
    let (msg, _, _) = error_at("netns red {\n link\n");
    assert_eq!(msg, "syntax error: unexpected end of input");
    let (_, expected, at) = error_at("addr add 10.0.0.1/24 veth0");
    assert_eq!(at, "veth0");
    assert!(expected.contains("`dev`"), "{expected}");
    let (_, _, at) = error_at("let = 3");
    assert_eq!(at, "=");
    let (_, _, at) = error_at("echo }");
    assert_eq!(at, "}");
}

#[test]
fn hostile_input_is_refused_not_a_crash() {
    use vsh::syntax::{Refused, MAX_DEPTH, MAX_LINE};
    // The deepest nesting allowed parses, on a test thread's small stack too.
    let deep = "netns a { ".repeat(MAX_DEPTH) + &"}".repeat(MAX_DEPTH);
    assert!(parse(&deep).is_ok());
    let arith = format!(
        "echo ${{{}1{}}}",
        "(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    assert!(parse(&arith).is_ok(), "{arith}");
    let too_deep = "{ ".repeat(5000);
    let e = parse(&too_deep).unwrap_err();
    assert_eq!(e.refused, Some(Refused::TooDeep(MAX_DEPTH)));
    assert_eq!(
        e.to_string(),
        format!("syntax error: nested deeper than {MAX_DEPTH} levels")
    );
    // `!`, `else if` and operators nest too: the deepest allowed parses, one more is refused.
    let nested = |n: usize| {
        [
            format!("{}true", "! ".repeat(n)),
            format!("if ! {}true {{ }}", "!".repeat(n - 2)),
            format!("if true {{ }}{}", "\nelse if true { }".repeat(n - 1)),
            format!("let x = ${{{}1}}", "-".repeat(n - 1)),
            format!("let x = ${{{}1}}", "1 + ".repeat(n - 1)),
            format!("{}{}", "! netns a { ".repeat(n / 2), "}".repeat(n / 2)),
        ]
    };
    for ok in nested(MAX_DEPTH) {
        assert!(parse(&ok).is_ok(), "{ok}");
    }
    for deep in nested(MAX_DEPTH + 2).into_iter().chain(nested(20_000)) {
        let e = parse(&deep).expect_err(&deep);
        assert_eq!(e.refused, Some(Refused::TooDeep(MAX_DEPTH)), "{deep}");
    }
    // Each statement starts afresh: many `!` lines and `else if` chains in a row are fine.
    let many = "! true\nif true { } else if true { } else if true { }\n".repeat(MAX_DEPTH * 2);
    assert!(parse(&format!("netns a {{\n{many}}}")).is_ok());
    // `!->` in a ping block is not a `!`, nor is one inside a word.
    let pings = "a !-> b\n".repeat(MAX_DEPTH * 2);
    assert!(parse(&format!("ping {{\n{pings}}}\necho {}", "x!".repeat(100))).is_ok());
    let long = format!("echo {}", "x".repeat(2 << 20));
    assert_eq!(
        parse(&long).unwrap_err().refused,
        Some(Refused::LineTooLong(MAX_LINE))
    );
    let junk = "netns add a\n\u{0}\u{1}\u{7f}ELF";
    let e = parse(junk).unwrap_err();
    assert_eq!(e.refused, Some(Refused::ControlChar('\u{0}')));
    assert_eq!(e.span.start, 12);
    // Beyond ASCII: words and strings may hold any letter, but no control character.
    assert!(parse("echo grüße \"${x}ü{\" 'ü{' # ü{").is_ok());
    let e = parse("echo a\u{85}b").unwrap_err();
    assert_eq!(e.refused, Some(Refused::ControlChar('\u{85}')));
    assert_eq!(e.span.start, 6);
    // Braces inside strings and comments do not count, but `${ }` in a string does.
    assert!(parse(&"echo \"{ ( $x\"\n".repeat(MAX_DEPTH * 2)).is_ok());
    let e = parse(&format!("echo \"${{{}1\"", "(".repeat(MAX_DEPTH))).unwrap_err();
    assert_eq!(e.refused, Some(Refused::TooDeep(MAX_DEPTH)));
    assert!(parse(&format!("echo '{}' # {}", "{".repeat(100), "(".repeat(100))).is_ok());
}

/// The parser works one top-level statement at a time: spans, `else` on a later line, line
/// continuations and errors far into a script must read as if the text were parsed whole.
#[test]
fn statements_far_into_a_script_keep_spans_and_errors() {
    // Long enough that pest sees it in several chunks.
    let head = "netns add a\n".repeat(3000);
    let src = &(head.clone() + "netns add a\r\nif true { }\n# note\n\nelse { netns add b\n}\nveth x \\\r\n  peer y\n\naddr add 10.0.0.1/24 dev x");
    let p = parse(src).unwrap();
    assert_eq!(p.stmts.len(), 3004);
    assert!(matches!(
        &p.stmts[3001].kind,
        StmtKind::If {
            otherwise: Some(_),
            ..
        }
    ));
    let last = &p.stmts[3003];
    assert_eq!(
        &src[last.span.start..last.span.end],
        "addr add 10.0.0.1/24 dev x"
    );
    let StmtKind::Addr(AddrCmd::Add { dev, .. }) = &last.kind else {
        panic!("{:?}", last.kind)
    };
    assert_eq!(&src[dev.span.start..dev.span.end], "x");
    let (_, expected, shown) = error_at(&format!("{head}addr add 10.0.0.1/24\n"));
    assert!(expected.starts_with("`dev`"), "{expected}");
    assert_eq!(shown, "\n");
    let e = parse("netns add a\nnetns b {\n  link set x up\n").expect_err("unclosed");
    assert!(e.is_incomplete());
    assert_eq!(
        e.open.map(|s| &"netns add a\nnetns b {\n"[s.start..s.end]),
        Some("{")
    );
}

/// A long script is parsed on several threads: statements, spans and errors are as if it were
/// parsed whole, in one piece.
#[test]
fn a_long_script_parses_as_one() {
    let line = "link set v1 up\n";
    let head = line.repeat(40_000);
    let src = head.clone() + "netns b {\n  addr add 10.0.0.1/24 dev x\n}\n";
    let p = parse(&src).unwrap();
    assert_eq!(p.stmts.len(), 40_001);
    let last = &p.stmts[40_000];
    assert_eq!(last.span.start, head.len());
    assert_eq!(
        &src[last.span.start..last.span.end],
        "netns b {\n  addr add 10.0.0.1/24 dev x\n}"
    );
    let (_, expected, shown) = error_at(&format!("{head}addr add 10.0.0.1/24\n{head}"));
    assert!(expected.starts_with("`dev`"), "{expected}");
    assert_eq!(shown, "\n");
    let e = parse(&format!("{head}link set\n")).unwrap_err();
    assert_eq!(e.span.start, head.len() + "link set".len());
}

#[test]
fn pipes_bind_tighter_than_and_or_which_go_left_to_right() {
    let words = |s: &Stmt| match &s.kind {
        StmtKind::External { argv } => argv.iter().map(lit).collect::<Vec<_>>().join(" "),
        other => panic!("{other:?}"),
    };
    match one("a | b && c | d || e") {
        StmtKind::AndOr { first, rest } => {
            assert!(matches!(&first.kind, StmtKind::Pipeline(p) if p.len() == 2));
            assert_eq!(rest.len(), 2);
            assert_eq!(rest[0].0, AndOr::And);
            assert!(matches!(&rest[0].1.kind, StmtKind::Pipeline(p) if words(&p[1]) == "d"));
            assert_eq!(rest[1].0, AndOr::Or);
            assert_eq!(words(&rest[1].1), "e");
        }
        other => panic!("{other:?}"),
    }
    // `!` negates the whole pipeline after it; a newline after an operator continues the line.
    match one("! link show | grep -q veth &&\n  echo none") {
        StmtKind::AndOr { first, rest } => {
            assert!(
                matches!(&first.kind, StmtKind::Not(p) if matches!(p.kind, StmtKind::Pipeline(_)))
            );
            assert_eq!(words(&rest[0].1), "echo none");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(stmts("a; b | c\nd").len(), 3);
}

#[test]
fn redirections_bind_to_their_statement() {
    match one("ls /x 2>err.txt >>out.txt") {
        StmtKind::Redirected { stmt, redirects } => {
            assert!(matches!(stmt.kind, StmtKind::External { ref argv } if argv.len() == 2));
            assert_eq!(redirects[0].fd, 2);
            assert!(matches!(&redirects[0].to, RedirectTo::Write(w) if lit(w) == "err.txt"));
            assert_eq!(redirects[1].fd, 1);
            assert!(matches!(&redirects[1].to, RedirectTo::Append(w) if lit(w) == "out.txt"));
        }
        other => panic!("{other:?}"),
    }
    // `2 >` after a blank is the word 2; `&>` is `> FILE 2>&1`.
    match one("echo 2 > f") {
        StmtKind::Redirected { stmt, redirects } => {
            assert!(matches!(stmt.kind, StmtKind::External { ref argv } if argv.len() == 2));
            assert_eq!(redirects[0].fd, 1);
        }
        other => panic!("{other:?}"),
    }
    // After `>&` a descriptor; after `>` a file, even one named 2.
    match one("ls 2>&1 >2") {
        StmtKind::Redirected { redirects, .. } => {
            assert_eq!(
                (redirects[0].fd, &redirects[0].to),
                (2, &RedirectTo::Dup(1))
            );
            assert!(matches!(&redirects[1].to, RedirectTo::Write(w) if lit(w) == "2"));
        }
        other => panic!("{other:?}"),
    }
    match one("netns red { link show } &> all.txt") {
        StmtKind::Redirected { stmt, redirects } => {
            assert!(matches!(stmt.kind, StmtKind::NetnsBlock { .. }));
            assert_eq!(redirects.len(), 2);
            assert_eq!(redirects[1].to, RedirectTo::Dup(1));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn command_substitution_is_a_part_of_a_word() {
    match one("let idx = \"if$(cat /sys/class/net/veth0/iflink)\"") {
        StmtKind::Let { value, .. } => match value.parts.as_slice() {
            [WordPart::Lit(l), WordPart::Subst(sub)] => {
                assert_eq!(l, "if");
                assert_eq!(sub.stmts.len(), 1);
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn shell_forms_vsh_lacks_are_refused_where_they_stand() {
    for (src, at) in [
        ("sleep 30 &", "&"),
        ("let x = `date`", "`"),
        ("cat <<EOF", "<<"),
        ("a;; b", ";;"),
        ("ls *.pcap", "*"),
        ("a |& b", "|&"),
        ("(a; b)", "("),
        ("echo $((1 + 2))", "(("),
    ] {
        let e = parse(src).expect_err(src);
        assert!(matches!(e.refused, Some(Refused::ShellForm(_))), "{src}");
        assert_eq!(&src[e.span.start..e.span.end], at, "{src}");
        assert!(e.help.is_some(), "{src}");
    }
    // Quoted, escaped, or inside `${ }`, they are text and arithmetic.
    for src in [
        "echo '*' \"a&b\" \\&",
        "echo ${2 * 3}",
        "echo $?",
        "a && b || c 2>&1",
    ] {
        assert!(parse(src).is_ok(), "{src}");
    }
}

#[test]
fn iproute2_prefixes_match_in_its_own_order() {
    for src in [
        "ip a",
        "ip ad",
        "ip addr",
        "ip addre",
        "ip a s",
        "ip a sh d0",
        "ip a l",
        "ip a lst",
    ] {
        assert!(
            matches!(one(src), StmtKind::Addr(AddrCmd::Show { .. })),
            "{src}"
        );
    }
    for src in [
        "ip l",
        "ip li",
        "ip lin sh",
        "ip link l",
        "ip link ls dev d0",
    ] {
        assert!(
            matches!(one(src), StmtKind::Link(LinkCmd::Show { .. })),
            "{src}"
        );
    }
    // In `link`, `s` is `set` (iproute2 tries `set` before `show`).
    for src in ["ip l s d0 up", "ip li se dev d0 up", "ip link set d0 up"] {
        assert!(
            matches!(one(src), StmtKind::Link(LinkCmd::Set { .. })),
            "{src}"
        );
    }
    for src in ["ip l d d0", "ip link de dev d0", "ip link delete name d0"] {
        assert!(
            matches!(one(src), StmtKind::Link(LinkCmd::Del { .. })),
            "{src}"
        );
    }
    for src in [
        "ip r",
        "ip ro s",
        "ip -6 r",
        "ip rou a 10.0.0.0/8 dev d0",
        "ip r d default",
    ] {
        assert!(matches!(one(src), StmtKind::Route(_)), "{src}");
    }
    for src in ["ip -net red link", "ip -netns red a", "ip --n red r"] {
        assert!(matches!(one(src), StmtKind::InNetns { .. }), "{src}");
    }
    assert!(matches!(
        one("ip a a 10.0.0.1/24 dev d0"),
        StmtKind::Addr(AddrCmd::Add { .. })
    ));
    assert!(matches!(
        one("ip a d 10.0.0.1/24 dev d0"),
        StmtKind::Addr(AddrCmd::Del { .. })
    ));
    // `n` is neigh, `tunt` and `tap` tuntap; without `ip`, only the whole words.
    for src in [
        "ip n",
        "ip nei show dev d0",
        "ip neighbour list",
        "ip n a 10.0.0.1 lladdr 02:00:00:00:00:01 dev d0",
        "ip -n red neigh flush dev d0",
        "neigh get 10.0.0.1 dev d0",
        "neighbor replace 2001:db8::1 lladdr 02:00:00:00:00:01 dev d0 nud stale router",
        "ip tunt a dev tap0 mode tap",
        "ip tap",
        "tuntap del tap0 mode tap",
        "tuntap",
    ] {
        assert!(
            matches!(
                one(src),
                StmtKind::Neigh(_) | StmtKind::Tuntap(_) | StmtKind::InNetns { .. }
            ),
            "{src}"
        );
    }
    // `ru` is rule: an object vsh leaves to the real `ip`.
    for src in [
        "ip n add 10.0.0.1 lladdr 02:00:00:00:00:01 dev d0 extern_learn",
        "ip ru add from 10.0.0.0/8 table 5",
        "ip -j -o a",
        "ip -br -s link",
        "ip -4 link",
        "ip -c route",
        "ip -f link addr",
        "ip -4 addr show tentative",
        "ip nexthop add id 1 blackhole",
        "ip tuntap add dev tap0 mode tap one_queue",
        "ip -all netns exec ip link",
        "ip link set d0 xdp off",
        "ip link set br0 type bridge forw 400",
        "ip link property delete dev d0 altname x",
        "ip route add 10.0.0.0/8 dev d0 realm 5",
        "ip $object show",
    ] {
        match one(src) {
            StmtKind::Iproute { argv } => {
                assert_eq!(argv.len(), src.split_whitespace().count(), "{src}");
                assert_eq!(lit(&argv[0]), "ip");
            }
            other => panic!("{src}: {other:?}"),
        }
    }
}

/// Show forms with iproute2's output options are vsh's own, and keep the line as written.
#[test]
fn output_options_make_show_forms() {
    for src in [
        "ip -j link",
        "ip -br -c a",
        "ip -d link show d0",
        "ip -4 -j addr show",
        "ip -json -pretty route",
        "ip -n red -s -s l",
        "ip -o -4 a s dev d0",
        "bridge -j link",
        "bridge -n red -j -p link show dev v0",
        "ip -c=never -br addr show up",
    ] {
        match one(src) {
            StmtKind::IpShow { argv, .. } => {
                assert_eq!(argv.len(), src.split_whitespace().count(), "{src}");
                let words: Vec<String> = argv.iter().map(lit).collect();
                assert_eq!(words.join(" "), src);
            }
            other => panic!("{src}: {other:?}"),
        }
    }
    for src in ["ip netns", "ip net", "ip netn"] {
        assert!(matches!(one(src), StmtKind::Netns(NetnsCmd::List)), "{src}");
    }
}

#[test]
fn ping_blocks_hold_loops_lets_and_ifs() {
    let src = "ping -v -W 1 {\n\
        let far = 9\n\
        for i in 1..3 {\n\
            if netns exists h$i { h$i -> 10.0.0.$i } else { h1 !-> h$i }\n\
        }\n\
        for n in red blue { $n -> 10.0.0.$far }\n\
    }";
    let StmtKind::PingBlock { opts, items } = one(src) else {
        panic!("not a ping block")
    };
    let flags: Vec<_> = opts.iter().map(|o| o.flag).collect();
    assert_eq!(flags, [PingFlag::Verbose, PingFlag::Timeout]);
    assert!(matches!(&items[0], PingItem::Let { name, .. } if name.name == "far"));
    let PingItem::For {
        var,
        items: ForItems::Range { .. },
        body,
    } = &items[1]
    else {
        panic!("{:?}", items[1])
    };
    assert_eq!(var.name, "i");
    let PingItem::If {
        then, otherwise, ..
    } = &body[0]
    else {
        panic!("{body:?}")
    };
    assert!(matches!(&then[0], PingItem::Line(l) if l.reachable));
    assert!(matches!(&otherwise.as_ref().unwrap()[0], PingItem::Line(l) if !l.reachable));
    assert!(matches!(&items[2], PingItem::For { items: ForItems::List(w), .. } if w.len() == 2));
    // A line still needs its arrow.
    assert!(parse("ping { for i in 1..2 { h$i 10.0.0.1 } }").is_err());
}

#[test]
fn build_blocks() {
    let StmtKind::Build(body) = one("build {\n  link set br0 up\n  netns h1 { link set e1 up }\n}")
    else {
        panic!("not a build block")
    };
    assert_eq!(body.stmts.len(), 2);
    // `build` alone is still a program's name.
    assert!(matches!(one("build --release"), StmtKind::External { .. }));
}

#[test]
fn what_iproute2_refuses_is_a_syntax_error() {
    // No object of iproute2 starts with `neighbours` (`neighbour` is the longest).
    let (msg, expected, at) = error_at("ip neighbours show");
    assert_eq!(msg, "syntax error: unexpected `neighbours`");
    assert_eq!(at, "neighbours");
    assert!(expected.contains("an object of iproute2"), "{expected}");
    // `-n` takes a namespace: `link` is one, then `show` is no object.
    let (_, _, at) = error_at("ip -n link show");
    assert_eq!(at, "show");
    assert!(parse("ip frobnicate").is_err());
    // An option that takes an argument, without one.
    let (msg, _, _) = error_at("ip -n");
    assert_eq!(msg, "syntax error: unexpected end of input");
    assert!(parse("ip -netns").is_err());
}

#[test]
fn ping_takes_a_flag_glued_to_its_value() {
    match one("ping -c1 -W 2 -i0.2 10.0.0.1") {
        StmtKind::Ping { opts, dest } => {
            let flags: Vec<_> = opts
                .iter()
                .map(|o| (o.flag, o.value.as_ref().map(lit)))
                .collect();
            assert_eq!(
                flags,
                [
                    (PingFlag::Count, Some("1".to_string())),
                    (PingFlag::Timeout, Some("2".to_string())),
                    (PingFlag::Interval, Some("0.2".to_string())),
                ]
            );
            assert_eq!(lit(&dest), "10.0.0.1");
        }
        other => panic!("{other:?}"),
    }
}

/// `link set`'s options by iproute2's prefixes, in its order of matching: `a` is address, `al`
/// alias, `b` broadcast, `t` txqueuelen, `ty` type, `m` master, `n` nomaster.
#[test]
fn link_set_options_match_as_iproute2_matches_them() {
    let ops = |src: &str| match one(src) {
        StmtKind::Link(LinkCmd::Set { ops, .. }) => ops,
        other => panic!("{src}: {other:?}"),
    };
    for (src, want) in [
        ("ip link set d0 a 02:00:00:00:00:01", "Address"),
        ("ip link set d0 addr 02:00:00:00:00:01", "Address"),
        ("ip link set d0 al x", "Alias"),
        ("ip link set d0 alias \"a b\"", "Alias"),
        ("ip link set d0 b ff:ff:ff:ff:ff:ff", "Broadcast"),
        ("ip link set d0 brd ff:ff:ff:ff:ff:ff", "Broadcast"),
        ("ip link set d0 t 5", "TxQueueLen"),
        ("ip link set d0 txqlen 5", "TxQueueLen"),
        ("ip link set d0 qlen 5", "TxQueueLen"),
        ("ip link set d0 group default", "Group"),
        ("ip link set d0 arp off", "Switch(Arp"),
        ("ip link set d0 allmulticast on", "Switch(AllMulticast"),
        ("ip link set d0 m br0", "Master"),
        ("ip link set d0 n", "NoMaster"),
        ("ip link set br0 ty bridge stp_state 1", "Type"),
        ("link set br0 type bridge", "Type"),
    ] {
        let ops = ops(src);
        assert!(format!("{:?}", ops[0]).starts_with(want), "{src}: {ops:?}");
    }
    assert_eq!(ops("ip link set d0 up arp off alias x mtu 1400").len(), 4);
    // `dev DEV` after options, as in `ip link set up dev wg0`.
    match one("ip link set up mtu 1400 dev wg0 promisc on") {
        StmtKind::Link(LinkCmd::Set { dev, ops }) => {
            assert_eq!(lit(&dev), "wg0");
            assert_eq!(ops.len(), 3);
        }
        other => panic!("{other:?}"),
    }
    for (src, add) in [
        ("ip link property add dev d0 altname a", true),
        ("ip link p a d0 a x a y", true),
        ("link property add altname x dev d0", true),
        ("ip link prop d d0 alt x", false),
    ] {
        match one(src) {
            StmtKind::Link(LinkCmd::Property {
                add: a, altnames, ..
            }) => {
                assert_eq!(a, add, "{src}");
                assert!(!altnames.is_empty(), "{src}");
            }
            other => panic!("{src}: {other:?}"),
        }
    }
}

#[test]
fn each_kind_takes_its_own_options() {
    // vsh's own kinds and options: a bridge's, a vxlan's, a macvlan's, a VLAN's.
    for src in [
        "ip link add br0 type bridge stp_state 1 vlan_filtering 0",
        "ip link add vx0 type vxlan id 5 dstport 4789 nolearning",
        "ip link add mv0 link eth0 type macvlan mode bridge",
        "ip link add link eth0 name eth0.10 type vlan id 10",
        "ip link add eth0.20 link eth0 type vlan proto 802.1ad id 20",
        "link add l0 link eth0 type vlan id 7 protocol 802.1Q",
    ] {
        assert!(
            matches!(one(src), StmtKind::Link(LinkCmd::Add { .. })),
            "{src}"
        );
    }
    // An option of another kind, or of a kind vsh sets no option of, is iproute2's line.
    for src in [
        "ip link add br0 type bridge id 5",
        "ip link add d0 type dummy mode vepa",
        "ip link add g0 type gretap local 10.0.0.1 remote 10.0.0.2",
        "ip link add bond0 type bond mode 802.3ad",
        "ip link add l0 link eth0 type vlan id 5 reorder_hdr off",
    ] {
        assert!(matches!(one(src), StmtKind::Iproute { .. }), "{src}");
    }
    // Without `ip`, it is vsh's own syntax error, at the option.
    let (_, expected, at) = error_at("link add br0 type bridge id 5");
    assert_eq!(at, "id");
    assert!(expected.contains("bridge option"), "{expected}");
}

#[test]
fn a_link_add_name_is_never_read_as_an_option() {
    // `link set` takes iproute2's prefixes (`a` is `address`); before `type`, the options of
    // `link add` are whole words, so short names stay names.
    for (src, name) in [
        ("link add a type bridge", "a"),
        ("link add t type dummy", "t"),
        ("ip link add b type bridge", "b"),
        ("ip link add address 02:00:00:00:00:01 d0 type ifb", "d0"),
    ] {
        match one(src) {
            StmtKind::Link(LinkCmd::Add { name: n, .. }) => assert_eq!(lit(&n), name, "{src}"),
            other => panic!("{src}: {other:?}"),
        }
    }
}
