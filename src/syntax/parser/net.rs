//! The network statements: routes, bridge blocks, links, addresses and ping.

use super::*;

pub(super) fn parse_family(pair: &Pair<Rule>) -> IpFamily {
    if pair.as_str() == "-6" {
        IpFamily::V6
    } else {
        IpFamily::V4
    }
}

/// `route_cmd`'s children, keywords left out.
pub(super) fn parse_route<'a>(inner: impl Iterator<Item = Pair<'a, Rule>>) -> RouteCmd {
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

pub(super) fn parse_route_spec(pair: Pair<Rule>, family: Option<IpFamily>) -> RouteSpec {
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
pub(super) fn parse_bridge_block<'a>(mut inner: impl Iterator<Item = Pair<'a, Rule>>) -> BridgeCmd {
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

pub(super) fn parse_link(pair: Pair<Rule>) -> LinkCmd {
    let rule = pair.as_rule();
    if rule == Rule::link_property {
        return parse_link_property(pair);
    }
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
            // The device is the one bare word, before or after options.
            let (mut dev, mut ops) = (None, Vec::new());
            for p in inner {
                match p.as_rule() {
                    Rule::word => dev = Some(parse_word(p)),
                    _ => ops.push(parse_link_op(p)),
                }
            }
            let dev = dev.unwrap_or_else(|| unreachable_rule(Rule::link_set));
            LinkCmd::Set { dev, ops }
        }
        r => unreachable_rule(r),
    }
}

/// `link PARENT`: the same option as `link PARENT` after the kind.
pub(super) fn parse_link_parent(pair: Pair<Rule>) -> (Word, Word) {
    let mut inner = pair.into_inner();
    let key = next(&mut inner);
    let link = Word {
        parts: vec![WordPart::Lit("link".into())],
        span: span(&key),
    };
    (link, parse_word(next(&mut inner)))
}

pub(super) fn parse_link_op(pair: Pair<Rule>) -> LinkOp {
    let sp = span(&pair);
    match pair.as_rule() {
        Rule::set_up => LinkOp::Up(sp),
        Rule::set_down => LinkOp::Down(sp),
        Rule::set_nomaster => LinkOp::NoMaster(sp),
        Rule::set_netns => LinkOp::Netns(parse_word(last_word(pair))),
        Rule::set_master => LinkOp::Master(parse_word(last_word(pair))),
        Rule::set_mtu => LinkOp::Mtu(parse_word(last_word(pair))),
        Rule::set_name => LinkOp::Name(parse_word(last_word(pair))),
        Rule::set_address => LinkOp::Address(parse_word(last_word(pair))),
        Rule::set_broadcast => LinkOp::Broadcast(parse_word(last_word(pair))),
        Rule::set_alias => LinkOp::Alias(parse_word(last_word(pair))),
        Rule::set_txqlen => LinkOp::TxQueueLen(parse_word(last_word(pair))),
        Rule::set_group => LinkOp::Group(parse_word(last_word(pair))),
        Rule::set_arp | Rule::set_multicast | Rule::set_allmulticast | Rule::set_promisc => {
            let which = match pair.as_rule() {
                Rule::set_arp => LinkSwitch::Arp,
                Rule::set_multicast => LinkSwitch::Multicast,
                Rule::set_allmulticast => LinkSwitch::AllMulticast,
                _ => LinkSwitch::Promisc,
            };
            LinkOp::Switch(which, parse_word(last_word(pair)))
        }
        Rule::set_type => {
            let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kp_type);
            let kind = next(&mut inner);
            let kind = Word {
                parts: vec![WordPart::Lit(kind.as_str().to_string())],
                span: span(&kind),
            };
            let opts = inner
                .map(|opt| {
                    let mut kv = opt.into_inner();
                    (parse_word(next(&mut kv)), parse_word(next(&mut kv)))
                })
                .collect();
            LinkOp::Type { kind, opts }
        }
        r => unreachable_rule(r),
    }
}

/// `link property add|del [dev] DEV altname NAME...`: the device and names in any order.
fn parse_link_property(pair: Pair<Rule>) -> LinkCmd {
    let mut add = false;
    let (mut dev, mut altnames) = (None, Vec::new());
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::kp_padd => add = true,
            Rule::prop_dev => dev = Some(parse_word(last_word(p))),
            Rule::prop_altname => altnames.push(parse_word(last_word(p))),
            _ => {}
        }
    }
    LinkCmd::Property {
        add,
        dev: dev.unwrap_or_else(|| unreachable_rule(Rule::link_property)),
        altnames,
    }
}

pub(super) fn parse_addr(pair: Pair<Rule>) -> AddrCmd {
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
pub(super) fn parse_addr_add(pair: Pair<Rule>) -> AddrCmd {
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
                    let flag = AddrFlag::from_text(key.as_str())
                        .unwrap_or_else(|| unreachable_rule(key.as_rule()));
                    opts.flags.push((flag, span(&key)));
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
pub(super) fn parse_ping_opt(pair: Pair<Rule>) -> PingOpt {
    let sp = span(&pair);
    match pair.as_rule() {
        Rule::ping_quiet | Rule::ping_verbose => PingOpt {
            flag: ping_flag(&pair),
            value: None,
            span: sp,
        },
        Rule::ping_flag => {
            let mut kv = pair.into_inner();
            // `-c1` holds its flag and value one level down.
            if kv.peek().is_some_and(|p| p.as_rule() == Rule::ping_glued) {
                kv = next(&mut kv).into_inner();
            }
            let flag = ping_flag(&next(&mut kv));
            PingOpt {
                flag,
                value: kv.next().map(parse_word),
                span: sp,
            }
        }
        r => unreachable_rule(r),
    }
}

/// The flag of a `ping_key`, `ping_gkey`, `ping_quiet` or `ping_verbose`.
fn ping_flag(pair: &Pair<Rule>) -> PingFlag {
    PingFlag::from_text(pair.as_str()).unwrap_or_else(|| unreachable_rule(pair.as_rule()))
}

/// `{ ... }` of a ping block: its lines and the loops, lets and ifs around them.
pub(super) fn parse_ping_body(pair: Pair<Rule>) -> Vec<PingItem> {
    pair.into_inner().map(parse_ping_item).collect()
}

pub(super) fn parse_ping_item(pair: Pair<Rule>) -> PingItem {
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
                    Rule::range => range = Some(parse_range(p)),
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
