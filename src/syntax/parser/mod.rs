//! Pest pairs to the typed AST: one `parse_*` function per rule.

use super::ast::*;
use super::prescan::prescan;
use super::shell::{group_stmts, parse_set_opt};
use super::SyntaxError;
use pest::iterators::Pair;
use pest::Parser as _;

mod errors;
mod net;
mod objects;
mod output;
mod route;
mod words;

use errors::*;
use net::*;
use objects::*;
use route::*;
pub(super) use words::parse_word;
use words::*;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/vsh.pest"]
struct VshParser;

/// Bytes of text pest parses at a time, cut at statement ends.
const CHUNK: usize = 16 * 1024;

/// Scripts at least this long are parsed on several threads.
const PARALLEL: usize = 256 * 1024;

/// Parses a whole script (or one REPL entry).
pub fn parse(text: &str) -> Result<Program, SyntaxError> {
    let scan = prescan(text)?;
    // Pest parses a few KiB of whole top-level statements at a time: that keeps its token
    // queue small, and lets a long script use every core. A chunk that fails is reparsed
    // with the whole text so errors read exactly as a whole-text parse's.
    let chunks = chunks(&scan.stmt_ends, text.len());
    let threads = if text.len() < PARALLEL {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    let per_thread = chunks.len().div_ceil(threads);
    let parsed = if threads == 1 {
        parse_chunks(text, &chunks)
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = chunks
                .chunks(per_thread)
                .map(|group| {
                    std::thread::Builder::new()
                        .stack_size(PARSE_STACK)
                        .spawn_scoped(scope, || parse_chunks(text, group))
                })
                .collect();
            // A thread that cannot start or panics makes the whole text parse here instead.
            let mut stmts = Vec::new();
            for worker in workers {
                stmts.extend(worker.ok()?.join().ok()??);
            }
            Some(stmts)
        })
    };
    match parsed {
        Some(stmts) => Ok(Program {
            stmts,
            span: Span::new(0, text.len()),
        }),
        None => parse_whole(text, scan.open),
    }
}

/// The stack of a parsing thread: as the main thread's, since pest recurses once per level
/// of nesting.
const PARSE_STACK: usize = 8 * 1024 * 1024;

/// Cuts the text at statement ends into pieces of about `CHUNK` bytes.
fn chunks(stmt_ends: &[usize], len: usize) -> Vec<(usize, usize)> {
    let mut chunks = Vec::new();
    let mut start = 0;
    for &end in stmt_ends.iter().chain([&len]) {
        // A few KiB a pest call: per-call setup outweighs a small chunk's savings.
        if end - start < CHUNK && end < len {
            continue;
        }
        chunks.push((start, end));
        start = end;
    }
    chunks
}

/// The statements of consecutive chunks, or None if one does not parse on its own.
fn parse_chunks(text: &str, chunks: &[(usize, usize)]) -> Option<Vec<Stmt>> {
    let mut stmts = Vec::new();
    for &(start, end) in chunks {
        let mut pairs = VshParser::parse(Rule::program, &text[start..end]).ok()?;
        let cx = Cx { offset: start };
        stmts.extend(pairs.next().map(|p| parse_stmts(cx, p)).unwrap_or_default());
    }
    Some(stmts)
}

/// The whole text in one pest parse: its error is the one users see.
fn parse_whole(text: &str, open: Option<Span>) -> Result<Program, SyntaxError> {
    let mut pairs = VshParser::parse(Rule::program, text).map_err(|e| {
        let mut e = syntax_error(e, text);
        if e.is_incomplete() {
            e.open = open;
        }
        e
    })?;
    let cx = Cx { offset: 0 };
    let stmts = pairs.next().map(|p| parse_stmts(cx, p)).unwrap_or_default();
    Ok(Program {
        stmts,
        span: Span::new(0, text.len()),
    })
}

/// What building the AST of one piece of text needs besides its pairs: where the piece starts
/// in the whole text (pest's offsets are the piece's own). Passed to every function that
/// builds a node with a span.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Cx {
    pub offset: usize,
}

impl Cx {
    /// A pair's place in the whole text.
    pub(super) fn span(self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.offset + s.start(), self.offset + s.end())
    }
}

fn parse_stmts(cx: Cx, pair: Pair<Rule>) -> Vec<Stmt> {
    group_stmts(cx, pair.into_inner())
}

fn parse_block(cx: Cx, pair: Pair<Rule>) -> Block {
    let sp = cx.span(&pair);
    let stmts = pair
        .into_inner()
        .next()
        .map(|p| parse_stmts(cx, p))
        .unwrap_or_default();
    Block { stmts, span: sp }
}

