//! The words a statement evaluates itself, in source order: not those of the blocks and
//! statements it holds, which are statements of their own. `$( )` runs these before the
//! statement (eval/subst.rs), and `--check` looks at their variables (eval/check.rs).

use super::ast::*;

/// The words `kind` evaluates itself, in source order.
pub fn own_words(kind: &StmtKind) -> Vec<&Word> {
    let mut words: Vec<&Word> = Vec::new();
    match kind {
        StmtKind::Let { value, .. } => words.push(value),
        StmtKind::For { items, .. } => for_words(items, &mut words),
        StmtKind::If { cond, .. } => cond_words(cond, &mut words),
        StmtKind::NetnsBlock { ns, .. }
        | StmtKind::NetnsEnter(ns)
        | StmtKind::Deny(ns)
        | StmtKind::InNetns { ns, .. }
        | StmtKind::Peer(ns)
        | StmtKind::Stats(ns) => words.push(ns),
        StmtKind::Help(topic) => words.extend(topic),
        StmtKind::Neigh(cmd) => words.extend(cmd.words()),
        // The show statement it holds has its own words.
        StmtKind::IpShow { .. } => {}
        StmtKind::Tuntap(cmd) => words.extend(cmd.words()),
        StmtKind::Netns(cmd) => netns_words(cmd, &mut words),
        StmtKind::Link(cmd) => link_words(cmd, &mut words),
        StmtKind::Addr(cmd) => addr_words(cmd, &mut words),
        StmtKind::Veth { name, peer, netns } => {
            words.extend([name, peer]);
            words.extend(netns);
        }
        StmtKind::Exec { ns, argv } | StmtKind::Spawn { ns, argv } => {
            words.extend(ns);
            words.extend(argv);
        }
        StmtKind::External { argv } | StmtKind::Iproute { argv } => words.extend(argv),
        StmtKind::Ping { opts, dest } => {
            words.extend(opts.iter().filter_map(|o| o.value.as_ref()));
            words.push(dest);
        }
        StmtKind::PingBlock { opts, items } => {
            words.extend(opts.iter().filter_map(|o| o.value.as_ref()));
            // The block's own lines; those a loop generates read its variables, which are
            // not set yet here.
            for item in items {
                match item {
                    PingItem::Line(line) => words.extend([&line.src, &line.dest]),
                    PingItem::Let { value, .. } => words.push(value),
                    PingItem::For { items, .. } => for_words(items, &mut words),
                    PingItem::If { cond, .. } => cond_words(cond, &mut words),
                }
            }
        }
        StmtKind::Capture {
            count, file, dev, ..
        } => {
            words.extend(count.iter().chain(file));
            words.push(dev);
        }
        StmtKind::Kill { pids, .. } | StmtKind::Wait { pids } => words.extend(pids),
        StmtKind::Route(cmd) => route_words(cmd, &mut words),
        StmtKind::Bridge(cmd) => bridge_words(cmd, &mut words),
        StmtKind::Graph(cmd) => words.extend(cmd.format.iter().chain(&cmd.out)),
        StmtKind::Trace { file, devs, .. } => words.extend(file.iter().chain(devs)),
        StmtKind::Set(opts) => words.extend(opts.iter().map(|o| &o.name)),
        StmtKind::Redirected { redirects, .. } => {
            for r in redirects {
                if let RedirectTo::Read(w) | RedirectTo::Write(w) | RedirectTo::Append(w) = &r.to {
                    words.push(w);
                }
            }
        }
        // Their statements are statements of their own, each with its own words.
        StmtKind::Not(_)
        | StmtKind::Build(_)
        | StmtKind::RootBlock(_)
        | StmtKind::Pipeline(_)
        | StmtKind::AndOr { .. } => {}
    }
    words
}

fn for_words<'a>(items: &'a ForItems, words: &mut Vec<&'a Word>) {
    match items {
        ForItems::Range { from, to } => words.extend([from, to]),
        ForItems::List(list) => words.extend(list),
    }
}

fn netns_words<'a>(cmd: &'a NetnsCmd, words: &mut Vec<&'a Word>) {
    match cmd {
        NetnsCmd::Add(w) | NetnsCmd::Del(w) | NetnsCmd::Pids(w) => words.push(w),
        NetnsCmd::List => {}
        NetnsCmd::Exec { ns, argv } => {
            words.push(ns);
            words.extend(argv);
        }
        NetnsCmd::Attach { name, pid } => words.extend([name, pid]),
        NetnsCmd::Identify(pid) => words.extend(pid),
    }
}

