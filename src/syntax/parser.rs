//! Pest pairs to the typed AST: one `parse_*` function per rule.

use super::ast::*;
use super::prescan::prescan;
use super::shell::{group_stmts, parse_set_opt};
use super::SyntaxError;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use std::sync::OnceLock;

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
        OFFSET.set(start);
        stmts.extend(pairs.next().map(parse_stmts).unwrap_or_default());
        OFFSET.set(0);
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
    let stmts = pairs.next().map(parse_stmts).unwrap_or_default();
    Ok(Program {
        stmts,
        span: Span::new(0, text.len()),
    })
}

thread_local! {
    /// Where the chunk being built starts in the whole text: `span` adds it to pest's offsets.
    static OFFSET: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

pub(super) fn span(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    let offset = OFFSET.get();
    Span::new(offset + s.start(), offset + s.end())
}

fn parse_stmts(pair: Pair<Rule>) -> Vec<Stmt> {
    group_stmts(pair.into_inner())
}

fn parse_block(pair: Pair<Rule>) -> Block {
    let sp = span(&pair);
    let stmts = pair
        .into_inner()
        .next()
        .map(parse_stmts)
        .unwrap_or_default();
    Block { stmts, span: sp }
}

pub(super) fn parse_stmt(pair: Pair<Rule>) -> Stmt {
    let sp = span(&pair);
    let rule = pair.as_rule();
    let mut inner = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
    let kind = match rule {
        Rule::not_stmt => StmtKind::Not(Box::new(next(&mut group_stmts(inner).into_iter()))),
        Rule::let_stmt => {
            let name = parse_ident(next(&mut inner));
            StmtKind::Let {
                name,
                value: parse_word(next(&mut inner)),
            }
        }
        Rule::for_stmt => {
            let var = parse_ident(next(&mut inner));
            let mut words = Vec::new();
            let mut range = None;
            let mut body = None;
            for p in inner {
                match p.as_rule() {
                    Rule::range => {
                        let mut parts = p.into_inner();
                        let from = parse_word_parts(next(&mut parts));
                        let to = parse_word_parts(next(&mut parts));
                        range = Some(ForItems::Range { from, to });
                    }
                    Rule::word => words.push(parse_word(p)),
                    Rule::block => body = Some(parse_block(p)),
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
        Rule::if_stmt => {
            let cond = parse_cond(next(&mut inner));
            let then = parse_block(next(&mut inner));
            let otherwise = inner.next().map(|p| match p.as_rule() {
                Rule::block => parse_block(p),
                // `else if` is an else block holding one if statement.
                _ => {
                    let s = parse_stmt(p);
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
        Rule::netns_block => StmtKind::NetnsBlock {
            ns: parse_word(next(&mut inner)),
            body: parse_block(next(&mut inner)),
        },
        Rule::build_block => StmtKind::Build(parse_block(next(&mut inner))),
        Rule::netns_enter => StmtKind::NetnsEnter(parse_word(next(&mut inner))),
        Rule::deny_stmt => StmtKind::Deny(parse_word(next(&mut inner))),
        Rule::set_stmt => StmtKind::Set(inner.flat_map(parse_set_opt).collect()),
        Rule::help_cmd => StmtKind::Help(inner.next().map(parse_word)),
        Rule::root_block => StmtKind::RootBlock(parse_block(next(&mut inner))),
        Rule::ip_cmd => {
            let first = next(&mut inner);
            if first.as_rule() == Rule::ip_netns {
                let ns = parse_word(last_word(first));
                let cmd = parse_stmt(next(&mut inner));
                StmtKind::InNetns {
                    ns,
                    cmd: Box::new(cmd),
                }
            } else {
                parse_stmt(first).kind
            }
        }
        Rule::netns_cmd => parse_stmt(next(&mut inner)).kind,
        Rule::netns_add => StmtKind::Netns(NetnsCmd::Add(parse_word(next(&mut inner)))),
        Rule::netns_del => StmtKind::Netns(NetnsCmd::Del(parse_word(next(&mut inner)))),
        Rule::netns_list => StmtKind::Netns(NetnsCmd::List),
        Rule::netns_exec => {
            let ns = parse_word(next(&mut inner));
            StmtKind::Netns(NetnsCmd::Exec {
                ns,
                argv: inner.map(parse_word).collect(),
            })
        }
        Rule::netns_attach => StmtKind::Netns(NetnsCmd::Attach {
            name: parse_word(next(&mut inner)),
            pid: parse_word(next(&mut inner)),
        }),
        Rule::netns_identify => StmtKind::Netns(NetnsCmd::Identify(inner.next().map(parse_word))),
        Rule::netns_pids => StmtKind::Netns(NetnsCmd::Pids(parse_word(next(&mut inner)))),
        Rule::ping_cmd => {
            let mut opts = Vec::new();
            let mut dest = None;
            for p in inner {
                match p.as_rule() {
                    Rule::word => dest = Some(parse_word(p)),
                    _ => opts.push(parse_ping_opt(p)),
                }
            }
            StmtKind::Ping {
                opts,
                dest: dest.unwrap_or_else(|| unreachable_rule(Rule::ping_cmd)),
            }
        }
        Rule::ping_block => {
            let (mut opts, mut items) = (Vec::new(), Vec::new());
            for p in inner {
                match p.as_rule() {
                    Rule::ping_body => items = parse_ping_body(p),
                    _ => opts.push(parse_ping_opt(p)),
                }
            }
            StmtKind::PingBlock { opts, items }
        }
        Rule::capture_cmd => {
            let (mut count, mut file, mut dev, mut body) = (None, None, None, None);
            for p in inner {
                match p.as_rule() {
                    Rule::capture_flag => {
                        let mut kv = p.into_inner();
                        let key = next(&mut kv).as_str().to_string();
                        let value = parse_word(next(&mut kv));
                        if key == "-c" {
                            count = Some(value);
                        } else {
                            file = Some(value);
                        }
                    }
                    Rule::word => dev = Some(parse_word(p)),
                    Rule::block => body = Some(parse_block(p)),
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
        Rule::spawn_cmd => {
            let (ns, argv) = parse_program(inner);
            StmtKind::Spawn { ns, argv }
        }
        Rule::kill_cmd => {
            let mut signal = None;
            let mut pids = Vec::new();
            for p in inner {
                match p.as_rule() {
                    Rule::kill_signal => signal = Some((p.as_str()[1..].to_string(), span(&p))),
                    _ => pids.push(parse_word(p)),
                }
            }
            StmtKind::Kill { signal, pids }
        }
        Rule::wait_cmd => StmtKind::Wait {
            pids: inner.map(parse_word).collect(),
        },
        Rule::link_cmd | Rule::ip_link => StmtKind::Link(match inner.next() {
            None => LinkCmd::Show { dev: None },
            Some(p) => parse_link(p),
        }),
        Rule::addr_cmd | Rule::ip_addr => StmtKind::Addr(match inner.next() {
            None => AddrCmd::Show {
                dev: None,
                up: false,
            },
            Some(p) => parse_addr(p),
        }),
        Rule::veth_cmd => StmtKind::Veth {
            name: parse_word(next(&mut inner)),
            peer: parse_word(next(&mut inner)),
            netns: inner.next().map(parse_word),
        },
        Rule::exec_stmt => {
            let (ns, argv) = parse_program(inner);
            StmtKind::Exec { ns, argv }
        }
        Rule::external => StmtKind::External {
            argv: inner.map(parse_word).collect(),
        },
        Rule::route_cmd | Rule::ip_route => StmtKind::Route(parse_route(inner)),
        Rule::ip_program => {
            // `ip` itself is a keyword of the grammar: the program's name, where it was written.
            let ip = Word {
                parts: vec![WordPart::Lit("ip".into())],
                span: Span::new(sp.start, sp.start + 2),
            };
            StmtKind::Iproute {
                argv: std::iter::once(ip).chain(inner.map(parse_word)).collect(),
            }
        }
        Rule::bridge_cmd => {
            let link = next(&mut inner);
            StmtKind::Bridge(BridgeCmd::Link {
                dev: link
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::word)
                    .map(parse_word),
            })
        }
        Rule::bridge_block => StmtKind::Bridge(parse_bridge_block(inner)),
        Rule::peer_cmd => StmtKind::Peer(parse_word(next(&mut inner))),
        Rule::stats_cmd => StmtKind::Stats(parse_word(next(&mut inner))),
        Rule::graph_cmd => StmtKind::Graph(parse_graph(inner)),
        Rule::trace_cmd => {
            let (mut file, mut devs, mut body) = (None, Vec::new(), None);
            for p in inner {
                match p.as_rule() {
                    Rule::trace_flag => file = p.into_inner().nth(1).map(parse_word),
                    Rule::word => devs.push(parse_word(p)),
                    Rule::block => body = Some(parse_block(p)),
                    r => unreachable_rule(r),
                }
            }
            StmtKind::Trace {
                file,
                devs,
                body: body.unwrap_or_else(|| unreachable_rule(Rule::trace_cmd)),
            }
        }
        r => unreachable_rule(r),
    };
    Stmt { kind, span: sp }
}

/// The options of `graph`, in any order (a repeated one: the last counts).
fn parse_graph<'a>(pairs: impl Iterator<Item = Pair<'a, Rule>>) -> GraphCmd {
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
                let value = Some(parse_word(next(&mut kv)));
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
fn parse_program<'a>(pairs: impl Iterator<Item = Pair<'a, Rule>>) -> (Option<Word>, Vec<Word>) {
    let mut ns = None;
    let mut argv = Vec::new();
    for p in pairs {
        match p.as_rule() {
            Rule::ip_netns => ns = Some(parse_word(last_word(p))),
            _ => argv.push(parse_word(p)),
        }
    }
    (ns, argv)
}

fn parse_family(pair: &Pair<Rule>) -> IpFamily {
    if pair.as_str() == "-6" {
        IpFamily::V6
    } else {
        IpFamily::V4
    }
}

/// `route_cmd`'s children, keywords left out.
fn parse_route<'a>(inner: impl Iterator<Item = Pair<'a, Rule>>) -> RouteCmd {
    let mut family = None;
    let mut cmd = None;
    for p in inner {
        match p.as_rule() {
            Rule::ip_family => family = Some(parse_family(&p)),
            Rule::route_show => {
                let dev = p
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::word)
                    .map(parse_word);
                cmd = Some(RouteCmd::Show { family, dev });
            }
            Rule::route_add | Rule::route_del => {
                let add = p.as_rule() == Rule::route_add;
                let spec = parse_route_spec(p, family);
                cmd = Some(if add {
                    RouteCmd::Add(Box::new(spec))
                } else {
                    RouteCmd::Del(Box::new(spec))
                });
            }
            r => unreachable_rule(r),
        }
    }
    cmd.unwrap_or(RouteCmd::Show { family, dev: None })
}

fn parse_route_spec(pair: Pair<Rule>, family: Option<IpFamily>) -> RouteSpec {
    let mut spec = RouteSpec {
        family,
        dst: None,
        dst_span: span(&pair),
        via: None,
        dev: None,
        src: None,
        metric: None,
        table: None,
        proto: None,
        scope: None,
        kind: None,
        onlink: false,
    };
    for p in pair.into_inner().filter(|p| !is_keyword(p.as_rule())) {
        let rule = p.as_rule();
        match rule {
            Rule::route_type => {
                spec.kind = Some((p.as_str().to_string(), span(&p)));
                continue;
            }
            Rule::route_onlink => {
                spec.onlink = true;
                continue;
            }
            _ => {}
        }
        if rule == Rule::route_dst {
            spec.dst_span = span(&p);
            spec.dst = p
                .into_inner()
                .find(|p| p.as_rule() == Rule::word)
                .map(parse_word);
            continue;
        }
        let value = Some(parse_word(last_word(p)));
        match rule {
            Rule::route_via => spec.via = value,
            Rule::route_dev => spec.dev = value,
            Rule::route_src => spec.src = value,
            Rule::route_metric => spec.metric = value,
            Rule::route_table => spec.table = value,
            Rule::route_proto => spec.proto = value,
            Rule::route_scope => spec.scope = value,
            r => unreachable_rule(r),
        }
    }
    spec
}

/// `bridge NAME { ... }`'s children, keywords left out.
fn parse_bridge_block<'a>(mut inner: impl Iterator<Item = Pair<'a, Rule>>) -> BridgeCmd {
    let name = parse_word(next(&mut inner));
    let items = inner
        .map(|item| {
            let rule = item.as_rule();
            let words: Vec<Word> = item
                .into_inner()
                .filter(|p| p.as_rule() == Rule::word)
                .map(parse_word)
                .collect();
            match rule {
                Rule::bridge_port => BridgeItem::Port(words),
                Rule::bridge_addr => BridgeItem::Addr(next(&mut words.into_iter())),
                r => unreachable_rule(r),
            }
        })
        .collect();
    BridgeCmd::Block { name, items }
}

fn parse_cond(pair: Pair<Rule>) -> Cond {
    let sp = span(&pair);
    match pair.as_rule() {
        Rule::cond_not => Cond::Not(Box::new(parse_cond(next(&mut pair.into_inner()))), sp),
        Rule::netns_exists => Cond::NetnsExists(parse_word(last_word(pair))),
        Rule::link_exists => Cond::LinkExists(parse_word(last_word(pair))),
        Rule::cond_shell => Cond::Stmt(Box::new(next(
            &mut group_stmts(pair.into_inner()).into_iter(),
        ))),
        _ => Cond::Stmt(Box::new(parse_stmt(pair))),
    }
}

fn parse_link(pair: Pair<Rule>) -> LinkCmd {
    let rule = pair.as_rule();
    let mut inner = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
    match rule {
        Rule::link_show => LinkCmd::Show {
            dev: inner.next().map(parse_word),
        },
        Rule::link_del => LinkCmd::Del {
            dev: parse_word(next(&mut inner)),
        },
        Rule::link_add => {
            let mut parent = None;
            let mut ops = Vec::new();
            let mut name = None;
            let ty = loop {
                let p = next(&mut inner);
                match p.as_rule() {
                    Rule::link_parent => parent = Some(parse_link_parent(p)),
                    Rule::word => name = Some(parse_word(p)),
                    Rule::veth_type | Rule::other_type => break p,
                    _ => ops.push(parse_link_op(p)),
                }
            };
            let name = name.unwrap_or_else(|| unreachable_rule(Rule::link_add));
            let ty_span = span(&ty);
            let kind = match ty.as_rule() {
                Rule::veth_type => {
                    let (mut words, mut peer_ops) = (Vec::new(), Vec::new());
                    for p in ty.into_inner() {
                        match p.as_rule() {
                            Rule::word => words.push(parse_word(p)),
                            Rule::peer_op => {
                                peer_ops.push(parse_link_op(next(&mut p.into_inner())))
                            }
                            _ => {}
                        }
                    }
                    let mut words = words.into_iter();
                    LinkType::Veth {
                        peer: words.next(),
                        peer_netns: words.next(),
                        peer_ops,
                        span: ty_span,
                    }
                }
                _ => {
                    let mut parts = ty.into_inner();
                    let kind = parse_word(next(&mut parts));
                    let opts = parent
                        .into_iter()
                        .chain(parts.map(|opt| {
                            if opt.as_rule() == Rule::link_flag {
                                // A flag's value is the flag itself: `nolearning`.
                                let flag = Word {
                                    parts: vec![WordPart::Lit(opt.as_str().to_string())],
                                    span: span(&opt),
                                };
                                return (flag.clone(), flag);
                            }
                            let mut kv = opt.into_inner();
                            (parse_word(next(&mut kv)), parse_word(next(&mut kv)))
                        }))
                        .collect();
                    LinkType::Other { kind, opts }
                }
            };
            LinkCmd::Add { name, kind, ops }
        }
        Rule::link_set => {
            let dev = parse_word(next(&mut inner));
            let ops = inner.map(parse_link_op).collect();
            LinkCmd::Set { dev, ops }
        }
        r => unreachable_rule(r),
    }
}

/// `link PARENT`: the same option as `link PARENT` after the kind.
fn parse_link_parent(pair: Pair<Rule>) -> (Word, Word) {
    let mut inner = pair.into_inner();
    let key = next(&mut inner);
    let link = Word {
        parts: vec![WordPart::Lit("link".into())],
        span: span(&key),
    };
    (link, parse_word(next(&mut inner)))
}

fn parse_link_op(pair: Pair<Rule>) -> LinkOp {
    let sp = span(&pair);
    match pair.as_rule() {
        Rule::set_up => LinkOp::Up(sp),
        Rule::set_down => LinkOp::Down(sp),
        Rule::set_nomaster => LinkOp::NoMaster(sp),
        Rule::set_netns => LinkOp::Netns(parse_word(last_word(pair))),
        Rule::set_master => LinkOp::Master(parse_word(last_word(pair))),
        Rule::set_mtu => LinkOp::Mtu(parse_word(last_word(pair))),
        Rule::set_name => LinkOp::Name(parse_word(last_word(pair))),
        r => unreachable_rule(r),
    }
}

fn parse_addr(pair: Pair<Rule>) -> AddrCmd {
    let rule = pair.as_rule();
    match rule {
        Rule::addr_add => return parse_addr_add(pair),
        Rule::addr_flush => {
            return AddrCmd::Flush {
                dev: parse_word(last_word(pair)),
            }
        }
        Rule::addr_show => {
            let inner: Vec<_> = pair.into_inner().collect();
            return AddrCmd::Show {
                up: inner.iter().any(|p| p.as_rule() == Rule::addr_up),
                dev: inner
                    .into_iter()
                    .find(|p| p.as_rule() == Rule::word)
                    .map(parse_word),
            };
        }
        _ => {}
    }
    let mut words = pair
        .into_inner()
        .filter(|p| p.as_rule() == Rule::word)
        .map(parse_word);
    match rule {
        Rule::addr_del => AddrCmd::Del {
            prefix: next(&mut words),
            dev: next(&mut words),
        },
        r => unreachable_rule(r),
    }
}

/// `addr add`: the address, `dev` and options in the order written.
fn parse_addr_add(pair: Pair<Rule>) -> AddrCmd {
    let (mut prefix, mut dev) = (None, None);
    let mut opts = AddrOpts::default();
    for p in pair.into_inner().filter(|p| !is_keyword(p.as_rule())) {
        match p.as_rule() {
            Rule::addr_local => prefix = Some(parse_word(last_word(p))),
            Rule::addr_dev => dev = Some(parse_word(last_word(p))),
            Rule::addr_opt => {
                let mut kv = p.into_inner();
                let key = next(&mut kv);
                if key.as_rule() == Rule::addr_flag {
                    opts.flags.push((key.as_str().to_string(), span(&key)));
                    continue;
                }
                let value = Some(parse_word(next(&mut kv)));
                match key.as_str() {
                    "broadcast" | "brd" => opts.broadcast = value,
                    "label" => opts.label = value,
                    "scope" => opts.scope = value,
                    "valid_lft" => opts.valid_lft = value,
                    _ => opts.preferred_lft = value,
                }
            }
            r => unreachable_rule(r),
        }
    }
    AddrCmd::Add {
        prefix: prefix.unwrap_or_else(|| unreachable_rule(Rule::addr_add)),
        dev: dev.unwrap_or_else(|| unreachable_rule(Rule::addr_add)),
        opts: Box::new(opts),
    }
}

/// `-c 3`, `-q`: a ping option and its argument.
fn parse_ping_opt(pair: Pair<Rule>) -> PingOpt {
    let sp = span(&pair);
    match pair.as_rule() {
        Rule::ping_quiet | Rule::ping_verbose => PingOpt {
            flag: pair.as_str().to_string(),
            value: None,
            span: sp,
        },
        Rule::ping_flag => {
            let mut kv = pair.into_inner();
            // `-c1` holds its flag and value one level down.
            if kv.peek().is_some_and(|p| p.as_rule() == Rule::ping_glued) {
                kv = next(&mut kv).into_inner();
            }
            let flag = next(&mut kv).as_str().to_string();
            PingOpt {
                flag,
                value: kv.next().map(parse_word),
                span: sp,
            }
        }
        r => unreachable_rule(r),
    }
}

/// `{ ... }` of a ping block: its lines and the loops, lets and ifs around them.
fn parse_ping_body(pair: Pair<Rule>) -> Vec<PingItem> {
    pair.into_inner().map(parse_ping_item).collect()
}

fn parse_ping_item(pair: Pair<Rule>) -> PingItem {
    let sp = span(&pair);
    let rule = pair.as_rule();
    let mut inner = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
    match rule {
        Rule::ping_line => {
            let src = parse_word(next(&mut inner));
            let arrow = next(&mut inner);
            PingItem::Line(PingLine {
                src,
                reachable: arrow.as_rule() == Rule::ping_reachable,
                dest: parse_word(next(&mut inner)),
                span: sp,
            })
        }
        Rule::ping_let => PingItem::Let {
            name: parse_ident(next(&mut inner)),
            value: parse_word(next(&mut inner)),
        },
        Rule::ping_for => {
            let var = parse_ident(next(&mut inner));
            let (mut words, mut range, mut body) = (Vec::new(), None, Vec::new());
            for p in inner {
                match p.as_rule() {
                    Rule::range => {
                        let mut parts = p.into_inner();
                        let from = parse_word_parts(next(&mut parts));
                        let to = parse_word_parts(next(&mut parts));
                        range = Some(ForItems::Range { from, to });
                    }
                    Rule::word => words.push(parse_word(p)),
                    Rule::ping_body => body = parse_ping_body(p),
                    r => unreachable_rule(r),
                }
            }
            PingItem::For {
                var,
                items: range.unwrap_or(ForItems::List(words)),
                body,
            }
        }
        Rule::ping_if => {
            let cond = parse_cond(next(&mut inner));
            let then = parse_ping_body(next(&mut inner));
            let otherwise = inner.next().map(|p| match p.as_rule() {
                Rule::ping_body => parse_ping_body(p),
                // `else if` is an else body holding one if.
                _ => vec![parse_ping_item(p)],
            });
            PingItem::If {
                cond,
                then,
                otherwise,
            }
        }
        r => unreachable_rule(r),
    }
}

fn parse_ident(pair: Pair<Rule>) -> Ident {
    Ident {
        span: span(&pair),
        name: pair.as_str().to_string(),
    }
}

pub(super) fn parse_word(pair: Pair<Rule>) -> Word {
    parse_word_parts(pair)
}

/// A word, or a range end: the children are literals, variables, `${ }` and strings.
fn parse_word_parts(pair: Pair<Rule>) -> Word {
    let sp = span(&pair);
    let mut parts = Vec::new();
    push_parts(pair, &mut parts);
    Word { parts, span: sp }
}

fn push_parts(pair: Pair<Rule>, parts: &mut Vec<WordPart>) {
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::lit => push_lit(parts, &unescape(p.as_str())),
            Rule::number | Rule::dq_text | Rule::sq_text => push_lit(parts, p.as_str()),
            Rule::dq_escape => push_lit(parts, &unescape(p.as_str())),
            Rule::var => parts.push(WordPart::Var(parse_var(p))),
            Rule::interp => parts.push(WordPart::Expr(parse_expr(next(&mut p.into_inner())))),
            Rule::subst => parts.push(WordPart::Subst(Subst {
                span: span(&p),
                stmts: parse_stmts(next(&mut p.into_inner())),
            })),
            Rule::dq_string | Rule::sq_string => {
                // An empty string is still a word: `""`.
                push_lit(parts, "");
                push_parts(p, parts);
            }
            r => unreachable_rule(r),
        }
    }
}

fn push_lit(parts: &mut Vec<WordPart>, text: &str) {
    if let Some(WordPart::Lit(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(WordPart::Lit(text.to_string()));
    }
}

/// `\x` stands for `x`, as in a shell.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn parse_var(pair: Pair<Rule>) -> Var {
    let sp = span(&pair);
    Var {
        name: pair.as_str().trim_start_matches('$').to_string(),
        span: sp,
    }
}

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left)
                | Op::infix(Rule::div, Assoc::Left)
                | Op::infix(Rule::rem, Assoc::Left))
            .op(Op::prefix(Rule::neg))
    })
}

