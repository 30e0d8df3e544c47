//! Words to requests, and the errors at the word that breaks a rule: with every word known
//! (as when run) and with literal words only (as `--check`).

use super::*;
use crate::net::link::{BridgeOpt, VxlanOpt};
use crate::syntax::ast::{Stmt, StmtKind};
use miette::Diagnostic;

/// The first statement of `text`.
fn stmt(text: &str) -> Stmt {
    crate::syntax::parse(text).unwrap().stmts.remove(0)
}

/// Where an error points, as the text it points at.
fn at<'a>(text: &'a str, e: &RunError) -> &'a str {
    let label = e.labels().and_then(|mut l| l.next()).expect("a label");
    &text[label.offset()..label.offset() + label.len()]
}

fn link(text: &str) -> Result<LinkReq> {
    let StmtKind::Link(cmd) = stmt(text).kind else {
        panic!("{text}: not a link statement")
    };
    super::link(&Literal, &cmd)
}

fn known<T: Clone>(v: &Val<T>) -> T {
    v.value.clone().expect("known")
}

#[test]
fn link_add_reads_kind_options_into_what_the_kernel_takes() {
    let Ok(LinkReq::Add { name, kind, ops }) =
        link("link add br0 mtu 1400 type bridge stp_state 1 vlan_filtering 1")
    else {
        panic!("not an add")
    };
    assert_eq!(known(&name).as_str(), "br0");
    assert!(matches!(&ops[..], [OpReq::Mtu(m)] if m.value == Some(1400)));
    let KindReq::Other { kind, opts } = kind else {
        panic!("not another kind")
    };
    assert_eq!(known(&kind), "bridge");
    assert_eq!(
        opts.bridge,
        vec![BridgeOpt::StpState(1), BridgeOpt::VlanFiltering(true)]
    );

    let Ok(LinkReq::Add {
        kind: KindReq::Other { opts, .. },
        ..
    }) = link("link add vx0 type vxlan id 42 dev eth0 dstport 4789 remote 10.0.0.2 nolearning")
    else {
        panic!("not an add")
    };
    assert_eq!(opts.id.as_ref().map(known), Some(42));
    assert_eq!(opts.port.as_ref().map(known), Some(4789));
    assert_eq!(opts.parent.as_ref().map(known).unwrap().as_str(), "eth0");
    assert_eq!(
        opts.vxlan,
        vec![
            VxlanOpt::Remote("10.0.0.2".parse().unwrap()),
            VxlanOpt::Learning(false)
        ]
    );
}

#[test]
fn link_errors_point_at_their_word() {
    for (text, word, says) in [
        (
            "link add m0 type macvlan link eth0 mode loud",
            "loud",
            "a macvlan mode",
        ),
        (
            "link add l0 link eth0 type vlan id 4095",
            "4095",
            "a VLAN id",
        ),
        (
            "link add l0 link eth0 type vlan id 5 protocol 802.1x",
            "802.1x",
            "a VLAN protocol",
        ),
        ("link add l0 type vlan id 5", "vlan", "link"),
        ("link add vx0 type vxlan dev eth0", "vxlan", "id"),
        ("link add m0 type macvlan mode bridge", "macvlan", "link"),
        ("link set eth0 mtu big", "big", "an MTU"),
        ("link set eth0 up netns a/b", "a/b", "contains `/`"),
        (
            "link add abcdefghijklmnop type dummy",
            "abcdefghijklmnop",
            "longer than 15",
        ),
        (
            "link add v0 type veth peer name v1 netns ..",
            "..",
            "namespace",
        ),
        ("link add vx0 type vxlan id 1 ttl far", "far", "a TTL"),
        ("link add vx0 type vxlan id 1 tos zz", "zz", "hexadecimal"),
    ] {
        let e = link(text).expect_err(text);
        assert_eq!(at(text, &e), word, "{text}: {e}");
        let said = format!("{e} {:?}", e);
        assert!(said.contains(says), "{text}: {said}");
    }
}

#[test]
fn words_with_variables_wait_for_the_run() {
    // Not known before the run: no value, and no error.
    let Ok(LinkReq::Set { dev, ops }) = link("link set $d mtu $m netns $ns") else {
        panic!("not a set")
    };
    assert_eq!(dev.value, None);
    assert!(
        matches!(&ops[..], [OpReq::Mtu(m), OpReq::Netns(n)] if m.value.is_none() && n.value.is_none())
    );
    // A kind given by a variable: its options are known only when run.
    assert!(link("link add x0 type $kind id 5").is_ok());
    assert!(link("link add x0 type vxlan id $id dev $dev").is_ok());
    // The literal words of the same statement are still checked.
    let text = "link set $d mtu abc";
    assert_eq!(at(text, &link(text).unwrap_err()), "abc");
}

#[test]
fn netns_move_targets_are_names_or_pids() {
    let Ok(LinkReq::Set { ops, .. }) = link("link set v0 netns 1234 netns red") else {
        panic!("not a set")
    };
    let targets: Vec<Target> = ops
        .iter()
        .map(|op| match op {
            OpReq::Netns(t) => known(t),
            _ => panic!("{op:?}"),
        })
        .collect();
    assert_eq!(
        targets,
        vec![Target::Pid(1234), Target::Named("red".parse().unwrap())]
    );
}

