//! Ping blocks at scale: loops that generate checks, namespaces as targets, a report that
//! reads at a hundred hosts, and every check matched to its own replies.

use crate::lab::Lab;

/// h1, h2, h3 (10.0.0.1-3/24) on bridge br0; nobody has 10.0.0.9.
const STAR3: &str = "link add br0 type bridge\n\
    link set br0 up\n\
    for i in 1..3 {\n\
        netns add h$i\n\
        veth v$i peer e$i netns h$i\n\
        link set v$i master br0\n\
        link set v$i up\n\
        netns h$i { addr add 10.0.0.$i/24 dev e$i; link set e$i up; link set lo up }\n\
    }\n";

/// The line of the script that `line` of the block is, counting from 1 after STAR3.
fn line(n: usize) -> usize {
    STAR3.lines().count() + n
}

#[test]
fn loops_generate_checks_and_a_failing_line_names_its_loop_variables() {
    needs_root!();
    let script = format!(
        "{STAR3}ping {{\n\
         \x20   for i in 1..3 {{ for j in 1..3 {{ h$i -> 10.0.0.$j }} }}\n\
         \x20   let far = 9\n\
         \x20   for i in 1..3 {{ h$i !-> 10.0.0.$far }}\n\
         \x20   for k in 2 9 {{\n\
         \x20       h1 !-> 10.0.0.$k\n\
         \x20   }}\n\
         }}\n\
         echo never\n"
    );
    let run = Lab::new(&script)
        .run()
        .failure(1)
        .stdout_has("h2 -> 10.0.0.3: ok, reply in ")
        .stdout_has("h3 !-> 10.0.0.9: ok, no reply in 2s")
        .stdout_has("h1 !-> 10.0.0.9: ok, no reply in 2s")
        // The `!->` that does not hold, at its line, with the loop variable's value.
        .stdout_has("h1 !-> 10.0.0.2: FAILED, reply in ")
        .stdout_has(&format!("(line {}, k=2)", line(6)))
        .stdout_has("14 checks, 13 held, 1 failed in ")
        .stderr_has("1 of 14 checks of the ping block do not hold")
        .stderr_has("does not hold with k=2: h1 !-> 10.0.0.2: reply in ");
    assert!(
        run.stderr.contains(&format!("script.vnet:{}:", line(6))),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.lines().any(|l| l == "never"), "{}", run.stdout);
}

#[test]
fn a_namespace_as_target_means_each_of_its_global_addresses() {
    needs_root!();
    // h3 also has 10.9.0.3, which h1 has no route to.
    let script = format!(
        "{STAR3}netns h2 {{ addr add 10.0.0.22/24 dev e2 }}\n\
         netns h3 {{ addr add 10.9.0.3/24 dev e3 }}\n\
         ping {{ h1 -> h2; h1 -> h3 }}\n"
    );
    Lab::new(&script)
        .run()
        .failure(1)
        .stdout_has("h1 -> h2: ok, 10.0.0.2: reply in ")
        .stdout_has(", 10.0.0.22: reply in ")
        // Only the address that did not answer is named.
        .stdout_has("h1 -> h3: FAILED, 10.9.0.3: network is unreachable (line")
        .stderr_has("does not hold: 10.9.0.3: network is unreachable");
    // A namespace with no global address (root here has none) cannot be a target.
    Lab::new(&format!("{STAR3}ping {{ h1 -> root }}\n"))
        .run()
        .failure(1)
        .stderr_has("namespace root has no global address to ping");
    // A typo in an address is not taken for a namespace.
    Lab::new(&format!("{STAR3}ping {{ h1 -> 10.0.0.300 }}\n"))
        .run()
        .failure(1)
        .stderr_has("\"10.0.0.300\" is not an IPv4 or IPv6 address");
}

#[test]
fn each_check_holds_or_fails_on_its_own_replies() {
    needs_root!();
    // Two checks to one address from one source: the reply to the first must not make the
    // second (which says it must not answer) hold, nor the other way round.
    Lab::new(&format!(
        "{STAR3}ping {{ h1 -> 10.0.0.2; h1 !-> 10.0.0.2; h1 -> 10.0.0.9 }}\n"
    ))
    .run()
    .failure(1)
    .stdout_has("h1 -> 10.0.0.2: ok, reply in ")
    .stdout_has("h1 !-> 10.0.0.2: FAILED, reply in ")
    .stdout_has("h1 -> 10.0.0.9: FAILED, no reply in 2s")
    .stdout_has("3 checks, 1 held, 2 failed in ");
}

