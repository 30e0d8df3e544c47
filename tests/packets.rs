//! Packets: `ping` and ping blocks against iputils' ping, `capture` against `tcpdump -r`,
//! Ctrl-C on a running ping.

use crate::lab::{Lab, VSH};
use regex::Regex;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

/// netns1 (10.1.1.1) and the root namespace (10.1.1.2) on a veth pair; 10.99.0.0/24 is on
/// veth0 too, and nobody answers for 10.99.0.9.
const SETUP: &str = "netns add netns1\n\
    veth veth0 peer veth1 netns netns1\n\
    netns netns1 {\n  addr add 10.1.1.1/24 dev veth1\n  link set veth1 up\n  link set lo up\n}\n\
    addr add 10.1.1.2/24 dev veth0\n\
    addr add 10.99.0.1/24 dev veth0\n\
    link set veth0 up\n";

/// A line with its numbers and addresses replaced: what iputils' and vsh's lines share.
fn shape(line: &str) -> String {
    let numbers = Regex::new(r"[0-9a-f:]*[0-9]+(\.[0-9]+)*").unwrap();
    numbers.replace_all(line.trim(), "N").to_string()
}

fn shapes(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("status="))
        .map(shape)
        .collect()
}

#[test]
fn ping_answers_where_iputils_does_in_its_format() {
    needs_root!();
    let script = format!(
        "{SETUP}ping -c 2 -i 0.2 10.1.1.1\n\
         netns netns1 {{ ping -c 1 10.1.1.2 }}\n\
         ! ping -c 1 -W 1 10.99.0.9\n\
         echo status=$?\n"
    );
    let run = Lab::new(&script)
        .oracle("ping -c 2 -i 0.2 10.1.1.1; echo status=$?")
        .oracle("ip netns exec netns1 ping -c 1 10.1.1.2; echo status=$?")
        .oracle("ping -c 1 -W 1 10.99.0.9; echo status=$?")
        .run()
        .success()
        .stdout_has("2 packets transmitted, 2 received, 0% packet loss")
        .stdout_has("1 packets transmitted, 0 received, 100% packet loss")
        .stdout_has("status=0");
    // iputils agrees on who answers ...
    assert!(run.oracle(0).contains("status=0"), "{}", run.oracle(0));
    assert!(run.oracle(1).contains("status=0"), "{}", run.oracle(1));
    assert!(run.oracle(2).contains("status=1"), "{}", run.oracle(2));
    // ... and every line it printed has the shape of one vsh printed.
    let ours = shapes(&run.stdout);
    for i in 0..3 {
        for theirs in shapes(run.oracle(i)) {
            assert!(
                ours.contains(&theirs),
                "iputils printed {theirs:?}; vsh's lines are {ours:#?}"
            );
        }
    }
    let summary = Regex::new(
        r"(?m)^\d+ packets transmitted, \d+ received, [\d.]+% packet loss, time \d+ms\nrtt min/avg/max/mdev = \d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3} ms$",
    )
    .unwrap();
    assert_eq!(summary.find_iter(&run.stdout).count(), 2, "{}", run.stdout);
}

#[test]
fn ping_fails_without_a_reply_and_says_so() {
    needs_root!();
    Lab::new(&format!("{SETUP}ping -c 1 -W 1 10.99.0.9\necho never\n"))
        .run()
        .failure(1)
        .stderr_has("no reply from 10.99.0.9")
        .stdout_has("100% packet loss");
}

#[test]
fn ping_from_a_source_address_as_iputils_does() {
    needs_root!();
    // -I ADDR sends from ADDR: netns1 answers 10.99.0.1 only once it has a route back.
    let script = format!(
        "{SETUP}! ping -c 1 -W 1 -I 10.99.0.1 10.1.1.1\n\
         netns netns1 {{ route add 10.99.0.0/24 dev veth1 }}\n\
         ping -c 1 -I 10.99.0.1 10.1.1.1\n"
    );
    let run = Lab::new(&script)
        .oracle("ip -n netns1 route del 10.99.0.0/24; ping -c 1 -W 1 -I 10.99.0.1 10.1.1.1; echo status=$?")
        .oracle("ip -n netns1 route add 10.99.0.0/24 dev veth1; ping -c 1 -I 10.99.0.1 10.1.1.1")
        .run()
        .success()
        .stdout_has("PING 10.1.1.1 (10.1.1.1) from 10.99.0.1 : 56(84) bytes of data.")
        .stdout_has("1 packets transmitted, 0 received, 100% packet loss")
        .stdout_has("1 packets transmitted, 1 received, 0% packet loss");
    assert!(run.oracle(0).contains("status=1"), "{}", run.oracle(0));
    let ours = shapes(&run.stdout);
    for theirs in shapes(run.oracle(1)) {
        assert!(
            ours.contains(&theirs),
            "iputils printed {theirs:?}; vsh's lines are {ours:#?}"
        );
    }
    // An address no device has, or one of the other family, is refused.
    Lab::new(&format!("{SETUP}ping -c 1 -I 10.1.1.77 10.1.1.1\n"))
        .run()
        .failure(1)
        .stderr_has("bind 10.1.1.77");
    Lab::new(&format!("{SETUP}ping -c 1 -I 2001:db8::1 10.1.1.1\n"))
        .run()
        .failure(1)
        .stderr_has("the source address must be an IPv4 address, as the destination");
}

