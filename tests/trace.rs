//! `trace`: the paths of the document's section 3.5 (a ping through a bridge port fails, one
//! through the bridge works), of a ping across a bridge between two namespaces, and the
//! pcapng it writes, read back by tcpdump.

use crate::lab::Lab;

/// The document's 3.1 to 3.4: br0, a veth pair with both addresses, veth0 a port of br0.
/// (lo up, as on any host: the working ping's reply comes back over it.)
const BRIDGE: &str = "link set lo up\n\
    ip link add name br0 type bridge\n\
    ip link set br0 up\n\
    ip link add veth0 type veth peer name veth1\n\
    ip addr add 1.2.3.101/24 dev veth0\n\
    ip addr add 1.2.3.102/24 dev veth1\n\
    ip link set veth0 up\n\
    ip link set veth1 up\n\
    exec sh -c 'cd /proc/sys/net/ipv4/conf && echo 0 > all/rp_filter && for d in veth0 veth1; do echo 0 > $d/rp_filter; echo 1 > $d/accept_local; done'\n\
    ip link set dev veth0 master br0\n\
    exec timeout 10 sh -c 'until bridge link show dev veth0 | grep -q forwarding; do sleep 0.05; done'\n";

/// The path (and stop lines) printed under the first packet whose description contains
/// `what`, in `out`.
fn path_of<'a>(out: &'a str, what: &str) -> Vec<&'a str> {
    let mut lines = out.lines().skip_while(|l| !l.contains(what));
    assert!(lines.next().is_some(), "no packet {what:?} in:\n{out}");
    lines
        .take_while(|l| l.starts_with("    "))
        .map(str::trim)
        .collect()
}

#[test]
fn section_3_5_the_reply_stops_at_the_bridge_then_the_ping_goes_through() {
    needs_root!();
    let run = Lab::new(&format!(
        "{BRIDGE}\
         trace {{\n    ! ping -c 1 -W 1 -I veth0 1.2.3.102\n}}\n\
         echo ===\n\
         ip addr del 1.2.3.101/24 dev veth0\n\
         ip addr add 1.2.3.101/24 dev br0\n\
         trace {{\n    ping -c 1 -I br0 1.2.3.102\n}}\n"
    ))
    .run()
    .success();
    let (failing, working) = run.stdout.split_once("===\n").unwrap();
    // Every device of every namespace, by ifindex (a pair's peer is made first).
    assert!(
        failing.starts_with("tracing 4 devices: root/lo root/br0 root/veth1 root/veth0\n"),
        "{failing}"
    );
    // veth0's stack asks; veth1 answers to veth0's MAC; veth0 is a port, so the bridge
    // takes the answer up its own stack, and veth0's never sees it: no echo is ever sent.
    assert_eq!(
        path_of(failing, "ARP, Request who-has 1.2.3.102 tell 1.2.3.101"),
        ["root/veth0 → root/veth1"]
    );
    assert_eq!(
        path_of(failing, "ARP, Reply 1.2.3.102 is-at "),
        [
            "root/veth1 → root/veth0 → root/br0",
            "delivered to veth0 (a bridge port), never to its stack"
        ]
    );
    assert!(!failing.contains("ICMP echo request"), "{failing}");
    // With the address on br0: out of br0, through its port veth0, across to veth1; the
    // reply is for an address of this namespace, so it goes over lo.
    assert_eq!(
        path_of(working, "ARP, Request who-has 1.2.3.102 tell 1.2.3.101"),
        ["root/br0 → root/veth0 → root/veth1"]
    );
    assert_eq!(
        path_of(working, "ARP, Reply 1.2.3.102 is-at "),
        ["root/veth1 → root/veth0 → root/br0"]
    );
    assert_eq!(
        path_of(working, "IP 1.2.3.101 > 1.2.3.102: ICMP echo request"),
        ["root/br0 → root/veth0 → root/veth1"]
    );
    assert_eq!(
        path_of(working, "IP 1.2.3.102 > 1.2.3.101: ICMP echo reply"),
        ["root/lo"]
    );
    assert!(working.contains("1 packets transmitted, 1 received"));
}