#[test]
fn netns_addr_and_route_requests() {
    let text = "netns attach red 12x";
    let StmtKind::Netns(cmd) = stmt(text).kind else {
        panic!()
    };
    assert_eq!(at(text, &netns_cmd(&Literal, &cmd).unwrap_err()), "12x");

    let text = "addr add 10.0.0.1/24 dev eth0 brd + scope link valid_lft forever preferred_lft 100";
    let StmtKind::Addr(cmd) = stmt(text).kind else {
        panic!()
    };
    let AddrReq::Add { prefix, dev, opts } = addr(&Literal, &cmd).unwrap() else {
        panic!()
    };
    assert_eq!(known(&prefix).to_string(), "10.0.0.1/24");
    assert_eq!(known(&dev).as_str(), "eth0");
    assert_eq!(opts.broadcast.as_ref().map(known), Some(Broadcast::Plus));
    assert_eq!(opts.scope.as_ref().map(known), Some(253));
    assert_eq!(opts.valid_lft.as_ref().map(known), Some(u32::MAX));
    // A preferred lifetime longer than the valid one is refused.
    let text = "addr add 10.0.0.1/24 dev eth0 valid_lft 10 preferred_lft 20";
    let StmtKind::Addr(cmd) = stmt(text).kind else {
        panic!()
    };
    assert_eq!(at(text, &addr(&Literal, &cmd).unwrap_err()), "20");

    // Routes: route_words.rs's resolver, the one the run and `--check` share.
    let route = |text: &str| {
        let StmtKind::Route(crate::syntax::ast::RouteCmd::Add(spec)) = stmt(text).kind else {
            panic!("{text}: not a route add")
        };
        crate::eval::route_words::resolve_spec(&spec, &mut |w| Ok(w.literal()))
            .map(|r| (r.extra, r.metric, r.via))
    };
    let text = "route add 10.2.0.0/16 via 10.0.0.254 table main proto static scope link metric 7";
    let (extra, metric, via) = route(text).unwrap();
    assert_eq!(extra.table, Some(254));
    assert_eq!(extra.protocol, Some(4));
    assert_eq!(extra.scope, Some(253));
    assert_eq!(metric, Some(7));
    assert_eq!(via, Some("10.0.0.254".parse().unwrap()));
    for (text, word) in [
        ("route add 10.2.0.0/16 via 10.0.0.254 metric -1", "-1"),
        ("route add 10.2.0.0/16 via 10.0.0.x", "10.0.0.x"),
        ("route add 10.2.0.0/33 dev eth0", "10.2.0.0/33"),
        ("route add default via 10.0.0.1 proto sideways", "sideways"),
        ("route add default via 10.0.0.1 table nine", "nine"),
    ] {
        assert_eq!(at(text, &route(text).expect_err(text)), word, "{text}");
    }
}

#[test]
fn the_smaller_builtins() {
    let text = "trace red/veth0 lo { }";
    let StmtKind::Trace { file, devs, .. } = stmt(text).kind else {
        panic!()
    };
    let req = trace(&Literal, file.as_ref(), &devs).unwrap();
    let devs: Vec<TraceDev> = req.devs.iter().map(|d| d.value.clone().unwrap()).collect();
    assert_eq!(devs[0].ns.as_ref().map(|n| n.as_str()), Some("red"));
    assert_eq!(devs[1].dev.as_str(), "lo");

    let text = "capture -c many eth0 { }";
    let StmtKind::Capture {
        count, file, dev, ..
    } = stmt(text).kind
    else {
        panic!()
    };
    let e = capture(&Literal, count.as_ref(), file.as_ref(), &dev)
        .err()
        .unwrap();
    assert_eq!(at(text, &e), "many");

    let text = "for i in 1..x { }";
    let StmtKind::For { items, .. } = stmt(text).kind else {
        panic!()
    };
    assert_eq!(
        at(text, &for_items(&Literal, &items).err().unwrap()),
        "1..x"
    );
    let StmtKind::For { items, .. } = stmt("for i in 2..4 { }").kind else {
        panic!()
    };
    assert!(matches!(
        for_items(&Literal, &items).unwrap(),
        ForReq::Range(a, b) if a.value == Some(2) && b.value == Some(4)
    ));

    assert_eq!(
        signal(Some(&("SIGKILL".into(), Span::default()))).unwrap(),
        libc::SIGKILL
    );
    assert!(signal(Some(&("LOUD".into(), Span::default()))).is_err());
    assert_eq!(signal(None).unwrap(), libc::SIGTERM);

    let text = "set -o pipefail +o errexit";
    let StmtKind::Set(opts) = stmt(text).kind else {
        panic!()
    };
    assert!(at(text, &set(&Literal, &opts).unwrap_err()).contains("errexit"));
    let StmtKind::Set(opts) = stmt("set -eu +o pipefail").kind else {
        panic!()
    };
    let opts: Vec<ShellOpt> = set(&Literal, &opts).unwrap().iter().map(known).collect();
    assert_eq!(opts.last(), Some(&ShellOpt::Pipefail(false)));

    let text = "graph --format png";
    let StmtKind::Graph(cmd) = stmt(text).kind else {
        panic!()
    };
    assert_eq!(at(text, &graph(&Literal, &cmd).err().unwrap()), "png");
}