fn link_words<'a>(cmd: &'a LinkCmd, words: &mut Vec<&'a Word>) {
    match cmd {
        LinkCmd::Show { dev } => words.extend(dev),
        LinkCmd::Add { name, kind, ops } => {
            words.push(name);
            op_words(ops, words);
            match kind {
                LinkType::Veth {
                    peer,
                    peer_netns,
                    peer_ops,
                    ..
                } => {
                    words.extend(peer.iter().chain(peer_netns));
                    op_words(peer_ops, words);
                }
                LinkType::Other { kind, opts } => {
                    words.push(kind);
                    for (k, v) in opts {
                        words.extend([k, v]);
                    }
                }
            }
        }
        LinkCmd::Set { dev, ops } => {
            words.push(dev);
            op_words(ops, words);
        }
        LinkCmd::Del { dev } => words.push(dev),
        LinkCmd::Property { dev, altnames, .. } => {
            words.push(dev);
            words.extend(altnames);
        }
    }
}

fn route_words<'a>(cmd: &'a RouteCmd, words: &mut Vec<&'a Word>) {
    match cmd {
        RouteCmd::Show { dev, sel, .. } | RouteCmd::Flush { dev, sel, .. } => {
            words.extend(dev);
            words.extend(sel.table.iter().chain(&sel.proto).chain(&sel.scope));
            words.extend(sel.prefix.as_ref().map(|p| &p.1));
        }
        RouteCmd::Add(spec) | RouteCmd::Del(spec) => {
            words.extend(
                spec.dst
                    .iter()
                    .chain(&spec.via)
                    .chain(&spec.dev)
                    .chain(&spec.src)
                    .chain(&spec.metric)
                    .chain(&spec.table)
                    .chain(&spec.proto)
                    .chain(&spec.scope)
                    .chain(&spec.mtu),
            );
            for h in &spec.nexthops {
                words.extend(h.via.iter().chain(&h.dev).chain(&h.weight));
            }
        }
        RouteCmd::Get(get) => {
            words.push(&get.dst);
            words.extend(get.from.iter().chain(&get.iif).chain(&get.oif));
        }
    }
}

fn bridge_words<'a>(cmd: &'a BridgeCmd, words: &mut Vec<&'a Word>) {
    match cmd {
        BridgeCmd::Link { dev } => words.extend(dev),
        BridgeCmd::Block { name, items } => {
            words.push(name);
            for item in items {
                match item {
                    BridgeItem::Port(ports) => words.extend(ports),
                    BridgeItem::Addr(w) => words.push(w),
                }
            }
        }
    }
}

fn addr_words<'a>(cmd: &'a AddrCmd, words: &mut Vec<&'a Word>) {
    match cmd {
        AddrCmd::Add { prefix, dev, opts } => {
            words.extend([prefix, dev]);
            words.extend(
                opts.broadcast
                    .iter()
                    .chain(&opts.label)
                    .chain(&opts.scope)
                    .chain(&opts.valid_lft)
                    .chain(&opts.preferred_lft),
            );
        }
        AddrCmd::Del { prefix, dev } => words.extend([prefix, dev]),
        AddrCmd::Show { dev, filter, .. } | AddrCmd::Flush { dev, filter } => {
            words.extend(dev);
            words.extend(filter.scope.iter().chain(&filter.label).chain(&filter.to));
        }
    }
}

fn op_words<'a>(ops: &'a [LinkOp], words: &mut Vec<&'a Word>) {
    for op in ops {
        match op {
            LinkOp::Netns(w)
            | LinkOp::Master(w)
            | LinkOp::Mtu(w)
            | LinkOp::Name(w)
            | LinkOp::Address(w)
            | LinkOp::Broadcast(w)
            | LinkOp::Alias(w)
            | LinkOp::TxQueueLen(w)
            | LinkOp::Group(w)
            | LinkOp::Switch(_, w) => words.push(w),
            LinkOp::Type { kind, opts } => {
                words.push(kind);
                for (k, v) in opts {
                    words.extend([k, v]);
                }
            }
            LinkOp::Up(_) | LinkOp::Down(_) | LinkOp::NoMaster(_) => {}
        }
    }
}

/// A condition's own words: a statement condition is a statement of its own.
fn cond_words<'a>(cond: &'a Cond, words: &mut Vec<&'a Word>) {
    match cond {
        Cond::Not(inner, _) => cond_words(inner, words),
        Cond::NetnsExists(w) | Cond::LinkExists(w) => words.push(w),
        Cond::Stmt(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let program = crate::syntax::parse(text).unwrap();
        own_words(&program.stmts[0].kind)
            .iter()
            .map(|w| text[w.span.start..w.span.end].to_string())
            .collect()
    }

    #[test]
    fn a_statement_owns_its_words_not_those_of_what_it_holds() {
        assert_eq!(
            words("link add v0 mtu $m type veth peer name v1 netns red"),
            ["v0", "$m", "v1", "red"]
        );
        assert_eq!(words("netns $ns { link set lo up }"), ["$ns"]);
        assert_eq!(words("if link exists $d { netns add x }"), ["$d"]);
        assert_eq!(words("for i in 1..$n { ping 10.0.0.$i }"), ["1", "$n"]);
        assert_eq!(
            words("route add 10.0.0.0/8 via 10.1.1.1 metric 5 > out.txt"),
            ["out.txt"]
        );
        assert!(words("! link set lo up").is_empty());
    }
}