pub(super) fn parse_stmt(cx: Cx, pair: Pair<Rule>) -> Stmt {
    let sp = cx.span(&pair);
    let rule = pair.as_rule();
    let mut inner = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
    let kind = match rule {
        Rule::not_stmt => StmtKind::Not(Box::new(next(&mut group_stmts(cx, inner).into_iter()))),
        Rule::let_stmt => {
            let name = parse_ident(cx, next(&mut inner));
            StmtKind::Let {
                name,
                value: parse_word(cx, next(&mut inner)),
            }
        }
        Rule::for_stmt => parse_for(cx, inner, sp),
        Rule::if_stmt => parse_if(cx, inner),
        Rule::netns_block => StmtKind::NetnsBlock {
            ns: parse_word(cx, next(&mut inner)),
            body: parse_block(cx, next(&mut inner)),
        },
        Rule::build_block => StmtKind::Build(parse_block(cx, next(&mut inner))),
        Rule::netns_enter => StmtKind::NetnsEnter(parse_word(cx, next(&mut inner))),
        Rule::deny_stmt => StmtKind::Deny(parse_word(cx, next(&mut inner))),
        Rule::set_stmt => StmtKind::Set(inner.flat_map(|p| parse_set_opt(cx, p)).collect()),
        Rule::help_cmd => StmtKind::Help(inner.next().map(|p| parse_word(cx, p))),
        Rule::root_block => StmtKind::RootBlock(parse_block(cx, next(&mut inner))),
        Rule::ip_cmd => parse_ip_cmd(cx, inner),
        Rule::ip_show => output::parse_ip_show(cx, inner, sp),
        Rule::bridge_show => output::parse_bridge_show(cx, inner, sp),
        Rule::netns_cmd => parse_stmt(cx, next(&mut inner)).kind,
        Rule::netns_add
        | Rule::netns_del
        | Rule::netns_list
        | Rule::netns_exec
        | Rule::netns_attach
        | Rule::netns_identify
        | Rule::netns_pids => StmtKind::Netns(parse_netns(cx, rule, inner)),
        Rule::ping_cmd => parse_ping_cmd(cx, inner),
        Rule::ping_block => parse_ping_block(cx, inner),
        Rule::capture_cmd => parse_capture(cx, inner),
        Rule::spawn_cmd => {
            let (ns, argv) = parse_program(cx, inner);
            StmtKind::Spawn { ns, argv }
        }
        Rule::kill_cmd => parse_kill(cx, inner),
        Rule::wait_cmd => StmtKind::Wait {
            pids: inner.map(|p| parse_word(cx, p)).collect(),
        },
        Rule::link_cmd | Rule::ip_link => StmtKind::Link(match inner.next() {
            None => LinkCmd::Show { dev: None },
            Some(p) => parse_link(cx, p),
        }),
        Rule::addr_cmd | Rule::ip_addr => StmtKind::Addr(parse_addr_cmd(cx, inner)),
        Rule::veth_cmd => StmtKind::Veth {
            name: parse_word(cx, next(&mut inner)),
            peer: parse_word(cx, next(&mut inner)),
            netns: inner.next().map(|p| parse_word(cx, p)),
        },
        Rule::exec_stmt => {
            let (ns, argv) = parse_program(cx, inner);
            StmtKind::Exec { ns, argv }
        }
        Rule::external => StmtKind::External {
            argv: inner.map(|p| parse_word(cx, p)).collect(),
        },
        Rule::route_cmd | Rule::ip_route => StmtKind::Route(parse_route(cx, inner)),
        Rule::ip_program => parse_ip_program(cx, inner, sp),
        Rule::bridge_cmd => StmtKind::Bridge(BridgeCmd::Link {
            dev: next(&mut inner)
                .into_inner()
                .find(|p| p.as_rule() == Rule::word)
                .map(|p| parse_word(cx, p)),
        }),
        Rule::bridge_block => StmtKind::Bridge(parse_bridge_block(cx, inner)),
        Rule::peer_cmd => StmtKind::Peer(parse_word(cx, next(&mut inner))),
        Rule::stats_cmd => StmtKind::Stats(parse_word(cx, next(&mut inner))),
        Rule::graph_cmd => StmtKind::Graph(parse_graph(cx, inner)),
        Rule::trace_cmd => parse_trace(cx, inner),
        Rule::neigh_cmd | Rule::ip_neigh => StmtKind::Neigh(parse_neigh(cx, inner.next())),
        Rule::tuntap_cmd | Rule::ip_tuntap => StmtKind::Tuntap(parse_tuntap(cx, inner.next())),
        r => unreachable_rule(r),
    };
    Stmt { kind, span: sp }
}

