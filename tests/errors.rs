//! Errors: each points at its statement, names what failed, and gives the kernel's words.

use crate::lab::{refused_alike, Lab, VSH};
use std::process::Command;

#[test]
fn syntax_error_exit_2_with_line_and_expectation() {
    needs_root!();
    let run = Lab::new("netns add a\nlink frob veth0\n").run().failure(2);
    assert_eq!(
        run.stderr,
        "vsh::syntax

  × syntax error: unexpected `frob`
   ╭─[script.vnet:2:6]
 1 │ netns add a
 2 │ link frob veth0
   ·      ──┬─
   ·        ╰── expected `add`, `del`, `property`, `set`, `show` or end of line
   ╰────

"
    );
}

#[test]
fn an_existing_link_gives_the_kernels_answer_and_the_line() {
    needs_root!();
    let run = Lab::new(
        "veth veth0 peer veth1\n\nlink add veth0 type veth peer name veth9\necho not-reached\n",
    )
    .run()
    .failure(1)
    .stderr_has("cannot create veth pair \"veth0\"/\"veth9\" in the root namespace: File exists")
    .stderr_has("script.vnet:3:1")
    .stderr_has("a device of that name already exists");
    assert!(!run.stdout.contains("not-reached"));
}

#[test]
fn the_kernels_extended_ack_message_is_shown() {
    needs_root!();
    Lab::new("veth a peer b\naddr add 10.1.1.1/24 dev a\naddr add 10.1.1.1/24 dev a\n")
        .run()
        .failure(1)
        .stderr_has("cannot add 10.1.1.1/24 to \"a\" in the root namespace")
        .stderr_has("script.vnet:3:1");
    Lab::new("link add br0 type bridge\nlink add br1 type bridge\nlink set br1 master br0\n")
        .run()
        .failure(1)
        .stderr_has("cannot attach \"br1\" to \"br0\"")
        .stderr_has("script.vnet:3:1");
}

#[test]
fn missing_devices_and_namespaces_are_named() {
    needs_root!();
    Lab::new("netns add red\nip -n red link set veth7 up\n")
        .run()
        .failure(1)
        .stderr_has("cannot find device \"veth7\" in namespace red")
        .stderr_has("script.vnet:2:20");
    Lab::new("netns blue2 { link }\nip -n nothere link\n")
        .run()
        .failure(1)
        .stderr_has("namespace \"nothere\" does not exist")
        .stderr_has("netns add nothere");
    Lab::new("netns del ghost\n")
        .run()
        .failure(1)
        .stderr_has("cannot delete namespace \"ghost\"");
}

#[test]
fn a_kernel_failure_has_a_code_by_its_cause() {
    needs_root!();
    let run = Lab::new("veth a peer b\nveth a peer c\n").run().failure(1);
    assert!(
        run.stderr.starts_with("vsh::kernel::exists\n"),
        "{}",
        run.stderr
    );
    let run = Lab::new("veth a peer b\naddr del 10.9.9.9/24 dev a\n")
        .run()
        .failure(1);
    assert!(
        run.stderr.starts_with("vsh::kernel::not_found\n"),
        "{}",
        run.stderr
    );
    let run = Lab::new("ip -n nothere link\n").run().failure(1);
    assert!(
        run.stderr.starts_with("vsh::kernel::not_found\n"),
        "{}",
        run.stderr
    );
    let run = Lab::new("link add br0 type bridge\nlink set br0 master br0\n")
        .run()
        .failure(1);
    // ELOOP has no cause of its own: the plain code.
    assert!(run.stderr.starts_with("vsh::kernel\n"), "{}", run.stderr);
}

#[test]
fn bad_values_are_refused_before_the_kernel() {
    needs_root!();
    let cases = [
        (
            "link add abcdefghijklmnop type bridge",
            "longer than 15 bytes",
        ),
        ("link add a/b type bridge", "contains `/`"),
        ("link add \"a b\" type bridge", "contains whitespace"),
        ("netns add ../../x", "contains `/`"),
        ("netns add ..", "is `.` or `..`"),
        (
            "veth a peer b\naddr add 300.1.1.1/24 dev a",
            "invalid address \"300.1.1.1/24\"",
        ),
        (
            "veth a peer b\naddr add 10.1.1.1/33 dev a",
            "invalid address \"10.1.1.1/33\"",
        ),
        (
            "veth a peer b\nlink set a mtu lots",
            "\"lots\" is not an MTU",
        ),
    ];
    for (script, message) in cases {
        Lab::new(script).run().failure(1).stderr_has(message);
    }
}

#[test]
fn a_missing_program_is_named_with_the_nearest_builtin() {
    needs_root!();
    Lab::new("lnik show\n")
        .run()
        .failure(1)
        .stderr_has("program not found: lnik")
        .stderr_has("did you mean the builtin `link`?");
}

#[test]
fn undefined_variables_and_arithmetic() {
    needs_root!();
    Lab::new("netns add h$i\n")
        .run()
        .failure(1)
        .stderr_has("variable $i is not set")
        .stderr_has("script.vnet:1:12");
    Lab::new("let n = 0\necho ${10 / n}\n")
        .run()
        .failure(1)
        .stderr_has("division by zero");
    Lab::new("echo ${2 * (3 + 4)} ${-7 % 3} $1-$2\n")
        .args(&["x", "y"])
        .run()
        .success()
        .stdout_has("14 -1 x-y");
}

