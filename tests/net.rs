//! The net layer against the real kernel, with iproute2 as the oracle.
//!
//! Every test runs in [`sandbox`]: a thread in its own network and mount namespace, so tests
//! run in parallel and leave nothing on the host. Needs root.

use std::net::IpAddr;
use std::process::Command;

use nix::errno::Errno;
use nix::mount::{mount, MsFlags};
use nix::sched::{unshare, CloneFlags};
use serde_json::Value;
use vsh::net::addr::{self, Prefix, PrefixError};
use vsh::net::link::{self, LinkChange, LinkKind, MacvlanMode, NsTarget};
use vsh::net::{exec, sandbox as isolation, NameKind, Namespaces, NetError, Ns};

/// Run `f` on a thread with its own network and mount namespaces, a private /, a tmpfs on
/// /run (so nothing is created on the host) and another on /run/netns.
fn sandbox(f: impl FnOnce() + Send + 'static) {
    let joined = std::thread::spawn(move || {
        // Per thread: CLONE_NEWNS implies CLONE_FS, which a thread may unshare on its own.
        unshare(CloneFlags::CLONE_NEWNET | CloneFlags::CLONE_NEWNS).expect("unshare");
        let none: Option<&str> = None;
        mount(none, "/", none, MsFlags::MS_REC | MsFlags::MS_PRIVATE, none).expect("rprivate /");
        mount(Some("tmpfs"), "/run", Some("tmpfs"), MsFlags::empty(), none).expect("tmpfs /run");
        std::fs::create_dir_all("/run/netns").expect("mkdir /run/netns");
        mount(
            Some("tmpfs"),
            "/run/netns",
            Some("tmpfs"),
            MsFlags::empty(),
            none,
        )
        .expect("tmpfs /run/netns");
        f()
    })
    .join();
    if let Err(panic) = joined {
        std::panic::resume_unwind(panic);
    }
}

/// Run an iproute2 command (`ip` or `bridge`) and return its stdout; it must succeed.
fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().expect(program);
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// `ip -j ARGS` as JSON.
fn ip(args: &[&str]) -> Value {
    let mut all = vec!["-j"];
    all.extend_from_slice(args);
    let out = run("ip", &all);
    if out.trim().is_empty() {
        Value::Array(vec![])
    } else {
        serde_json::from_str(&out).expect("ip json")
    }
}

/// `bridge -j link` as JSON.
fn bridge_link() -> Value {
    let out = run("bridge", &["-j", "link"]);
    if out.trim().is_empty() {
        Value::Array(vec![])
    } else {
        serde_json::from_str(&out).expect("bridge json")
    }
}

/// The one link iproute2 shows for `ip [-n NS] -j link show dev NAME`.
fn ip_link(ns: Option<&str>, name: &str) -> Value {
    let mut args = vec![];
    if let Some(ns) = ns {
        args.extend(["-n", ns]);
    }
    args.extend(["link", "show", "dev", name]);
    ip(&args)[0].clone()
}

fn ip_link_names(ns: Option<&str>) -> Vec<String> {
    let mut args = vec![];
    if let Some(ns) = ns {
        args.extend(["-n", ns]);
    }
    args.extend(["link", "show"]);
    ip(&args)
        .as_array()
        .expect("array")
        .iter()
        .map(|l| l["ifname"].as_str().expect("ifname").to_owned())
        .collect()
}

fn ip_netns_names() -> Vec<String> {
    ip(&["netns", "list"])
        .as_array()
        .expect("array")
        .iter()
        .map(|n| n["name"].as_str().expect("name").to_owned())
        .collect()
}

fn red(ns: &Ns) -> bool {
    *ns == Ns::Named("red".into())
}

