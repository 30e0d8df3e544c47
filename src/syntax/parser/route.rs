//! Routes: `route add|del|replace|...|show|flush|get`, their options, selectors and hops.

use super::*;

pub(super) fn parse_family(pair: &Pair<Rule>) -> IpFamily {
    // `-6`, `-f inet6`, `-family inet6`.
    if pair.as_str().ends_with('6') {
        IpFamily::V6
    } else {
        IpFamily::V4
    }
}

/// `route_cmd`'s children, keywords left out.
pub(super) fn parse_route<'a>(cx: Cx, inner: impl Iterator<Item = Pair<'a, Rule>>) -> RouteCmd {
    let mut family = None;
    let mut cmd = None;
    for p in inner {
        match p.as_rule() {
            Rule::ip_family => family = Some(parse_family(&p)),
            Rule::route_show | Rule::route_flush => {
                let show = p.as_rule() == Rule::route_show;
                let (dev, sel) = parse_route_sel(cx, p);
                cmd = Some(if show {
                    RouteCmd::Show { family, dev, sel }
                } else {
                    RouteCmd::Flush { family, dev, sel }
                });
            }
            Rule::route_add | Rule::route_del => {
                let add = p.as_rule() == Rule::route_add;
                let spec = parse_route_spec(cx, p, family);
                cmd = Some(if add {
                    RouteCmd::Add(Box::new(spec))
                } else {
                    RouteCmd::Del(Box::new(spec))
                });
            }
            Rule::route_get => cmd = Some(RouteCmd::Get(Box::new(parse_route_get(cx, p, family)))),
            r => unreachable_rule(r),
        }
    }
    cmd.unwrap_or(RouteCmd::Show {
        family,
        dev: None,
        sel: Box::default(),
    })
}

/// The selectors of `route show|flush`: the device apart, the rest together.
fn parse_route_sel(cx: Cx, pair: Pair<Rule>) -> (Option<Word>, Box<RouteSel>) {
    let mut dev = None;
    let mut sel = RouteSel::default();
    for p in pair.into_inner().filter(|p| !is_keyword(p.as_rule())) {
        match p.as_rule() {
            Rule::route_sel_type => {
                let name = last_pair(p);
                sel.kind = Some((name.as_str().to_string(), cx.span(&name)));
            }
            Rule::route_sel_prefix => {
                let sp = cx.span(&p);
                let mut how = PrefixMatch::Exact;
                let mut word = None;
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::route_prefix_key => {
                            how = match q.as_str() {
                                "root" => PrefixMatch::Root,
                                "match" => PrefixMatch::Match,
                                _ => PrefixMatch::Exact,
                            }
                        }
                        Rule::word => word = Some(parse_word(cx, q)),
                        // `default`: the word itself.
                        _ => {
                            word = Some(Word {
                                parts: vec![WordPart::Lit("default".into())],
                                span: sp,
                            })
                        }
                    }
                }
                sel.prefix = word.map(|w| (how, w));
            }
            rule => {
                let value = Some(parse_word(cx, last_word(p)));
                match rule {
                    Rule::route_dev => dev = value,
                    Rule::route_table => sel.table = value,
                    Rule::route_proto => sel.proto = value,
                    Rule::route_scope => sel.scope = value,
                    r => unreachable_rule(r),
                }
            }
        }
    }
    (dev, Box::new(sel))
}

/// The last child of a pair: the value after its key.
fn last_pair(pair: Pair<Rule>) -> Pair<Rule> {
    let rule = pair.as_rule();
    pair.into_inner()
        .last()
        .unwrap_or_else(|| unreachable_rule(rule))
}

fn parse_route_get(cx: Cx, pair: Pair<Rule>, family: Option<IpFamily>) -> RouteGet {
    let (mut dst, mut from, mut iif, mut oif) = (None, None, None, None);
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::word => dst = Some(parse_word(cx, p)),
            Rule::route_from => from = Some(parse_word(cx, last_word(p))),
            Rule::route_iif => iif = Some(parse_word(cx, last_word(p))),
            Rule::route_dev => oif = Some(parse_word(cx, last_word(p))),
            _ => {}
        }
    }
    RouteGet {
        family,
        dst: dst.unwrap_or_else(|| unreachable_rule(Rule::route_get)),
        from,
        iif,
        oif,
    }
}

pub(super) fn parse_route_spec(cx: Cx, pair: Pair<Rule>, family: Option<IpFamily>) -> RouteSpec {
    let mut spec = RouteSpec {
        family,
        mode: RouteMode::Add,
        dst: None,
        dst_span: cx.span(&pair),
        via: None,
        dev: None,
        src: None,
        metric: None,
        table: None,
        proto: None,
        scope: None,
        kind: None,
        onlink: false,
        mtu: None,
        nexthops: vec![],
    };
    for p in pair.into_inner().filter(|p| !is_keyword(p.as_rule())) {
        let rule = p.as_rule();
        match rule {
            Rule::route_mode => {
                spec.mode = match p.as_str().as_bytes()[0] {
                    b'c' => RouteMode::Change,
                    b'r' => RouteMode::Replace,
                    b'p' => RouteMode::Prepend,
                    _ => RouteMode::Append,
                };
                continue;
            }
            Rule::route_type => {
                spec.kind = Some((p.as_str().to_string(), cx.span(&p)));
                continue;
            }
            Rule::route_onlink => {
                spec.onlink = true;
                continue;
            }
            Rule::route_nexthop => {
                spec.nexthops.push(parse_nexthop(cx, p));
                continue;
            }
            _ => {}
        }
        if rule == Rule::route_dst {
            spec.dst_span = cx.span(&p);
            spec.dst = p
                .into_inner()
                .find(|p| p.as_rule() == Rule::word)
                .map(|p| parse_word(cx, p));
            continue;
        }
        let value = Some(parse_word(cx, last_word(p)));
        match rule {
            Rule::route_via => spec.via = value,
            Rule::route_dev => spec.dev = value,
            Rule::route_src => spec.src = value,
            Rule::route_metric => spec.metric = value,
            Rule::route_table => spec.table = value,
            Rule::route_proto => spec.proto = value,
            Rule::route_scope => spec.scope = value,
            Rule::route_mtu => spec.mtu = value,
            r => unreachable_rule(r),
        }
    }
    spec
}

/// `nexthop via A dev D weight W [onlink]`.
fn parse_nexthop(cx: Cx, pair: Pair<Rule>) -> NextHopSpec {
    let mut hop = NextHopSpec {
        span: cx.span(&pair),
        ..NextHopSpec::default()
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::route_onlink => hop.onlink = true,
            Rule::route_via => hop.via = Some(parse_word(cx, last_word(p))),
            Rule::route_dev => hop.dev = Some(parse_word(cx, last_word(p))),
            Rule::route_weight => hop.weight = Some(parse_word(cx, last_word(p))),
            _ => {}
        }
    }
    hop
}