#[test]
fn check_touches_nothing_and_reports_every_problem() {
    needs_root!();
    let run = Lab::new("netns add made\nlink add abcdefghijklmnop type bridge\nnetns add x$undefined\naddr add 10.1.1.1/33 dev lo\n")
        .flag("--check")
        .oracle("ls /run/netns 2>/dev/null | wc -l")
        .run()
        .failure(1)
        .stderr_has("longer than 15 bytes")
        .stderr_has("variable $undefined is not set")
        .stderr_has("invalid address \"10.1.1.1/33\"");
    assert_eq!(run.oracle(0).trim(), "0");
    Lab::new("for i in 1..3 { netns add h$i }\n")
        .flag("--check")
        .run()
        .success();
}

#[test]
fn ping_options_are_checked_by_the_same_resolver_before_and_during_the_run() {
    // `--check` runs the evaluator's own resolver on what it can know: each bad option is
    // named at its word, and an option given by a variable is left for the run.
    for (line, said) in [
        ("ping -c abc 127.0.0.1", "\"abc\""),
        ("ping -c 0 127.0.0.1", "a packet count (1 or more)"),
        ("ping -s 70000 127.0.0.1", "at most 65507 bytes"),
        ("ping -W soon 127.0.0.1", "a number of seconds"),
        ("ping -I a/b 127.0.0.1", "a/b"),
    ] {
        refused_alike(line, said);
    }
    let fine = Command::new(VSH)
        .args([
            "--check",
            "-c",
            "let n = 2; ping -c $n -s 100 -W 0.5 127.0.0.1",
        ])
        .output()
        .unwrap();
    assert!(fine.status.success(), "{fine:?}");
}

#[test]
fn check_refuses_what_the_run_refuses_from_the_same_words() {
    // Every builtin's words go through one resolver: `--check` runs it on the literal words,
    // the run on the expanded ones, and both name the same word with the same reason.
    for (line, said) in [
        ("link add br0 mtu big type bridge", "\"big\" is not an MTU"),
        (
            "link add m0 type macvlan link lo mode loud",
            "a macvlan mode",
        ),
        ("link add vx0 type vxlan dev lo", "needs `id`"),
        (
            "link add l0 link lo type vlan id 5000",
            "a VLAN id (0-4094)",
        ),
        ("link add vx0 type vxlan id 1 ttl far", "a TTL"),
        ("link set lo netns a/b", "contains `/`"),
        ("netns add lab/a", "contains `/`"),
        ("netns attach lab 12x", "a process id"),
        ("addr add 10.0.0.1/24 dev lo scope far", "a scope"),
        (
            "addr add 10.0.0.1/24 dev lo valid_lft 10 preferred_lft 20",
            "preferred_lft",
        ),
        ("route add 10.9.0.0/16 dev lo metric many", "a metric"),
        ("route add 10.9.0.0/16 dev lo proto sideways", "a protocol"),
        ("route add 10.9.0.0/16 via 10.0.0.x", "an IP address"),
        ("capture -c all lo { }", "a packet count"),
        ("trace red/a/b { }", "contains `/`"),
        ("kill -LOUD", "a signal"),
        ("set +o errexit", "always stops"),
        ("help nosuch", "a builtin"),
        ("ping 10.0.0.300", "not an IPv4 or IPv6 address"),
        ("ping -W soon { }", "a number of seconds"),
        ("for i in 1..x { }", "a range of integers"),
    ] {
        refused_alike(line, said);
    }
}

#[test]
fn check_leaves_words_with_variables_to_the_run() {
    needs_root!();
    // `--check` cannot know $m: it passes, and the run refuses the value at the same word.
    let script = "let m = 9k\nlink set lo mtu $m\n";
    Lab::new(script).flag("--check").run().success();
    Lab::new(script)
        .run()
        .failure(1)
        .stderr_has("\"9k\" is not an MTU (bytes)")
        .stderr_has("script.vnet:2:17");
}

#[test]
fn link_set_values_are_checked_by_the_same_resolver_before_and_during_the_run() {
    // `--check` reads `link set`'s and `link property`'s values as the run reads them, and
    // leaves a value given by a variable for the run.
    for (line, said) in [
        ("ip link set lo arp maybe", "expected on or off"),
        ("ip link set lo mtu 1400 promisc sometimes", "\"sometimes\""),
        (
            "ip link set lo address 02:00:zz:00:00:01",
            "a link-layer address",
        ),
        ("ip link set lo brd ff:fff:00", "ff:fff:00"),
        ("ip link set lo txqueuelen many", "a queue length"),
        ("ip link set lo group nowhere", "a group number or default"),
        ("ip link set lo type bridge stp_state x", "\"x\""),
        (
            "ip link property add dev lo altname a/b",
            "an alternative name",
        ),
    ] {
        refused_alike(line, said);
    }
    let fine = Command::new(VSH)
        .args([
            "--check",
            "-c",
            "let m = off; ip link set lo arp $m group default txqlen 5 address 00:00:00:00:00:00",
        ])
        .output()
        .unwrap();
    assert!(fine.status.success(), "{fine:?}");
}

#[test]
fn an_altname_removed_no_longer_names_its_link() {
    needs_root!();
    Lab::new("link set u0 up\nlink property del dev d0 altname u0\nlink set u0 down\n")
        .before("ip link add d0 type ifb && ip link property add dev d0 altname u0")
        .snapshot()
        .run()
        .failure(1)
        .stderr_has("script.vnet:3:")
        .stderr_has("\"u0\"")
        .stderr_has("put back altnames u0")
        .same_state();
}
