//! Namespaces: add, list, delete, blocks, loops, and interop with `ip netns`.

use crate::lab::Lab;

#[test]
fn add_list_delete_as_ip_netns_sees_it() {
    needs_root!();
    let run = Lab::new("netns add netns1\nnetns add netns2\nnetns list\nnetns del netns2\n")
        .oracle("ip netns list")
        .run()
        .success()
        .stdout_has("netns1")
        .stdout_has("netns2");
    assert_eq!(run.oracle(0).trim(), "netns1");
}

#[test]
fn vsh_sees_namespaces_made_by_ip() {
    needs_root!();
    // vsh lists and deletes what ip made; ip then sees it gone, and the name free again.
    let run = Lab::new(
        "exec ip netns add made-by-ip\nnetns list\nnetns del made-by-ip\n! netns del made-by-ip\n",
    )
    .oracle("ip netns list && echo listed")
    .oracle("ip netns add made-by-ip && ip netns list")
    .run()
    .success()
    .stdout_has("made-by-ip");
    assert_eq!(run.oracle(0), "listed\n");
    assert_eq!(run.oracle(1), "made-by-ip\n");
}

#[test]
fn blocks_create_the_namespace_and_act_inside_it() {
    needs_root!();
    let run = Lab::new("netns red {\n  link set lo up\n}\nip -n red link show lo\n")
        .oracle("ip netns list")
        .oracle("ip -n red -j link show lo")
        .run()
        .success()
        .stdout_has("1: lo: <LOOPBACK,UP,LOWER_UP>");
    assert_eq!(run.oracle(0).trim(), "red");
    assert_eq!(run.json(1)[0]["operstate"], "UNKNOWN");
    assert!(crate::lab::flags(&run.json(1)[0]).contains(&"UP".to_string()));
}

#[test]
fn a_loop_builds_twenty_namespaces() {
    needs_root!();
    let run =
        Lab::new("let n = 20\nfor i in 1..$n {\n  netns add h$i\n  ip -n h$i link set lo up\n}\n")
            .oracle("ip netns list | wc -l")
            .oracle("ip -n h20 -j link show lo")
            .oracle("ip -n h1 -j link show lo")
            .run()
            .success();
    assert_eq!(run.oracle(0).trim(), "20");
    for i in [1, 2] {
        assert!(crate::lab::flags(&run.json(i)[0]).contains(&"UP".to_string()));
    }
}

#[test]
fn if_netns_exists_and_not() {
    needs_root!();
    Lab::new(
        "netns add red\n\
         if netns exists red { echo red-is-here } else { echo red-is-missing }\n\
         if netns exists blue { echo blue-is-here } else { echo blue-is-missing }\n\
         ! netns add red\n\
         echo status $?\n",
    )
    .run()
    .success()
    .stdout_has("red-is-here")
    .stdout_has("blue-is-missing")
    .stdout_has("status 0");
}

#[test]
fn programs_run_inside_with_ip_netns_exec_semantics() {
    needs_root!();
    // /sys is remounted inside, so the namespace's own devices show; /etc/netns/NAME is bound.
    let run = Lab::new(
        "netns add netns1\n\
         veth veth0 peer veth1 netns netns1\n\
         exec mkdir -p /etc/netns/netns1\n\
         exec sh -c 'echo from-netns1 > /etc/netns/netns1/hostname'\n\
         netns netns1 {\n  ls /sys/class/net\n  cat /etc/hostname\n}\n\
         netns exec netns1 cat /sys/class/net/veth1/ifindex\n\
         ls /sys/class/net\n",
    )
    .private_etc()
    .oracle("ip -n netns1 -j link show veth1")
    .run()
    .success()
    .stdout_has("from-netns1");
    let idx = run.json(0)[0]["ifindex"].to_string();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.contains(&idx.as_str()), "{lines:?} has ifindex {idx}");
    // Inside netns1: lo and veth1; in the root namespace: lo and veth0.
    let inside = run.stdout.split("from-netns1").next().unwrap();
    assert!(
        inside.contains("veth1") && !inside.contains("veth0"),
        "{inside}"
    );
    let outside = run.stdout.rsplit(&idx).next().unwrap();
    assert!(
        outside.contains("veth0") && !outside.contains("veth1"),
        "{outside}"
    );
}

#[test]
fn a_program_status_is_the_statement_status() {
    needs_root!();
    Lab::new("! false\nsh -c 'exit 3'\necho never\n")
        .run()
        .failure(1)
        .stderr_has("sh exited with status 3");
    Lab::new("if false { echo no } else { echo $? }\n")
        .run()
        .success()
        .stdout_has("1");
}

#[test]
fn netns_alone_switches_the_current_namespace() {
    needs_root!();
    let run = Lab::new("netns add red\nnetns red\nveth in-red peer also-red\nnetns root\nveth in-root peer also-root\n")
        .oracle("ip -n red -j link show")
        .oracle("ip -j link show")
        .run()
        .success();
    let red = run.oracle(0);
    assert!(
        red.contains("\"in-red\"") && !red.contains("in-root"),
        "{red}"
    );
    let root = run.oracle(1);
    assert!(
        root.contains("\"in-root\"") && !root.contains("in-red"),
        "{root}"
    );
}