#[test]
fn ping_over_ipv6_and_through_a_device() {
    needs_root!();
    Lab::new(&format!(
        "{SETUP}link set lo up\nping -c 1 ::1\nping -c 1 -I veth0 -s 100 10.1.1.1\nping -q -c 3 -i 0 10.1.1.1\n"
    ))
    .run()
    .success()
    .stdout_has("PING ::1(::1) 56 data bytes")
    .stdout_has("64 bytes from ::1: icmp_seq=1 ttl=64")
    .stdout_has("PING 10.1.1.1 (10.1.1.1) from 10.1.1.2 veth0: 100(128) bytes of data.")
    .stdout_has("108 bytes from 10.1.1.1: icmp_seq=1 ttl=64")
    .stdout_has("3 packets transmitted, 3 received, 0% packet loss");
}

#[test]
fn a_ping_block_reports_every_line_and_fails_on_the_one_that_does_not_hold() {
    needs_root!();
    let script = format!(
        "{SETUP}ping {{\n    netns1 -> 10.1.1.2\n    root -> 10.1.1.1; root -> 10.99.0.9\n    netns1 !-> 10.99.0.9\n}}\necho never\n"
    );
    let run = Lab::new(&script)
        .run()
        .failure(1)
        .stdout_has("netns1 -> 10.1.1.2: ok, reply in ")
        .stdout_has("root -> 10.1.1.1: ok, reply in ")
        .stdout_has("root -> 10.99.0.9: FAILED, no reply in 2s")
        .stdout_has("netns1 !-> 10.99.0.9: ok, ")
        .stderr_has("1 of 4 checks of the ping block do not hold")
        .stderr_has("does not hold: no reply in 2s");
    assert!(!run.stdout.contains("never"));
    // The report points at the failing line (line 13 of the script).
    assert!(run.stderr.contains("script.vnet:13:"), "{}", run.stderr);
}

#[test]
fn a_ping_block_that_holds_succeeds() {
    needs_root!();
    Lab::new(&format!(
        "{SETUP}ping -q -c 1 10.1.1.1\nping -W 0.5 {{ netns1 -> 10.1.1.2; root -> 10.1.1.1; root !-> 10.99.0.9 }}\n"
    ))
    .run()
    .success()
    .stdout_has("root !-> 10.99.0.9: ok, no reply in 0.5s");
}

#[test]
fn ctrl_c_stops_a_ping_block_and_the_run() {
    needs_root!();
    // Nobody answers for 10.99.0.9: the block would wait 20 s. Ctrl-C stops it at once, and a
    // block cut short proves nothing, so the run stops there, undone, as at any statement.
    let script = format!("{SETUP}echo waiting\nping -W 20 {{ root -> 10.99.0.9 }}\necho never\n");
    let run = Lab::new(&script)
        .shell(
            "set -m
             \"$VSH\" script.vnet >out 2>err & pid=$!
             for i in $(seq 100); do grep -q waiting out && break; sleep 0.05; done
             sleep 0.3; kill -INT $pid; wait $pid; echo \"status $?\"; cat out err",
        )
        .oracle("ls /run/netns")
        .run()
        .success()
        .stdout_has("status 130")
        .stdout_has("interrupted by SIGINT")
        .stdout_has("removed namespace netns1");
    // `echo never` shows in the report's source lines, but it never ran.
    assert!(!run.stdout.lines().any(|l| l == "never"), "{}", run.stdout);
    assert!(!run.stdout.contains("FAILED"), "{}", run.stdout);
    assert_eq!(run.oracle(0), "");
}

/// The lines of vsh's output that describe a packet (they start with a time of day).
fn packet_lines(text: &str) -> Vec<String> {
    let stamp = Regex::new(r"^\d\d:\d\d:\d\d\.\d{6} ").unwrap();
    text.lines()
        .filter(|l| stamp.is_match(l))
        .map(str::to_string)
        .collect()
}