#[test]
fn past_a_few_dozen_checks_the_report_is_a_line_per_source() {
    needs_root!();
    let block = "for r in 1..15 { for i in 1..3 { h$i -> 10.0.0.$i } }\nh1 !-> 10.0.0.2";
    let run = Lab::new(&format!("{STAR3}ping {{\n{block}\n}}\n"))
        .run()
        .failure(1)
        .stdout_has("h1: 15 of 16 hold; FAILED: !-> 10.0.0.2 (reply in ")
        .stdout_has(&format!("; line {})\n", line(3)))
        .stdout_has("h2: 15 of 15 hold\n")
        .stdout_has("h3: 15 of 15 hold\n")
        .stdout_has("46 checks, 45 held, 1 failed in ");
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    // -v: a line for every check.
    let run = Lab::new(&format!("{STAR3}ping -v {{\n{block}\n}}\n"))
        .run()
        .failure(1)
        .stdout_has("h1 !-> 10.0.0.2: FAILED, reply in ");
    assert_eq!(run.stdout.lines().count(), 47, "{}", run.stdout);
}

/// A hundred hosts behind the root namespace, which routes between them: each host needs
/// one neighbour (its gateway) and root a hundred. (On one shared link, all pairs would need
/// ~10,000 neighbour entries, past the 1024 the kernel keeps for the whole machine.)
const ROUTED_STAR: &str = "sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 \
    net.ipv4.conf.default.send_redirects=0\n\
    link add br0 type bridge\n\
    addr add 10.0.255.254/16 dev br0\n\
    link set br0 up\n\
    for i in 1..$n {\n\
        netns add h$i\n\
        veth v$i peer e$i netns h$i\n\
        link set v$i master br0\n\
        link set v$i up\n\
        netns h$i {\n\
            addr add 10.0.0.$i/32 dev e$i\n\
            link set e$i up\n\
            link set lo up\n\
            route add 10.0.255.254 dev e$i\n\
            route add default via 10.0.255.254\n\
        }\n\
    }\n";

#[test]
fn a_hundred_hosts_reach_each_other_in_one_block() {
    needs_root!();
    let script =
        format!("let n = 100\n{ROUTED_STAR}ping {{ for i in 1..$n {{ for j in 1..$n {{ h$i -> 10.0.0.$j }} }} }}\n");
    let run = Lab::new(&script)
        .run()
        .success()
        .stdout_has("10000 checks, 10000 held, 0 failed in ");
    for i in 1..=100 {
        assert!(
            run.stdout.contains(&format!("\nh{i}: 100 of 100 hold\n"))
                || run.stdout.starts_with(&format!("h{i}: 100 of 100 hold\n")),
            "h{i}\n{}",
            run.stdout
        );
    }
    assert_eq!(run.stdout.lines().count(), 101, "{}", run.stdout);
}

#[test]
fn a_namespace_target_takes_both_families_and_each_socket_its_own() {
    needs_root!();
    // DAD off on the hosts' ends: their IPv6 addresses answer at once.
    let script = "link add br0 type bridge\n\
        link set br0 up\n\
        for i in 1..3 {\n\
            netns add h$i\n\
            veth v$i peer e$i netns h$i\n\
            link set v$i master br0\n\
            link set v$i up\n\
            netns h$i {\n\
                sysctl -qw net.ipv6.conf.e$i.accept_dad=0\n\
                addr add 10.0.0.$i/24 dev e$i; addr add 2001:db8::$i/64 dev e$i\n\
                link set e$i up\n\
            }\n\
        }\n\
        ping { h1 -> h2; h3 -> 2001:db8::1; h3 -> 10.0.0.1; h1 !-> 2001:db8::9 }\n";
    Lab::new(script)
        .run()
        .success()
        .stdout_has("h1 -> h2: ok, 10.0.0.2: reply in ")
        .stdout_has(", 2001:db8::2: reply in ")
        .stdout_has("h3 -> 2001:db8::1: ok, reply in ")
        .stdout_has("h3 -> 10.0.0.1: ok, reply in ")
        .stdout_has("h1 !-> 2001:db8::9: ok, no reply in 2s")
        .stdout_has("4 checks, 4 held, 0 failed in ");
}