fn mac(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn named(name: &str) -> Ns {
    Ns::Named(name.into())
}

#[test]
fn prefixes_parse_validated() {
    assert_eq!(
        "300.1.1.1".parse::<Prefix>(),
        Err(PrefixError::Address("300.1.1.1".into()))
    );
    assert!(matches!(
        "10.1.1.1/33".parse::<Prefix>(),
        Err(PrefixError::TooLong { len: 33, .. })
    ));
    let p: Prefix = "2001:db8::1/64".parse().expect("v6");
    assert_eq!((p.to_string(), p.len), ("2001:db8::1/64".into(), 64));
}

#[test]
fn namespaces_are_shared_with_iproute2() {
    needs_root!();
    sandbox(|| {
        let mut ns = Namespaces::new().expect("new");
        assert!(ns.list().expect("list").is_empty());
        ns.add("red").expect("add red");
        ns.add("blue").expect("add blue");
        run("ip", &["netns", "add", "green"]);

        // Same names, same (readdir) order as `ip netns list`.
        let ours: Vec<String> = ns
            .list()
            .expect("list")
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(ours, ip_netns_names());
        assert_eq!(ours.len(), 3);
        assert!(ns.exists("green") && ns.exists("red") && !ns.exists("pink"));

        assert!(matches!(ns.add("red"), Err(NetError::NetnsExists { name }) if name == "red"));
        assert!(matches!(ns.add("green"), Err(NetError::NetnsExists { .. })));
        assert!(matches!(
            ns.add("a/b"),
            Err(NetError::InvalidName {
                kind: NameKind::Netns,
                ..
            })
        ));
        assert!(matches!(ns.add(".."), Err(NetError::InvalidName { .. })));

        // Each is a separate namespace with only lo.
        let sock = ns.route(&named("green")).expect("route green");
        let names: Vec<String> = link::list(sock)
            .expect("links")
            .into_iter()
            .map(|l| l.name)
            .collect();
        assert_eq!(names, ["lo"]);

        ns.del("blue").expect("del blue");
        // The unmount runs in the background until settled.
        assert!(ns.settle().is_empty());
        run("ip", &["netns", "del", "green"]);
        assert_eq!(ip_netns_names(), ["red"]);
        assert_eq!(ns.list().expect("list").len(), 1);
        assert!(matches!(ns.del("blue"), Err(NetError::NoNetns { .. })));
        assert!(matches!(
            ns.fd(&named("blue")),
            Err(NetError::NoNetns { .. })
        ));
        let err = ns.route(&named("nope")).err().expect("no such namespace");
        assert_eq!(err.to_string(), "namespace \"nope\" does not exist");
    });
}

#[test]
fn veth_peer_created_in_place() {
    needs_root!();
    sandbox(|| {
        let mut ns = Namespaces::new().expect("new");
        ns.add("red").expect("add red");
        // The root socket and red's fd, borrowed together: the peer is born inside red.
        let (root, red_fd) = ns
            .route_with_fd(&Ns::Root, &named("red"))
            .expect("route, fd");
        let peer_ns = Some(red_fd);
        link::add(
            root,
            "vtest0",
            &LinkKind::Veth {
                peer: "vtest1",
                peer_ns,
            },
        )
        .expect("veth");
        let root = ns.route(&Ns::Root).expect("route");

        let ours = link::get(root, "vtest0")
            .expect("get")
            .expect("vtest0 exists");
        let theirs = ip_link(None, "vtest0");
        assert_eq!(ours.index, theirs["ifindex"]);
        assert_eq!(ours.mtu, theirs["mtu"]);
        assert_eq!(ours.kind.as_deref(), Some("veth"));
        assert_eq!(mac(ours.mac.as_deref().expect("mac")), theirs["address"]);
        assert_eq!(ours.operstate, theirs["operstate"]);
        assert_eq!(ours.link, theirs["link_index"].as_u64().map(|i| i as u32));
        assert_eq!(
            ours.link_netnsid,
            theirs["link_netnsid"].as_i64().map(|i| i as i32)
        );
        assert!(!ours.is_up());

        // The peer is in red, where IFLA_LINK points at it.
        assert!(!ip_link_names(None).contains(&"vtest1".to_owned()));
        let peer = ip_link(Some("red"), "vtest1");
        assert_eq!(ours.link, peer["ifindex"].as_u64().map(|i| i as u32));
        let red_sock = ns.route(&named("red")).expect("route red");
        let peer_ours = link::get(red_sock, "vtest1")
            .expect("get")
            .expect("vtest1 in red");
        assert_eq!(peer_ours.link, Some(ours.index));

        // The nsid root gave red maps back to its name, and `ip netns list` shows the same id.
        let nsid = ours.link_netnsid.expect("nsid");
        assert_eq!(
            ns.name_of_nsid(&Ns::Root, nsid).expect("nsid"),
            Some("red".into())
        );
        assert_eq!(
            ns.name_of_nsid(&Ns::Root, nsid).expect("cached"),
            Some("red".into())
        );
        assert_eq!(ns.name_of_nsid(&Ns::Root, nsid + 7).expect("none"), None);
        let listed = ns.list().expect("list");
        assert_eq!(listed[0].id, Some(nsid));
        assert_eq!(ip(&["netns", "list"])[0]["id"], nsid);

        // Deleting one end deletes the pair.
        let root = ns.route(&Ns::Root).expect("route");
        link::del(root, ours.index).expect("del");
        assert_eq!(link::get(root, "vtest0").expect("get"), None);
        assert!(!ip_link_names(Some("red")).contains(&"vtest1".to_owned()));
    });
}

#[test]
fn veth_peer_moved_to_namespace() {
    needs_root!();
    sandbox(|| {
        let mut ns = Namespaces::new().expect("new");
        ns.add("red").expect("add red");
        let root = ns.route(&Ns::Root).expect("route");
        link::add(
            root,
            "mv0",
            &LinkKind::Veth {
                peer: "mv1",
                peer_ns: None,
            },
        )
        .expect("veth");
        assert!(ip_link_names(None).contains(&"mv1".to_owned()));
        let mv1 = link::get(root, "mv1").expect("get").expect("mv1");
        let red_fd = ns
            .fd(&named("red"))
            .expect("fd")
            .try_clone_to_owned()
            .expect("dup");
        let root = ns.route(&Ns::Root).expect("route");
        link::set_netns(
            root,
            mv1.index,
            NsTarget::Fd(std::os::fd::AsFd::as_fd(&red_fd)),
        )
        .expect("move");
        assert!(!ip_link_names(None).contains(&"mv1".to_owned()));
        assert!(ip_link_names(Some("red")).contains(&"mv1".to_owned()));

        // Back by pid: a child of this thread lives in the sandbox's root namespace.
        let mut child = Command::new("sleep").arg("30").spawn().expect("sleep");
        let red_sock = ns.route(&named("red")).expect("route red");
        let moved = link::get(red_sock, "mv1")
            .expect("get")
            .expect("mv1 in red");
        let pid = child.id();
        let result = link::set_netns(red_sock, moved.index, NsTarget::Pid(pid));
        child.kill().expect("kill");
        child.wait().expect("wait");
        result.expect("move back by pid");
        assert!(ip_link_names(None).contains(&"mv1".to_owned()));
        assert!(!ip_link_names(Some("red")).contains(&"mv1".to_owned()));

        // A bridge cannot change namespace.
        let root = ns.route(&Ns::Root).expect("route");
        link::add(root, "brx", &LinkKind::Bridge).expect("bridge");
        let brx = link::get(root, "brx").expect("get").expect("brx");
        let err = link::set_netns(
            root,
            brx.index,
            NsTarget::Fd(std::os::fd::AsFd::as_fd(&red_fd)),
        )
        .expect_err("a bridge cannot change namespace");
        assert_eq!(err.errno(), Some(Errno::EINVAL));
    });
}

#[test]
fn bridge_master_and_nomaster() {
    needs_root!();
    sandbox(|| {
        let mut ns = Namespaces::new().expect("new");
        let sock = ns.route(&Ns::Root).expect("route");
        link::add(sock, "br0", &LinkKind::Bridge).expect("bridge");
        link::add(
            sock,
            "port0",
            &LinkKind::Veth {
                peer: "port1",
                peer_ns: None,
            },
        )
        .expect("veth");
        let br0 = link::get(sock, "br0").expect("get").expect("br0");
        let port0 = link::get(sock, "port0").expect("get").expect("port0");
        assert_eq!(br0.kind.as_deref(), Some("bridge"));

        link::change(sock, port0.index, master(br0.index)).expect("master");
        let ports = vsh::net::bridge::ports(sock).expect("ports");
        let theirs = bridge_link();
        assert_eq!(ports.len(), 1);
        assert_eq!(theirs.as_array().map(Vec::len), Some(1));
        let (port, their) = (&ports[0], &theirs[0]);
        assert_eq!(port.name, their["ifname"]);
        assert_eq!(port.index, their["ifindex"]);
        assert_eq!(port.master, br0.index);
        assert_eq!(their["master"], "br0");
        assert_eq!(port.mtu, their["mtu"]);
        assert_eq!(port.priority, their["priority"]);
        assert_eq!(port.cost, their["cost"]);
        assert_eq!((port.state, &their["state"]), (0, &Value::from("disabled")));
        assert_eq!(
            link::get(sock, "port0")
                .expect("get")
                .expect("port0")
                .master,
            Some(br0.index)
        );
        assert_eq!(ip_link(None, "port0")["master"], "br0");

        // Up, the port forwards (no STP).
        for index in [br0.index, port0.index] {
            link::set_up(sock, index, true).expect("up");
        }
        let peer = link::get(sock, "port1").expect("get").expect("port1");
        link::set_up(sock, peer.index, true).expect("up");
        // The port starts forwarding once the kernel has seen the carrier (asynchronously).
        let mut ports = vsh::net::bridge::ports(sock).expect("ports");
        for _ in 0..100 {
            if ports[0].state == 3 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
            ports = vsh::net::bridge::ports(sock).expect("ports");
        }
        assert_eq!(
            (ports[0].state, &bridge_link()[0]["state"]),
            (3, &Value::from("forwarding"))
        );

        // A bridge into a bridge is refused.
        link::add(sock, "br1", &LinkKind::Bridge).expect("bridge");
        let br1 = link::get(sock, "br1").expect("get").expect("br1");
        let err = link::change(sock, br1.index, master(br0.index)).expect_err("bridge in bridge");
        assert_eq!(err.errno(), Some(Errno::ELOOP));

        link::change(sock, port0.index, master(0)).expect("nomaster");
        assert!(vsh::net::bridge::ports(sock).expect("ports").is_empty());
        assert_eq!(bridge_link(), Value::Array(vec![]));
        assert_eq!(
            link::get(sock, "port0")
                .expect("get")
                .expect("port0")
                .master,
            None
        );
    });
}

#[test]
fn links_match_ip_link_show() {
    needs_root!();
    sandbox(|| {
        let mut ns = Namespaces::new().expect("new");
        let sock = ns.route(&Ns::Root).expect("route");
        link::add(
            sock,
            "lk0",
            &LinkKind::Veth {
                peer: "lk1",
                peer_ns: None,
            },
        )
        .expect("veth");
        link::add(sock, "lkbr", &LinkKind::Bridge).expect("bridge");
        let lo = link::get(sock, "lo").expect("get").expect("lo");
        link::set_up(sock, lo.index, true).expect("lo up");
        let ours = link::list(sock).expect("list");
        let theirs = ip(&["link", "show"]);
        let theirs = theirs.as_array().expect("array");
        assert_eq!(ours.len(), theirs.len());
        for (l, t) in ours.iter().zip(theirs) {
            assert_eq!(l.index, t["ifindex"]);
            assert_eq!(l.name, t["ifname"]);
            assert_eq!(l.mtu, t["mtu"]);
            assert_eq!(l.operstate, t["operstate"]);
            assert_eq!(l.txqlen, t["txqlen"]);
            assert_eq!(l.qdisc.as_deref(), t["qdisc"].as_str());
            assert_eq!(
                l.is_up(),
                t["flags"].as_array().expect("flags").contains(&"UP".into())
            );
            assert_eq!(l.mac.as_deref().map(mac).as_deref(), t["address"].as_str());
        }
        assert_eq!(ours[0].link_type, 772);
        assert!(ours.iter().all(|l| l.detail.counters.is_some()));

        // Up and down, seen by ip.
        let lk0 = link::get(sock, "lk0").expect("get").expect("lk0");
        link::set_up(sock, lk0.index, true).expect("up");
        assert!(link::get(sock, "lk0").expect("get").expect("lk0").is_up());
        let flags = ip_link(None, "lk0")["flags"].clone();
        assert!(flags.as_array().expect("flags").contains(&"UP".into()));
        assert_eq!(ip_link(None, "lk0")["operstate"], "LOWERLAYERDOWN");
        link::set_up(sock, lk0.index, false).expect("down");
        let flags = ip_link(None, "lk0")["flags"].clone();
        assert!(!flags.as_array().expect("flags").contains(&"UP".into()));

        // MTU and rename.
        link::change(
            sock,
            lk0.index,
            LinkChange {
                mtu: Some(1400),
                ..LinkChange::default()
            },
        )
        .expect("mtu");
        assert_eq!(ip_link(None, "lk0")["mtu"], 1400);
        link::rename(sock, lk0.index, "lkrenamed").expect("rename");
        assert_eq!(ip_link(None, "lkrenamed")["ifindex"], lk0.index);
        assert_eq!(link::get(sock, "lk0").expect("get"), None);
    });
}

#[test]
fn other_link_kinds() {
    needs_root!();
    sandbox(|| {
        let mut ns = Namespaces::new().expect("new");
        let sock = ns.route(&Ns::Root).expect("route");
        link::add(sock, "kbr", &LinkKind::Bridge).expect("bridge");
        let parent = link::get(sock, "kbr").expect("get").expect("kbr").index;
        link::add(
            sock,
            "kmv",
            &LinkKind::Macvlan {
                parent,
                mode: MacvlanMode::Bridge,
                tap: false,
            },
        )
        .expect("macvlan");
        link::add(
            sock,
            "kvx",
            &LinkKind::Vxlan {
                id: 42,
                parent: Some(parent),
                more: &[],
                port: Some(4789),
            },
        )
        .expect("vxlan");
        link::add(sock, "kifb", &LinkKind::Ifb).expect("ifb");
        link::add(sock, "ktun", &LinkKind::Other("veth")).expect("veth by name");
        for (name, kind) in [
            ("kmv", "macvlan"),
            ("kvx", "vxlan"),
            ("kifb", "ifb"),
            ("ktun", "veth"),
        ] {
            let details = ip(&["-d", "link", "show", "dev", name]);
            assert_eq!(details[0]["linkinfo"]["info_kind"], kind, "{name}");
            let ours = link::get(sock, name).expect("get").expect(name);
            assert_eq!(ours.kind.as_deref(), Some(kind));
        }
        let details = ip(&["-d", "link", "show", "dev", "kmv"]);
        assert_eq!(details[0]["linkinfo"]["info_data"]["mode"], "bridge");
        assert_eq!(ip_link(None, "kmv")["link"], "kbr");
        let details = ip(&["-d", "link", "show", "dev", "kvx"]);
        assert_eq!(details[0]["linkinfo"]["info_data"]["id"], 42);
        assert_eq!(details[0]["linkinfo"]["info_data"]["port"], 4789);
    });
}

#[test]
fn kernel_errors_are_typed() {
    needs_root!();
    sandbox(|| {
        let mut ns = Namespaces::new().expect("new");
        ns.add("red").expect("add red");
        let sock = ns.route(&Ns::Root).expect("route");
        link::add(sock, "ebr", &LinkKind::Bridge).expect("bridge");

        // An existing link: EEXIST, and the kernel sends no text (iproute2 prints the errno's).
        let err = link::add(sock, "ebr", &LinkKind::Bridge).expect_err("exists");
        assert!(
            matches!(
                err,
                NetError::Kernel {
                    errno: Errno::EEXIST,
                    message: None
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "File exists");

        // A kind this kernel lacks: EOPNOTSUPP with the kernel's own words.
        let err = link::add(sock, "edummy", &LinkKind::Dummy).expect_err("no dummy module");
        assert_eq!(err.errno(), Some(Errno::EOPNOTSUPP));
        assert_eq!(err.to_string(), "Unknown device type");
        let err = link::add(sock, "ewhat", &LinkKind::Other("nosuchkind")).expect_err("unknown");
        assert_eq!(err.to_string(), "Unknown device type");

        // Missing devices.
        assert_eq!(link::get(sock, "nosuchdev").expect("get"), None);
        let err = link::require(sock, "nosuchdev", &Ns::Root).expect_err("missing");
        assert_eq!(err.to_string(), "Cannot find device \"nosuchdev\"");
        let red_sock = ns.route(&named("red")).expect("route red");
        let err = link::require(red_sock, "ebr", &named("red")).expect_err("not in red");
        assert_eq!(
            err.to_string(),
            "Cannot find device \"ebr\" in namespace red"
        );
        assert_eq!(err.errno(), Some(Errno::ENODEV));
        assert!(matches!(&err, NetError::NoDevice { ns, .. } if red(ns)));
        let err = link::set_up(red_sock, 9999, true).expect_err("no such index");
        assert_eq!(err.errno(), Some(Errno::ENODEV));

        // Names the kernel would refuse never reach it.
        let err = link::add(red_sock, "abcdefghijklmnop", &LinkKind::Bridge).expect_err("16 bytes");
        assert!(matches!(
            err,
            NetError::InvalidName {
                kind: NameKind::Interface,
                ..
            }
        ));
        assert!(matches!(
            link::get(red_sock, "a b"),
            Err(NetError::InvalidName { .. })
        ));
    });
}

#[test]
fn addresses_v4_and_v6() {
    needs_root!();
    sandbox(|| {
        let mut ns = Namespaces::new().expect("new");
        ns.add("red").expect("add red");
        let red_fd = ns
            .fd(&named("red"))
            .expect("fd")
            .try_clone_to_owned()
            .expect("dup");
        let root = ns.route(&Ns::Root).expect("route");
        let peer_ns = Some(std::os::fd::AsFd::as_fd(&red_fd));
        link::add(
            root,
            "av0",
            &LinkKind::Veth {
                peer: "av1",
                peer_ns,
            },
        )
        .expect("veth");
        let sock = ns.route(&named("red")).expect("route red");
        let av1 = link::get(sock, "av1").expect("get").expect("av1");

        let v4: Prefix = "10.1.1.1/24".parse().expect("v4");
        let v6: Prefix = "2001:db8::1/64".parse().expect("v6");
        addr::add(sock, av1.index, &v4).expect("add v4");
        addr::add(sock, av1.index, &v6).expect("add v6");

        let theirs = ip(&["-n", "red", "addr", "show", "dev", "av1"]);
        let info = theirs[0]["addr_info"]
            .as_array()
            .expect("addr_info")
            .clone();
        assert_eq!(info.len(), 2);
        assert_eq!(info[0]["local"], "10.1.1.1");
        assert_eq!(info[0]["prefixlen"], 24);
        assert_eq!(info[0]["broadcast"], serde_json::Value::Null);
        assert_eq!(info[0]["scope"], "global");
        assert_eq!(info[1]["local"], "2001:db8::1");
        assert_eq!(info[1]["prefixlen"], 64);

        let ours: Vec<_> = addr::list(sock)
            .expect("list")
            .into_iter()
            .filter(|a| a.index == av1.index)
            .collect();
        assert_eq!(ours.len(), 2);
        assert_eq!(ours[0].prefix, v4);
        assert_eq!(ours[0].broadcast, None);
        assert_eq!(ours[0].label.as_deref(), Some("av1"));
        assert_eq!(
            (ours[0].peer, ours[0].scope, ours[0].valid_lft),
            (None, 0, None)
        );
        assert_eq!(ours[1].prefix, v6);
        assert_eq!(ours[1].broadcast, None);

        // The same address again: EEXIST with the kernel's extended-ack text.
        let err = addr::add(sock, av1.index, &v4).expect_err("exists");
        assert_eq!(err.errno(), Some(Errno::EEXIST));
        assert!(
            matches!(&err, NetError::Kernel { message: Some(m), .. } if m == "ipv4: Address already assigned"),
            "{err:?}"
        );

        addr::del(sock, av1.index, &v4).expect("del v4");
        let err = addr::del(sock, av1.index, &v4).expect_err("gone");
        assert_eq!(err.errno(), Some(Errno::EADDRNOTAVAIL));
        assert_eq!(err.to_string(), "ipv4: Address not found");
        let theirs = ip(&["-n", "red", "addr", "show", "dev", "av1"]);
        let info = theirs[0]["addr_info"]
            .as_array()
            .expect("addr_info")
            .clone();
        assert_eq!(info.len(), 1);
        assert_eq!(info[0]["local"], "2001:db8::1");

        // Loopback addresses get host scope, as with ip.
        let lo = link::get(sock, "lo").expect("get").expect("lo");
        addr::add(sock, lo.index, &"127.0.0.2/8".parse().expect("lo addr")).expect("add lo");
        let theirs = ip(&["-n", "red", "addr", "show", "dev", "lo"]);
        assert_eq!(theirs[0]["addr_info"][0]["scope"], "host");

        // An address on an up link in root gives the kernel's prefix route there.
        let root = ns.route(&Ns::Root).expect("route");
        let av0 = link::get(root, "av0").expect("get").expect("av0");
        addr::add(root, av0.index, &"10.1.1.2/24".parse().expect("p")).expect("add");
        link::set_up(root, av0.index, true).expect("up");
        let addrs = addr::list(root).expect("list");
        let here: IpAddr = "10.1.1.2".parse().expect("ip");
        assert!(addrs
            .iter()
            .any(|a| a.prefix.addr == here && a.index == av0.index));
        assert_eq!(
            ip(&["route", "show", "dev", "av0"])[0]["dst"],
            "10.1.1.0/24"
        );
    });
}

#[test]
fn exec_runs_inside_the_namespace() {
    needs_root!();
    sandbox(|| {
        let mut ns = Namespaces::new().expect("new");
        ns.add("red").expect("add red");
        let red_fd = ns
            .fd(&named("red"))
            .expect("fd")
            .try_clone_to_owned()
            .expect("dup");
        let root = ns.route(&Ns::Root).expect("route");
        let peer_ns = Some(std::os::fd::AsFd::as_fd(&red_fd));
        link::add(
            root,
            "ex0",
            &LinkKind::Veth {
                peer: "ex1",
                peer_ns,
            },
        )
        .expect("veth");
        let ex0 = link::get(root, "ex0").expect("get").expect("ex0");
        let sh = |script: &str| vec!["sh".to_owned(), "-c".to_owned(), script.to_owned()];
        let inside = Some((std::os::fd::AsFd::as_fd(&red_fd), "red"));

        // sysfs is remounted: it shows red's devices, and ex1's iflink is ex0's index.
        let script = format!(
            "test \"$(ls /sys/class/net | tr '\\n' ' ')\" = 'ex1 lo ' && \
             test \"$(cat /sys/class/net/ex1/iflink)\" = {}",
            ex0.index
        );
        assert_eq!(exec::run(inside, &sh(&script)).expect("run"), 0);
        // Without a namespace it runs plainly, in vsh's own root (the host's sysfs here).
        assert_eq!(
            exec::run(None, &sh("test -e /sys/class/net/ex1")).expect("run"),
            1
        );
        assert_eq!(exec::run(inside, &sh("exit 7")).expect("run"), 7);
        assert_eq!(exec::run(inside, &sh("kill -9 $$")).expect("run"), 128 + 9);

        let missing = vec!["/nonexistent/program".to_owned()];
        let err = exec::run(inside, &missing).expect_err("not found");
        assert!(matches!(err, NetError::Spawn { .. }), "{err:?}");
        assert_eq!(err.errno(), Some(Errno::ENOENT));
        assert!(matches!(exec::run(None, &[]), Err(NetError::Spawn { .. })));

        // The thread itself never left root: enter() returns there too.
        let here = || std::fs::read_link("/proc/thread-self/ns/net").expect("readlink");
        let before = here();
        let inner = ns.enter(&named("red"), here).expect("enter");
        assert_ne!(inner, before);
        assert_eq!(here(), before);
    });
}

#[test]
fn isolate_gives_a_private_world() {
    needs_root!();
    sandbox(|| {
        // On a sandbox thread, isolate() unshares that thread only.
        run("ip", &["netns", "add", "outside"]);
        isolation::isolate().expect("isolate");
        assert!(ip_netns_names().is_empty());
        assert_eq!(ip_link_names(None), ["lo"]);
        let lo = ip_link(None, "lo");
        assert!(lo["flags"]
            .as_array()
            .expect("flags")
            .contains(&"UP".into()));
        let entries: Vec<_> = std::fs::read_dir("/sys/class/net")
            .expect("sysfs")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(entries, ["lo"]);
    });
}

#[test]
fn exec_binds_etc_netns_files() {
    needs_root!();
    sandbox(|| {
        // A private /etc for this sandbox only: the host has no /etc/netns to test with.
        let none: Option<&str> = None;
        std::fs::create_dir_all("/run/etc/netns/red").expect("mkdir");
        if let Ok(cache) = std::fs::read("/etc/ld.so.cache") {
            std::fs::write("/run/etc/ld.so.cache", cache).expect("ld.so.cache");
        }
        std::fs::write("/run/etc/hosts", "outside\n").expect("hosts");
        std::fs::write("/run/etc/netns/red/hosts", "inside\n").expect("red hosts");
        mount(Some("/run/etc"), "/etc", none, MsFlags::MS_BIND, none).expect("bind /etc");

        let mut ns = Namespaces::new().expect("new");
        ns.add("red").expect("add red");
        let red_fd = ns.fd(&named("red")).expect("fd");
        let check = |text: &str| {
            let script = format!("test \"$(cat /etc/hosts)\" = {text}");
            vec!["sh".to_owned(), "-c".to_owned(), script]
        };
        assert_eq!(
            exec::run(Some((red_fd, "red")), &check("inside")).expect("run"),
            0
        );
        assert_eq!(exec::run(None, &check("outside")).expect("run"), 0);
    });
}

/// A change that makes a link a port of `index` (0: of none).
fn master(index: u32) -> LinkChange {
    LinkChange {
        master: Some(index),
        ..Default::default()
    }
}

/// The kernel's neighbour tables as `ip -s ntable` shows them: limit, size, overflows.
#[test]
fn neighbour_tables_read_as_iproute2_shows_them() {
    needs_root!();
    sandbox(|| {
        let mut ns = Namespaces::new().expect("root");
        let sock = ns.route(&Ns::Root).expect("route socket");
        let tables = vsh::net::neigh::tables(sock).expect("tables");
        let text = run("ip", &["-s", "ntable", "show", "name", "arp_cache"]);
        let arp = tables
            .iter()
            .find(|t| t.name == "arp_cache")
            .unwrap_or_else(|| panic!("{tables:?}"));
        assert!(
            text.contains(&format!("thresh3 {} ", arp.thresh3)),
            "{arp:?}\n{text}"
        );
        assert!(tables.iter().any(|t| t.name == "ndisc_cache"), "{tables:?}");
        // Overflows only grow, and are global: iproute2's later reading is not smaller.
        let fulls: u64 = text
            .split("table_fulls ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{text}"));
        assert!(fulls >= arp.table_fulls, "{fulls} < {arp:?}");
    });
}