/// `netns add|del|list|exec|attach|identify|pids ...`
fn parse_netns<'a>(
    cx: Cx,
    rule: Rule,
    mut inner: impl Iterator<Item = Pair<'a, Rule>>,
) -> NetnsCmd {
    let mut word = || parse_word(cx, next(&mut inner));
    match rule {
        Rule::netns_add => NetnsCmd::Add(word()),
        Rule::netns_del => NetnsCmd::Del(word()),
        Rule::netns_list => NetnsCmd::List,
        Rule::netns_exec => NetnsCmd::Exec {
            ns: word(),
            argv: inner.map(|p| parse_word(cx, p)).collect(),
        },
        Rule::netns_attach => NetnsCmd::Attach {
            name: word(),
            pid: word(),
        },
        Rule::netns_identify => NetnsCmd::Identify(inner.next().map(|p| parse_word(cx, p))),
        Rule::netns_pids => NetnsCmd::Pids(word()),
        r => unreachable_rule(r),
    }
}

/// An `ip` line vsh leaves to the real `ip`: its words as written.
fn parse_ip_program<'a>(cx: Cx, inner: impl Iterator<Item = Pair<'a, Rule>>, sp: Span) -> StmtKind {
    // `ip` itself is a keyword of the grammar: the program's name, where it was written.
    let ip = Word {
        parts: vec![WordPart::Lit("ip".into())],
        span: Span::new(sp.start, sp.start + 2),
    };
    StmtKind::Iproute {
        argv: std::iter::once(ip)
            .chain(inner.map(|p| parse_word(cx, p)))
            .collect(),
    }
}

/// The options of `graph`, in any order (a repeated one: the last counts).
fn parse_graph<'a>(cx: Cx, pairs: impl Iterator<Item = Pair<'a, Rule>>) -> GraphCmd {
    let mut cmd = GraphCmd {
        all: false,
        format: None,
        out: None,
    };
    for p in pairs {
        match p.as_rule() {
            Rule::graph_all => cmd.all = true,
            Rule::graph_flag => {
                let mut kv = p.into_inner();
                let key = next(&mut kv).as_str().to_string();
                let value = Some(parse_word(cx, next(&mut kv)));
                if key == "-o" {
                    cmd.out = value;
                } else {
                    cmd.format = value;
                }
            }
            r => unreachable_rule(r),
        }
    }
    cmd
}

/// `[-n NS] PROGRAM ARGS...` of `exec` and `spawn`.
fn parse_program<'a>(
    cx: Cx,
    pairs: impl Iterator<Item = Pair<'a, Rule>>,
) -> (Option<Word>, Vec<Word>) {
    let mut ns = None;
    let mut argv = Vec::new();
    for p in pairs {
        match p.as_rule() {
            Rule::ip_netns => ns = Some(parse_word(cx, last_word(p))),
            _ => argv.push(parse_word(cx, p)),
        }
    }
    (ns, argv)
}

fn parse_cond(cx: Cx, pair: Pair<Rule>) -> Cond {
    let sp = cx.span(&pair);
    match pair.as_rule() {
        Rule::cond_not => Cond::Not(Box::new(parse_cond(cx, next(&mut pair.into_inner()))), sp),
        Rule::netns_exists => Cond::NetnsExists(parse_word(cx, last_word(pair))),
        Rule::link_exists => Cond::LinkExists(parse_word(cx, last_word(pair))),
        Rule::cond_shell => Cond::Stmt(Box::new(next(
            &mut group_stmts(cx, pair.into_inner()).into_iter(),
        ))),
        _ => Cond::Stmt(Box::new(parse_stmt(cx, pair))),
    }
}

fn last_word(pair: Pair<Rule>) -> Pair<Rule> {
    let mut words = pair.into_inner().filter(|p| p.as_rule() == Rule::word);
    let first = next(&mut words);
    words.last().unwrap_or(first)
}

/// The grammar guarantees the child; a missing one is a bug in this file, not the user's error.
pub(super) fn next<T>(it: &mut impl Iterator<Item = T>) -> T {
    it.next().expect("the grammar guarantees this child")
}

fn unreachable_rule(rule: Rule) -> ! {
    unreachable!("the grammar does not produce {rule:?} here")
}

/// `FROM..TO` of a `for`, in a statement or a ping block.
pub(super) fn parse_range(cx: Cx, pair: Pair<Rule>) -> ForItems {
    let mut parts = pair.into_inner();
    let from = parse_word_parts(cx, next(&mut parts));
    let to = parse_word_parts(cx, next(&mut parts));
    ForItems::Range { from, to }
}