#[test]
fn a_ping_across_a_bridge_between_namespaces_names_every_hop() {
    needs_root!();
    let run = Lab::new(
        "bridge br0 { }\n\
         for i in 1..2 {\n\
             veth v$i peer e$i netns h$i\n\
             link set v$i master br0 up\n\
             netns h$i { link set e$i up; addr add 10.0.0.$i/24 dev e$i }\n\
         }\n\
         exec timeout 10 sh -c 'until bridge link | grep -c forwarding | grep -qx 2; do sleep 0.05; done'\n\
         netns h1 { trace h1/e1 root/v1 root/v2 h2/e2 { ping -c 1 10.0.0.2 } }\n",
    )
    .before("ip netns add h1 && ip netns add h2")
    .run()
    .success();
    assert!(
        run.stdout
            .starts_with("tracing 4 devices: h1/e1 root/v1 root/v2 h2/e2\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        path_of(&run.stdout, "ARP, Request who-has 10.0.0.2 tell 10.0.0.1"),
        ["h1/e1 → root/v1 → br0 → root/v2 → h2/e2"]
    );
    assert_eq!(
        path_of(&run.stdout, "ICMP echo request"),
        ["h1/e1 → root/v1 → br0 → root/v2 → h2/e2"]
    );
    assert_eq!(
        path_of(&run.stdout, "ICMP echo reply"),
        ["h2/e2 → root/v2 → br0 → root/v1 → h1/e1"]
    );
}

/// The blocks of a pcapng file: (type, body).
fn blocks(b: &[u8]) -> Vec<(u32, &[u8])> {
    let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let mut out = Vec::new();
    let mut at = 0;
    while at + 12 <= b.len() {
        let (kind, len) = (u32_at(at), u32_at(at + 4) as usize);
        out.push((kind, &b[at + 8..at + len - 4]));
        at += len;
    }
    out
}

#[test]
fn w_writes_one_pcapng_with_an_interface_per_device_that_tcpdump_reads() {
    needs_root!();
    let file = std::env::temp_dir().join(format!("vsh-trace-{}.pcapng", std::process::id()));
    let path = file.display().to_string();
    let run = Lab::new(&format!(
        "{BRIDGE}ip addr del 1.2.3.101/24 dev veth0\n\
         ip addr add 1.2.3.101/24 dev br0\n\
         trace -w {path} {{ ping -c 2 -i 0.2 -I br0 1.2.3.102 }}\n"
    ))
    .oracle(&format!("tcpdump -n -r {path} && echo tcpdump-read-it"))
    .oracle(&format!(
        "tcpdump -n -r {path} icmp[icmptype] == icmp-echo | wc -l"
    ))
    .run()
    .success();
    let bytes = std::fs::read(&file).expect("the pcapng file");
    let _ = std::fs::remove_file(&file);
    let read = run.oracle(0);
    assert!(
        read.ends_with("tcpdump-read-it\n"),
        "tcpdump refused it:\n{read}"
    );
    // Every sighting is one packet record, in time order.
    let seen: usize = run
        .stdout
        .lines()
        .find_map(|l| l.split(" seen ").nth(1))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the closing count");
    assert_eq!(read.lines().count() - 1, seen, "{read}");
    // Each echo request crossed br0 then veth0 then veth1: three records each.
    assert_eq!(run.oracle(1).trim(), "6");
    let blocks = blocks(&bytes);
    assert_eq!(blocks[0].0, 0x0A0D_0D0A);
    let names: Vec<String> = blocks
        .iter()
        .filter(|(kind, _)| *kind == 1)
        .map(|(_, body)| {
            // Link type, reserved, snaplen, then if_name (option 2).
            assert_eq!(u16::from_le_bytes([body[0], body[1]]), 1);
            assert_eq!(u16::from_le_bytes([body[8], body[9]]), 2);
            let len = u16::from_le_bytes([body[10], body[11]]) as usize;
            String::from_utf8(body[12..12 + len].to_vec()).unwrap()
        })
        .collect();
    assert_eq!(names, ["root/lo", "root/br0", "root/veth1", "root/veth0"]);
    assert_eq!(blocks.iter().filter(|(k, _)| *k == 6).count(), seen);
}

#[test]
fn a_device_that_does_not_exist_is_named_before_anything_runs() {
    needs_root!();
    let run = Lab::new("trace eth9 { echo ran }\n")
        .run()
        .failure(1)
        .stderr_has("cannot find device \"eth9\" in the root namespace")
        .stderr_has("script.vnet:1:7");
    assert!(!run.stdout.contains("ran"), "{}", run.stdout);
}
