//! The network statements: bridge blocks, links, addresses and ping (routes: route.rs).

use super::*;

/// `bridge NAME { ... }`'s children, keywords left out.
pub(super) fn parse_bridge_block<'a>(
    cx: Cx,
    mut inner: impl Iterator<Item = Pair<'a, Rule>>,
) -> BridgeCmd {
    let name = parse_word(cx, next(&mut inner));
    let items = inner
        .map(|item| {
            let rule = item.as_rule();
            let words: Vec<Word> = item
                .into_inner()
                .filter(|p| p.as_rule() == Rule::word)
                .map(|p| parse_word(cx, p))
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

pub(super) fn parse_link(cx: Cx, pair: Pair<Rule>) -> LinkCmd {
    let rule = pair.as_rule();
    if rule == Rule::link_property {
        return parse_link_property(cx, pair);
    }
    let mut inner = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
    match rule {
        Rule::link_show => LinkCmd::Show {
            dev: inner.next().map(|p| parse_word(cx, p)),
        },
        Rule::link_del => LinkCmd::Del {
            dev: parse_word(cx, next(&mut inner)),
        },
        Rule::link_add => {
            let mut parent = None;
            let mut ops = Vec::new();
            let mut name = None;
            let ty = loop {
                let p = next(&mut inner);
                match p.as_rule() {
                    Rule::link_parent => parent = Some(parse_link_parent(cx, p)),
                    Rule::word => name = Some(parse_word(cx, p)),
                    Rule::veth_type | Rule::other_type => break p,
                    _ => ops.push(parse_link_op(cx, p)),
                }
            };
            let name = name.unwrap_or_else(|| unreachable_rule(Rule::link_add));
            let ty_span = cx.span(&ty);
            let kind = match ty.as_rule() {
                Rule::veth_type => {
                    let (mut words, mut peer_ops) = (Vec::new(), Vec::new());
                    for p in ty.into_inner() {
                        match p.as_rule() {
                            Rule::word => words.push(parse_word(cx, p)),
                            Rule::peer_op => {
                                peer_ops.push(parse_link_op(cx, next(&mut p.into_inner())))
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
                    let kind = parse_word(cx, next(&mut parts));
                    let opts = parent
                        .into_iter()
                        .chain(parts.flat_map(|opt| kind_opt(cx, opt)))
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
                    Rule::word => dev = Some(parse_word(cx, p)),
                    _ => ops.push(parse_link_op(cx, p)),
                }
            }
            let dev = dev.unwrap_or_else(|| unreachable_rule(Rule::link_set));
            LinkCmd::Set { dev, ops }
        }
        r => unreachable_rule(r),
    }
}

/// One option of a kind as key and value words. A flag's value is the flag itself
/// (`nolearning`); `srcport MIN MAX` is two: `srcport MIN` and `srcport-high MAX`.
fn kind_opt(cx: Cx, opt: Pair<Rule>) -> Vec<(Word, Word)> {
    let named = |text: &str, span| Word {
        parts: vec![WordPart::Lit(text.to_string())],
        span,
    };
    match opt.as_rule() {
        Rule::link_flag => {
            let flag = named(opt.as_str(), cx.span(&opt));
            vec![(flag.clone(), flag)]
        }
        Rule::vxlan_srcport => {
            let mut kv = opt.into_inner();
            let key = cx.span(&next(&mut kv));
            let (low, high) = (parse_word(cx, next(&mut kv)), parse_word(cx, next(&mut kv)));
            vec![
                (named("srcport", key), low),
                (named("srcport-high", key), high),
            ]
        }
        _ => {
            let mut kv = opt.into_inner();
            vec![(parse_word(cx, next(&mut kv)), parse_word(cx, next(&mut kv)))]
        }
    }
}

/// `link PARENT`: the same option as `link PARENT` after the kind.
pub(super) fn parse_link_parent(cx: Cx, pair: Pair<Rule>) -> (Word, Word) {
    let mut inner = pair.into_inner();
    let key = next(&mut inner);
    let link = Word {
        parts: vec![WordPart::Lit("link".into())],
        span: cx.span(&key),
    };
    (link, parse_word(cx, next(&mut inner)))
}

pub(super) fn parse_link_op(cx: Cx, pair: Pair<Rule>) -> LinkOp {
    let sp = cx.span(&pair);
    match pair.as_rule() {
        Rule::set_up => LinkOp::Up(sp),
        Rule::set_down => LinkOp::Down(sp),
        Rule::set_nomaster => LinkOp::NoMaster(sp),
        Rule::set_netns => LinkOp::Netns(parse_word(cx, last_word(pair))),
        Rule::set_master => LinkOp::Master(parse_word(cx, last_word(pair))),
        Rule::set_mtu => LinkOp::Mtu(parse_word(cx, last_word(pair))),
        Rule::set_name => LinkOp::Name(parse_word(cx, last_word(pair))),
        Rule::set_address => LinkOp::Address(parse_word(cx, last_word(pair))),
        Rule::set_broadcast => LinkOp::Broadcast(parse_word(cx, last_word(pair))),
        Rule::set_alias => LinkOp::Alias(parse_word(cx, last_word(pair))),
        Rule::set_txqlen => LinkOp::TxQueueLen(parse_word(cx, last_word(pair))),
        Rule::set_group => LinkOp::Group(parse_word(cx, last_word(pair))),
        Rule::set_arp | Rule::set_multicast | Rule::set_allmulticast | Rule::set_promisc => {
            let which = match pair.as_rule() {
                Rule::set_arp => LinkSwitch::Arp,
                Rule::set_multicast => LinkSwitch::Multicast,
                Rule::set_allmulticast => LinkSwitch::AllMulticast,
                _ => LinkSwitch::Promisc,
            };
            LinkOp::Switch(which, parse_word(cx, last_word(pair)))
        }
        Rule::set_type => {
            let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kp_type);
            let kind = next(&mut inner);
            let kind = Word {
                parts: vec![WordPart::Lit(kind.as_str().to_string())],
                span: cx.span(&kind),
            };
            let opts = inner
                .map(|opt| {
                    let mut kv = opt.into_inner();
                    (parse_word(cx, next(&mut kv)), parse_word(cx, next(&mut kv)))
                })
                .collect();
            LinkOp::Type { kind, opts }
        }
        r => unreachable_rule(r),
    }
}

/// `link property add|del [dev] DEV altname NAME...`: the device and names in any order.
fn parse_link_property(cx: Cx, pair: Pair<Rule>) -> LinkCmd {
    let mut add = false;
    let (mut dev, mut altnames) = (None, Vec::new());
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::kp_padd => add = true,
            Rule::prop_dev => dev = Some(parse_word(cx, last_word(p))),
            Rule::prop_altname => altnames.push(parse_word(cx, last_word(p))),
            _ => {}
        }
    }
    LinkCmd::Property {
        add,
        dev: dev.unwrap_or_else(|| unreachable_rule(Rule::link_property)),
        altnames,
    }
}

/// `addr_cmd`'s children: `-4`/`-6` (a filter of show and flush), then the command.
pub(super) fn parse_addr_cmd<'a>(cx: Cx, inner: impl Iterator<Item = Pair<'a, Rule>>) -> AddrCmd {
    let mut family = None;
    let mut cmd = AddrCmd::Show {
        dev: None,
        up: false,
        filter: Box::default(),
    };
    for p in inner {
        match p.as_rule() {
            Rule::ip_family => family = Some(parse_family(&p)),
            _ => cmd = parse_addr(cx, p),
        }
    }
    match &mut cmd {
        AddrCmd::Show { filter, .. } | AddrCmd::Flush { filter, .. } => filter.family = family,
        AddrCmd::Add { opts, .. } => opts.family = family,
        AddrCmd::Del { .. } => {}
    }
    cmd
}

pub(super) fn parse_addr(cx: Cx, pair: Pair<Rule>) -> AddrCmd {
    let rule = pair.as_rule();
    match rule {
        Rule::addr_add => return parse_addr_add(cx, pair),
        Rule::addr_flush | Rule::addr_show => {
            let (dev, up, filter) = parse_addr_sel(cx, pair);
            return if rule == Rule::addr_show {
                AddrCmd::Show { dev, up, filter }
            } else {
                AddrCmd::Flush { dev, filter }
            };
        }
        _ => {}
    }
    let mut words = pair
        .into_inner()
        .filter(|p| p.as_rule() == Rule::word)
        .map(|p| parse_word(cx, p));
    match rule {
        Rule::addr_del => AddrCmd::Del {
            prefix: next(&mut words),
            dev: next(&mut words),
        },
        r => unreachable_rule(r),
    }
}

/// The selectors of `addr show|flush`: the device, `up`, and the rest.
fn parse_addr_sel(cx: Cx, pair: Pair<Rule>) -> (Option<Word>, bool, Box<AddrFilter>) {
    let (mut dev, mut up) = (None, false);
    let mut filter = AddrFilter::default();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::addr_up => up = true,
            Rule::addr_sel_dev => dev = Some(parse_word(cx, last_word(p))),
            Rule::addr_sel_flag => {
                let flag = AddrSelFlag::from_text(p.as_str())
                    .unwrap_or_else(|| unreachable_rule(Rule::addr_sel_flag));
                filter.flags.push((flag, cx.span(&p)))
            }
            Rule::addr_sel_kv => {
                let mut kv = p.into_inner();
                let key = next(&mut kv).as_str().to_string();
                let value = Some(parse_word(cx, next(&mut kv)));
                match key.as_str() {
                    "to" => filter.to = value,
                    "scope" => filter.scope = value,
                    _ => filter.label = value,
                }
            }
            _ => {}
        }
    }
    filter.up = up;
    (dev, up, Box::new(filter))
}