fn parse_for<'a>(cx: Cx, mut inner: impl Iterator<Item = Pair<'a, Rule>>, sp: Span) -> StmtKind {
    let var = parse_ident(cx, next(&mut inner));
    let mut words = Vec::new();
    let mut range = None;
    let mut body = None;
    for p in inner {
        match p.as_rule() {
            Rule::range => range = Some(parse_range(cx, p)),
            Rule::word => words.push(parse_word(cx, p)),
            Rule::block => body = Some(parse_block(cx, p)),
            r => unreachable_rule(r),
        }
    }
    StmtKind::For {
        var,
        items: range.unwrap_or(ForItems::List(words)),
        body: body.unwrap_or_else(|| Block {
            stmts: vec![],
            span: sp,
        }),
    }
}

fn parse_if<'a>(cx: Cx, mut inner: impl Iterator<Item = Pair<'a, Rule>>) -> StmtKind {
    let cond = parse_cond(cx, next(&mut inner));
    let then = parse_block(cx, next(&mut inner));
    let otherwise = inner.next().map(|p| match p.as_rule() {
        Rule::block => parse_block(cx, p),
        // `else if` is an else block holding one if statement.
        _ => {
            let s = parse_stmt(cx, p);
            Block {
                span: s.span,
                stmts: vec![s],
            }
        }
    });
    StmtKind::If {
        cond,
        then,
        otherwise,
    }
}

fn parse_ip_cmd<'a>(cx: Cx, mut inner: impl Iterator<Item = Pair<'a, Rule>>) -> StmtKind {
    let first = next(&mut inner);
    if first.as_rule() == Rule::ip_netns {
        let ns = parse_word(cx, last_word(first));
        let cmd = parse_stmt(cx, next(&mut inner));
        StmtKind::InNetns {
            ns,
            cmd: Box::new(cmd),
        }
    } else {
        parse_stmt(cx, first).kind
    }
}

fn parse_ping_cmd<'a>(cx: Cx, inner: impl Iterator<Item = Pair<'a, Rule>>) -> StmtKind {
    let mut opts = Vec::new();
    let mut dest = None;
    for p in inner {
        match p.as_rule() {
            Rule::word => dest = Some(parse_word(cx, p)),
            _ => opts.push(parse_ping_opt(cx, p)),
        }
    }
    StmtKind::Ping {
        opts,
        dest: dest.unwrap_or_else(|| unreachable_rule(Rule::ping_cmd)),
    }
}

fn parse_ping_block<'a>(cx: Cx, inner: impl Iterator<Item = Pair<'a, Rule>>) -> StmtKind {
    let (mut opts, mut items) = (Vec::new(), Vec::new());
    for p in inner {
        match p.as_rule() {
            Rule::ping_body => items = parse_ping_body(cx, p),
            _ => opts.push(parse_ping_opt(cx, p)),
        }
    }
    StmtKind::PingBlock { opts, items }
}

fn parse_capture<'a>(cx: Cx, inner: impl Iterator<Item = Pair<'a, Rule>>) -> StmtKind {
    let (mut count, mut file, mut dev, mut body) = (None, None, None, None);
    for p in inner {
        match p.as_rule() {
            Rule::capture_flag => {
                let mut kv = p.into_inner();
                let key = next(&mut kv).as_str().to_string();
                let value = parse_word(cx, next(&mut kv));
                if key == "-c" {
                    count = Some(value);
                } else {
                    file = Some(value);
                }
            }
            Rule::word => dev = Some(parse_word(cx, p)),
            Rule::block => body = Some(parse_block(cx, p)),
            r => unreachable_rule(r),
        }
    }
    StmtKind::Capture {
        count,
        file,
        dev: dev.unwrap_or_else(|| unreachable_rule(Rule::capture_cmd)),
        body: body.unwrap_or_else(|| unreachable_rule(Rule::capture_cmd)),
    }
}

fn parse_kill<'a>(cx: Cx, inner: impl Iterator<Item = Pair<'a, Rule>>) -> StmtKind {
    let mut signal = None;
    let mut pids = Vec::new();
    for p in inner {
        match p.as_rule() {
            Rule::kill_signal => signal = Some((p.as_str()[1..].to_string(), cx.span(&p))),
            _ => pids.push(parse_word(cx, p)),
        }
    }
    StmtKind::Kill { signal, pids }
}

fn parse_trace<'a>(cx: Cx, inner: impl Iterator<Item = Pair<'a, Rule>>) -> StmtKind {
    let (mut file, mut devs, mut body) = (None, Vec::new(), None);
    for p in inner {
        match p.as_rule() {
            Rule::trace_flag => file = p.into_inner().nth(1).map(|p| parse_word(cx, p)),
            Rule::word => devs.push(parse_word(cx, p)),
            Rule::block => body = Some(parse_block(cx, p)),
            r => unreachable_rule(r),
        }
    }
    StmtKind::Trace {
        file,
        devs,
        body: body.unwrap_or_else(|| unreachable_rule(Rule::trace_cmd)),
    }
}