fn parse_expr(pair: Pair<Rule>) -> Expr {
    pratt()
        .map_primary(|p| {
            let sp = span(&p);
            match p.as_rule() {
                // Digits only, so the one failure is a number too large for i64.
                Rule::number => p
                    .as_str()
                    .parse()
                    .map(|n| Expr::Num(n, sp))
                    .unwrap_or(Expr::Num(i64::MAX, sp)),
                Rule::var => Expr::Var(parse_var(p)),
                Rule::ident => Expr::Var(Var {
                    name: p.as_str().to_string(),
                    span: sp,
                }),
                Rule::expr => parse_expr(p),
                r => unreachable_rule(r),
            }
        })
        .map_prefix(|op, rhs| {
            let sp = span(&op).to(rhs.span());
            Expr::Neg(Box::new(rhs), sp)
        })
        .map_infix(|lhs, op, rhs| {
            let sp = lhs.span().to(rhs.span());
            let op = match op.as_rule() {
                Rule::add => BinOp::Add,
                Rule::sub => BinOp::Sub,
                Rule::mul => BinOp::Mul,
                Rule::div => BinOp::Div,
                _ => BinOp::Rem,
            };
            Expr::Bin(Box::new(lhs), op, Box::new(rhs), sp)
        })
        .parse(pair.into_inner())
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

fn is_keyword(rule: Rule) -> bool {
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
fn describe(rule: &Rule) -> String {
    let name = format!("{rule:?}");
    if let Some(kw) = name.strip_prefix("k_") {
        return format!("`{kw}`");
    }
    if let Some(kw) = name.strip_prefix("kp_") {
        // A keyword any prefix of which will do: named in full.
        let full = match kw {
            "lshow" => "show",
            "delete" => "del",
            other => other,
        };
        return format!("`{full}`");
    }
    match rule {
        Rule::EOI => "end of line".into(),
        Rule::netns_add | Rule::link_add | Rule::addr_add => "`add`".into(),
        Rule::netns_del | Rule::link_del | Rule::addr_del => "`del`".into(),
        Rule::netns_list => "`list`".into(),
        Rule::netns_exec => "`exec`".into(),
        Rule::netns_attach => "`attach`".into(),
        Rule::netns_identify => "`identify`".into(),
        Rule::netns_pids => "`pids`".into(),
        Rule::ping_flag | Rule::ping_key | Rule::ping_glued | Rule::ping_gkey => {
            "`-c`, `-i`, `-W`, `-w`, `-s`, `-I`".into()
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
        Rule::link_show | Rule::addr_show => "`show`".into(),
        Rule::link_set => "`set`".into(),
        Rule::netns_cmd => "`netns`".into(),
        Rule::link_cmd => "`link`".into(),
        Rule::addr_cmd => "`addr`".into(),
        Rule::word | Rule::lit => "a word".into(),
        Rule::ident => "a name".into(),
        Rule::block => "`{`".into(),
        Rule::range => "a range".into(),
        Rule::ip_netns | Rule::ip_netns_key => "`-n NAME`".into(),
        Rule::ip_link => "`link`".into(),
        Rule::addr_local => "an address".into(),
        Rule::addr_dev => "`dev`".into(),
        Rule::addr_opt | Rule::addr_key | Rule::addr_flag => {
            "an option (`brd`, `label`, `scope`, `nodad`, ...)".into()
        }
        Rule::addr_up => "`up`".into(),
        Rule::ip_addr => "`address`".into(),
        Rule::ip_route => "`route`".into(),
        Rule::ip_object_name => {
            "an object of iproute2 (`link`, `address`, `route`, `rule`, ...)".into()
        }
        Rule::ip_arg_key => "an option of `ip`".into(),
        Rule::number => "a number".into(),
        Rule::expr => "an expression".into(),
        Rule::var => "a variable".into(),
        Rule::not_stmt | Rule::cond_not => "`!`".into(),
        Rule::add | Rule::sub | Rule::mul | Rule::div | Rule::rem => "an operator".into(),
        Rule::set_up | Rule::set_down | Rule::set_nomaster => "`up`, `down`, `nomaster`".into(),
        Rule::set_netns | Rule::set_master | Rule::set_mtu | Rule::set_name => {
            "`netns`, `master`, `mtu`, `name`".into()
        }
        Rule::route_add => "`add`".into(),
        Rule::route_del => "`del`".into(),
        Rule::route_show => "`show`".into(),
        Rule::route_cmd => "`route`".into(),
        Rule::route_dst => "a destination (PREFIX or `default`)".into(),
        Rule::route_via => "`via`".into(),
        Rule::route_dev => "`dev`".into(),
        Rule::route_src => "`src`".into(),
        Rule::route_metric => "`metric`".into(),
        Rule::route_table => "`table`".into(),
        Rule::route_proto => "`proto`".into(),
        Rule::route_scope => "`scope`".into(),
        Rule::route_onlink => "`onlink`".into(),
        Rule::route_type => "a route type (`blackhole`, `unreachable`, `prohibit`, ...)".into(),
        Rule::ip_family => "`-4`, `-6`".into(),
        Rule::bridge_link => "`link`".into(),
        Rule::bridge_port => "`port`".into(),
        Rule::bridge_addr => "`addr`".into(),
        Rule::chain_op => "`|`, `&&` or `||`".into(),
        Rule::set_opt | Rule::set_flags | Rule::set_o => "an option (`-e`, `-o pipefail`)".into(),
        Rule::pipe_op => "`|`".into(),
        Rule::redirect | Rule::redir_op | Rule::redir_dup => "a redirection".into(),
        Rule::redir_fd => "a descriptor (0, 1 or 2)".into(),
        Rule::subst => "`$(`".into(),
        _ => name.replace('_', " "),
    }
}

fn syntax_error(err: pest::error::Error<Rule>, text: &str) -> SyntaxError {
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
fn typo_hint(text: &str, at: usize) -> Option<String> {
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
