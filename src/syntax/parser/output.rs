//! Show forms with iproute2's output options: `ip -j -p link`, `ip -br -c addr`, `ip -4 -o a`,
//! `bridge -j -n NS link`, bare `ip netns`. What vsh cannot print as iproute2 does stays the
//! real program's (`StmtKind::Iproute`, or an external `bridge`).

use super::net::{parse_addr, parse_link};
use super::route::parse_route;
use super::{is_keyword, parse_word, Cx, Rule};
use crate::syntax::ast::*;
use pest::iterators::Pair;

/// `ip [-n NS] [OPTIONS] link|address|route|netns ...`
pub(super) fn parse_ip_show<'a>(
    cx: Cx,
    inner: impl Iterator<Item = Pair<'a, Rule>>,
    sp: Span,
) -> StmtKind {
    let program = Word {
        parts: vec![WordPart::Lit("ip".into())],
        span: Span::new(sp.start, sp.start + 2),
    };
    let mut argv = vec![program];
    let mut opts = OutputOpts::default();
    let mut ns = None;
    let mut cmd = None;
    let mut family_ok = true;
    for p in inner {
        let words = p.clone().into_inner().filter(|w| w.as_rule() == Rule::word);
        match p.as_rule() {
            Rule::ip_netns => {
                argv.push(lit(
                    p.as_str().split_whitespace().next().unwrap_or("-n"),
                    cx.span(&p),
                ));
                ns = words.last().map(|p| parse_word(cx, p));
                argv.extend(ns.clone());
            }
            Rule::ip_out_opt => {
                argv.push(lit(p.as_str(), cx.span(&p)));
                out_opt(&mut opts, p.as_str());
            }
            Rule::ip_out_family => {
                let value = words.last();
                argv.push(lit(
                    p.as_str().split_whitespace().next().unwrap_or("-f"),
                    cx.span(&p),
                ));
                if let Some(v) = &value {
                    argv.push(parse_word(cx, v.clone()));
                }
                match value.map(|v| v.as_str().to_string()).as_deref() {
                    Some("inet") => opts.family = Some(IpFamily::V4),
                    Some("inet6") => opts.family = Some(IpFamily::V6),
                    // `link`, `mpls`, a variable: iproute2's to judge.
                    _ => family_ok = false,
                }
            }
            Rule::ip_show_link | Rule::ip_show_addr | Rule::ip_show_route | Rule::ip_show_netns => {
                argv.extend(object_words(cx, &p));
                cmd = Some((p.as_rule(), object(cx, p)));
            }
            r => unreachable!("the grammar does not produce {r:?} in ip_show"),
        }
    }
    let (rule, kind) = cmd.expect("the grammar guarantees the object");
    if !family_ok || !native(rule, &kind, &opts) {
        return StmtKind::Iproute { argv };
    }
    let kind = match kind {
        // `ip -6 -j route`: the family is the listing's.
        StmtKind::Route(RouteCmd::Show {
            family: None,
            dev,
            sel,
        }) => StmtKind::Route(RouteCmd::Show {
            family: opts.family,
            dev,
            sel,
        }),
        k => k,
    };
    wrap(opts, argv, ns, kind, sp)
}

/// `bridge [-j] [-p] [-n NS] link [show [dev] DEV]`
pub(super) fn parse_bridge_show<'a>(
    cx: Cx,
    inner: impl Iterator<Item = Pair<'a, Rule>>,
    sp: Span,
) -> StmtKind {
    let program = Word {
        parts: vec![WordPart::Lit("bridge".into())],
        span: Span::new(sp.start, sp.start + 6),
    };
    let mut argv = vec![program];
    let mut opts = OutputOpts::default();
    let mut ns = None;
    let mut dev = None;
    for p in inner {
        match p.as_rule() {
            Rule::ip_netns => {
                argv.push(lit(
                    p.as_str().split_whitespace().next().unwrap_or("-n"),
                    cx.span(&p),
                ));
                ns = p
                    .into_inner()
                    .filter(|w| w.as_rule() == Rule::word)
                    .last()
                    .map(|p| parse_word(cx, p));
                argv.extend(ns.clone());
            }
            Rule::bridge_out_opt => {
                argv.push(lit(p.as_str(), cx.span(&p)));
                out_opt(&mut opts, p.as_str());
            }
            Rule::bridge_link => {
                argv.extend(object_words(cx, &p));
                dev = p
                    .into_inner()
                    .find(|w| w.as_rule() == Rule::word)
                    .map(|p| parse_word(cx, p));
            }
            r => unreachable!("the grammar does not produce {r:?} in bridge_show"),
        }
    }
    wrap(
        opts,
        argv,
        ns,
        StmtKind::Bridge(BridgeCmd::Link { dev }),
        sp,
    )
}