/// `addr add`: the address, `dev` and options in the order written.
pub(super) fn parse_addr_add(cx: Cx, pair: Pair<Rule>) -> AddrCmd {
    let (mut prefix, mut dev) = (None, None);
    let mut opts = AddrOpts::default();
    for p in pair.into_inner().filter(|p| !is_keyword(p.as_rule())) {
        match p.as_rule() {
            Rule::addr_local => prefix = Some(parse_word(cx, last_word(p))),
            Rule::addr_dev => dev = Some(parse_word(cx, last_word(p))),
            Rule::addr_opt => {
                let mut kv = p.into_inner();
                let key = next(&mut kv);
                if key.as_rule() == Rule::addr_flag {
                    let flag = AddrFlag::from_text(key.as_str())
                        .unwrap_or_else(|| unreachable_rule(key.as_rule()));
                    opts.flags.push((flag, cx.span(&key)));
                    continue;
                }
                let value = Some(parse_word(cx, next(&mut kv)));
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
pub(super) fn parse_ping_opt(cx: Cx, pair: Pair<Rule>) -> PingOpt {
    let sp = cx.span(&pair);
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
                value: kv.next().map(|p| parse_word(cx, p)),
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
pub(super) fn parse_ping_body(cx: Cx, pair: Pair<Rule>) -> Vec<PingItem> {
    pair.into_inner().map(|p| parse_ping_item(cx, p)).collect()
}

pub(super) fn parse_ping_item(cx: Cx, pair: Pair<Rule>) -> PingItem {
    let sp = cx.span(&pair);
    let rule = pair.as_rule();
    let mut inner = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
    match rule {
        Rule::ping_line => {
            let src = parse_word(cx, next(&mut inner));
            let arrow = next(&mut inner);
            PingItem::Line(PingLine {
                src,
                reachable: arrow.as_rule() == Rule::ping_reachable,
                dest: parse_word(cx, next(&mut inner)),
                span: sp,
            })
        }
        Rule::ping_let => PingItem::Let {
            name: parse_ident(cx, next(&mut inner)),
            value: parse_word(cx, next(&mut inner)),
        },
        Rule::ping_for => {
            let var = parse_ident(cx, next(&mut inner));
            let (mut words, mut range, mut body) = (Vec::new(), None, Vec::new());
            for p in inner {
                match p.as_rule() {
                    Rule::range => range = Some(parse_range(cx, p)),
                    Rule::word => words.push(parse_word(cx, p)),
                    Rule::ping_body => body = parse_ping_body(cx, p),
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
            let cond = parse_cond(cx, next(&mut inner));
            let then = parse_ping_body(cx, next(&mut inner));
            let otherwise = inner.next().map(|p| match p.as_rule() {
                Rule::ping_body => parse_ping_body(cx, p),
                // `else if` is an else body holding one if.
                _ => vec![parse_ping_item(cx, p)],
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
