//! iproute2's other objects vsh performs itself: `ip neigh` and `ip tuntap`.

use super::*;

/// `neigh_modify`, `neigh_get`, `neigh_flush` or `neigh_show`; none is `show`.
pub(super) fn parse_neigh(cx: Cx, pair: Option<Pair<Rule>>) -> NeighCmd {
    let Some(pair) = pair else {
        return NeighCmd {
            verb: NeighVerb::Show,
            opts: vec![],
        };
    };
    let rule = pair.as_rule();
    let mut inner = pair.into_inner().peekable();
    let verb = match rule {
        Rule::neigh_show => NeighVerb::Show,
        Rule::neigh_flush => NeighVerb::Flush,
        Rule::neigh_get => NeighVerb::Get,
        Rule::neigh_modify => match next(&mut inner).as_rule() {
            Rule::kp_add => NeighVerb::Add,
            Rule::kp_change => NeighVerb::Change,
            Rule::kp_replace => NeighVerb::Replace,
            _ => NeighVerb::Del,
        },
        r => unreachable_rule(r),
    };
    let opts = inner
        .filter(|p| !is_keyword(p.as_rule()))
        .map(|p| parse_neigh_opt(cx, p))
        .collect();
    NeighCmd { verb, opts }
}

fn parse_neigh_opt(cx: Cx, pair: Pair<Rule>) -> NeighOpt {
    let sp = cx.span(&pair);
    let rule = pair.as_rule();
    match rule {
        Rule::neigh_router => return NeighOpt::Router(sp),
        Rule::neigh_unused => return NeighOpt::Unused(sp),
        Rule::neigh_proxy_flag => return NeighOpt::ProxyOnly(sp),
        Rule::neigh_all => return NeighOpt::All(sp),
        _ => {}
    }
    let value = parse_word(cx, last_word(pair));
    match rule {
        Rule::neigh_to => NeighOpt::To(value),
        Rule::neigh_dev => NeighOpt::Dev(value),
        Rule::neigh_lladdr => NeighOpt::Lladdr(value),
        Rule::neigh_nud => NeighOpt::Nud(value),
        Rule::neigh_proxy => NeighOpt::Proxy(value),
        r => unreachable_rule(r),
    }
}

/// `tuntap_change` or `tuntap_show`; none is `show`.
pub(super) fn parse_tuntap(cx: Cx, pair: Option<Pair<Rule>>) -> TuntapCmd {
    let Some(pair) = pair.filter(|p| p.as_rule() == Rule::tuntap_change) else {
        return TuntapCmd::Show;
    };
    let mut inner = pair.into_inner();
    let add = next(&mut inner).as_rule() == Rule::kp_add;
    let opts = inner
        .map(|p| {
            let sp = cx.span(&p);
            match p.as_rule() {
                Rule::kp_tuntap_flag => TuntapOpt::Flag(
                    TuntapFlag::from_text(p.as_str())
                        .unwrap_or_else(|| unreachable_rule(Rule::kp_tuntap_flag)),
                    sp,
                ),
                Rule::tuntap_name => TuntapOpt::Name(parse_word(cx, last_word(p))),
                Rule::tuntap_mode => TuntapOpt::Mode(parse_word(cx, last_word(p))),
                Rule::tuntap_owner => {
                    let mut kv = p.into_inner();
                    let user = next(&mut kv).as_str().starts_with('u');
                    let value = parse_word(cx, next(&mut kv));
                    if user {
                        TuntapOpt::User(value)
                    } else {
                        TuntapOpt::Group(value)
                    }
                }
                r => unreachable_rule(r),
            }
        })
        .collect();
    TuntapCmd::Change { add, opts }
}