#[test]
fn capture_prints_what_tcpdump_reads_back_from_its_pcap() {
    needs_root!();
    // The first ping resolves 10.1.1.1 with ARP, so both show up.
    let run = Lab::new(&format!(
        "{SETUP}capture -w cap.pcap veth0 {{\n    ping -c 2 -i 0.2 10.1.1.1\n}}\n"
    ))
    .oracle("tcpdump -n -r cap.pcap")
    .run()
    .success()
    .stdout_has("ARP, Request who-has 10.1.1.1 tell 10.1.1.2, length 28")
    .stdout_has("ARP, Reply 10.1.1.1 is-at ")
    .stdout_has("IP 10.1.1.2 > 10.1.1.1: ICMP echo request, id ")
    .stdout_has("IP 10.1.1.1 > 10.1.1.2: ICMP echo reply, id ")
    .stdout_has("0 packets dropped by kernel");
    let ours = packet_lines(&run.stdout);
    let theirs = packet_lines(run.oracle(0));
    assert!(ours.len() >= 6, "{}", run.stdout);
    assert_eq!(
        ours, theirs,
        "tcpdump -r reads the same packets, printed the same way"
    );
    let count = format!("{} packets captured", ours.len());
    assert!(run.stdout.contains(&count), "{}", run.stdout);
}

#[test]
fn capture_prints_tcp_as_tcpdump_does() {
    needs_root!();
    // A TCP conversation from the root namespace to nc in netns1: handshake with options,
    // data, teardown. tcpdump numbers a conversation from its first packet with an ACK.
    let client =
        "for i in $(seq 50); do echo hi | nc -N 10.1.1.1 40000 && exit 0; sleep 0.1; done; exit 1";
    let run = Lab::new(&format!(
        "{SETUP}spawn netns1 nc -l 10.1.1.1 40000\n\
         capture -w tcp.pcap veth0 {{\n    sh -c '{client}'\n    wait\n}}\n"
    ))
    .oracle("tcpdump -n -r tcp.pcap tcp")
    .run()
    .success()
    .stdout_has("hi\n");
    let ours: Vec<String> = packet_lines(&run.stdout)
        .into_iter()
        .filter(|l| l.contains(" Flags ["))
        .collect();
    let theirs = packet_lines(run.oracle(0));
    assert_eq!(
        ours, theirs,
        "tcpdump -r reads the same segments, printed the same way"
    );
    let text = ours.join("\n");
    for shape in [
        "Flags [S], seq ",
        ", options [mss ",
        "Flags [P.], seq 1:4, ack 1, win ",
        "Flags [F.",
    ] {
        assert!(text.contains(shape), "no {shape:?} in\n{text}");
    }
}

#[test]
fn capture_stops_after_count_packets_and_the_body_goes_on() {
    needs_root!();
    Lab::new(&format!(
        "{SETUP}capture -c 1 veth0 {{\n    ping -c 3 -i 0.2 10.1.1.1\n}}\necho after\n"
    ))
    .run()
    .success()
    .stdout_has("1 packets captured")
    .stdout_has("3 packets transmitted, 3 received")
    .stdout_has("after");
}

#[test]
fn capture_on_a_missing_device_is_an_error() {
    needs_root!();
    Lab::new("capture nosuch0 { echo body }\n")
        .run()
        .failure(1)
        .stderr_has("cannot find device \"nosuch0\"");
}

#[test]
fn ctrl_c_stops_ping_and_prints_the_summary() {
    let mut child = Command::new(VSH)
        .args(["--isolated", "-c", "ping -i 0.2 127.0.0.1\necho after-ping"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("vsh runs");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    // Wait for two replies, so ping is surely in its loop.
    while seen.matches("bytes from 127.0.0.1").count() < 2 {
        let mut line = String::new();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "vsh ended early: {seen}"
        );
        seen.push_str(&line);
    }
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    out.read_to_string(&mut seen).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}\n{seen}");
    let summary = Regex::new(
        r"--- 127\.0\.0\.1 ping statistics ---\n(\d+) packets transmitted, (\d+) received, [\d.]+% packet loss, time \d+ms\nrtt min/avg/max/mdev = [\d./]+ ms\n",
    )
    .unwrap();
    let caps = summary.captures(&seen).unwrap_or_else(|| panic!("{seen}"));
    assert!(caps[2].parse::<u32>().unwrap() >= 2, "{seen}");
    // Ctrl-C stops ping, not the script.
    assert!(seen.contains("after-ping"), "{seen}");
}