/// One option, any prefix of its name: `-j`, `-pretty`, `--brief`, `-c=auto`, `-s`.
fn out_opt(opts: &mut OutputOpts, text: &str) {
    let name = text.trim_start_matches('-');
    let (name, value) = name.split_once('=').unwrap_or((name, ""));
    match name.as_bytes().first() {
        Some(b'j') => opts.json = true,
        Some(b'p') => opts.pretty = true,
        Some(b'b') => opts.brief = true,
        Some(b'o') => opts.oneline = true,
        Some(b's') => opts.stats = opts.stats.saturating_add(1),
        Some(b'd') => opts.details = true,
        Some(b'c') => {
            opts.color = match value {
                "never" => ColorOpt::Never,
                "auto" => ColorOpt::Auto,
                _ => ColorOpt::Always,
            }
        }
        Some(b'4') => opts.family = Some(IpFamily::V4),
        Some(b'6') => opts.family = Some(IpFamily::V6),
        _ => unreachable!("the grammar takes no other option: {text}"),
    }
}

/// The show form the object's rule holds.
fn object(cx: Cx, p: Pair<Rule>) -> StmtKind {
    let rule = p.as_rule();
    let mut inner = p.into_inner().filter(|p| !is_keyword(p.as_rule()));
    match rule {
        Rule::ip_show_link => StmtKind::Link(match inner.next() {
            None => LinkCmd::Show { dev: None },
            Some(p) => parse_link(cx, p),
        }),
        Rule::ip_show_addr => StmtKind::Addr(match inner.next() {
            None => AddrCmd::Show {
                dev: None,
                up: false,
                filter: Box::default(),
            },
            Some(p) => parse_addr(cx, p),
        }),
        Rule::ip_show_route => StmtKind::Route(parse_route(cx, inner)),
        _ => StmtKind::Netns(NetnsCmd::List),
    }
}

/// Which combinations vsh prints byte for byte as iproute2 6.1 does; the others run `ip`.
fn native(rule: Rule, kind: &StmtKind, o: &OutputOpts) -> bool {
    // `-j -o` prints JSON of its own shape: left to `ip`.
    let text_only = !o.json || !o.oneline;
    let one_layout = !(o.brief && o.oneline);
    match rule {
        Rule::ip_show_link => {
            o.family.is_none()
                && text_only
                && one_layout
                && !(o.brief && (o.stats > 0 || o.details))
        }
        // `-6` reads IPv6's own link dump, without details or counters.
        Rule::ip_show_addr => {
            text_only
                && one_layout
                && !(o.brief && (o.stats > 0 || o.details))
                && !(o.oneline && o.details)
                && !(o.family == Some(IpFamily::V6) && (o.stats > 0 || o.details))
        }
        Rule::ip_show_route => {
            matches!(kind, StmtKind::Route(RouteCmd::Show { .. }))
                && !o.brief
                && !o.oneline
                && o.stats == 0
                && !o.details
                && o.color == ColorOpt::Never
        }
        _ => {
            !o.brief
                && !o.oneline
                && o.stats == 0
                && !o.details
                && o.color == ColorOpt::Never
                && o.family.is_none()
        }
    }
}

/// The statement, inside `-n NS` when one was given.
fn wrap(opts: OutputOpts, argv: Vec<Word>, ns: Option<Word>, kind: StmtKind, sp: Span) -> StmtKind {
    let mut cmd = Stmt { kind, span: sp };
    if let Some(ns) = ns {
        cmd = Stmt {
            kind: StmtKind::InNetns {
                ns,
                cmd: Box::new(cmd),
            },
            span: sp,
        };
    }
    if opts == OutputOpts::default() {
        return cmd.kind;
    }
    StmtKind::IpShow {
        opts,
        argv,
        cmd: Box::new(cmd),
    }
}

/// The object's words as written, for the real program.
fn object_words(cx: Cx, p: &Pair<Rule>) -> Vec<Word> {
    let mut out = Vec::new();
    for t in p.clone().into_inner() {
        match t.as_rule() {
            Rule::word => out.push(parse_word(cx, t)),
            r if is_keyword(r) || r == Rule::ip_netns_obj => out.push(lit(t.as_str(), cx.span(&t))),
            _ => out.extend(object_words(cx, &t)),
        }
    }
    out
}

fn lit(text: &str, span: Span) -> Word {
    Word {
        parts: vec![WordPart::Lit(text.to_string())],
        span,
    }
}
